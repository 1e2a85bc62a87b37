// The adlint WebAssembly module (src/wasm.rs): a C ABI of JSON text in linear memory.
// This file is the only place that knows the ABI; the page sees `Adlint.check`.

export type Severity = "error" | "warning" | "note";

export interface Edit {
  span: { start: number; end: number };
  replacement: string;
}

export interface Fix {
  title: string;
  applicability: "safe" | "suggested";
  edits: Edit[];
}

export interface Diagnostic {
  path: string;
  code: string;
  name: string;
  severity: Severity;
  jurisdiction: string;
  message: string;
  label: string;
  line: number;
  column: number;
  end_line: number;
  end_column: number;
  /** Byte offsets (UTF-8) into the post. */
  start: number;
  end: number;
  note: string;
  help: string;
  snippet: string;
  secondary: { line: number; column: number; start: number; end: number; message: string }[];
  fix?: Fix;
  suggestions?: Fix[];
  suppressed?: { reason: string | null };
}

export interface Problem {
  path: string;
  severity: Severity;
  message: string;
  line: number | null;
  column: number | null;
  fatal: boolean;
}

/** What `adlint check --format json` prints for one post. */
export interface Report {
  version: number;
  diagnostics: Diagnostic[];
  suppressed: Diagnostic[];
  problems: Problem[];
  files_checked: number;
  summary: Record<string, number>;
}

export interface CheckRequest {
  text: string;
  path?: string;
  jurisdictions?: string[];
  fix?: boolean;
  fixes?: number[];
  unsafe_fixes?: boolean;
  today?: string;
}

export interface CheckResponse {
  report: Report;
  lang: string | null;
  lang_source: "front matter" | "path" | "detected" | "default";
  jurisdictions: string[];
  fixed?: { text: string; applied: string[]; report: Report };
}

export interface Info {
  version: string;
  markets: { code: string; name: string }[];
  languages: { code: string; name: string; market: string }[];
}

interface Exports {
  memory: WebAssembly.Memory;
  adlint_alloc(len: number): number;
  adlint_free(ptr: number, len: number): void;
  adlint_check(ptr: number, len: number): number;
  adlint_info(): number;
  adlint_result_ptr(): number;
  adlint_result_len(): number;
}

const encoder = new TextEncoder();
const decoder = new TextDecoder("utf-8", { fatal: false });

export class Adlint {
  private exports: Exports;

  private constructor(
    private readonly module: WebAssembly.Module,
    instance: WebAssembly.Instance,
  ) {
    this.exports = instance.exports as unknown as Exports;
  }

  /** Compiles the module (needs no imports: no clock, no files, no network). */
  static async load(bytes: BufferSource): Promise<Adlint> {
    const module = await WebAssembly.compile(bytes);
    const instance = await WebAssembly.instantiate(module, {});
    return new Adlint(module, instance);
  }

  info(): Info {
    return this.call(() => this.exports.adlint_info()) as Info;
  }

  check(request: CheckRequest): CheckResponse {
    const today = new Date().toISOString().slice(0, 10);
    const bytes = encoder.encode(JSON.stringify({ today, ...request }));
    return this.call(() => {
      const ptr = this.exports.adlint_alloc(bytes.length);
      if (bytes.length > 0 && ptr === 0) throw new Error("out of memory for the post");
      new Uint8Array(this.exports.memory.buffer, ptr, bytes.length).set(bytes);
      return this.exports.adlint_check(ptr, bytes.length);
    }) as CheckResponse;
  }

  private call(run: () => number): unknown {
    let len: number;
    try {
      len = run();
    } catch (e) {
      // A trap leaves the instance in an unknown state: start a fresh one for the next
      // call, and tell the caller.
      this.exports = new WebAssembly.Instance(this.module, {}).exports as unknown as Exports;
      throw new Error(`adlint stopped on this input (${String(e)}); please report it`);
    }
    const ptr = this.exports.adlint_result_ptr();
    const text = decoder.decode(new Uint8Array(this.exports.memory.buffer, ptr, len));
    const value = JSON.parse(text) as { error?: string };
    if (typeof value.error === "string") throw new Error(value.error);
    return value;
  }
}

/** The module embedded in the page (gzip, base64): the page works from file://,
 * where Chromium refuses fetch(). */
export async function loadEmbedded(base64Gzip: string): Promise<Adlint> {
  const packed = Uint8Array.from(atob(base64Gzip), (c) => c.charCodeAt(0));
  const stream = new Blob([packed]).stream().pipeThrough(new DecompressionStream("gzip"));
  const bytes = await new Response(stream).arrayBuffer();
  return Adlint.load(bytes);
}
