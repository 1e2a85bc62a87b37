// The playground page: a CodeMirror editor, the markets, and the findings of the adlint
// WebAssembly build, checked on every change. Nothing is sent anywhere.
import { EditorState, type Extension } from "@codemirror/state";
import { EditorView, keymap, lineNumbers, highlightActiveLine, drawSelection, placeholder } from "@codemirror/view";
import { defaultKeymap, history as editHistory, historyKeymap } from "@codemirror/commands";
import { markdown } from "@codemirror/lang-markdown";
import { yamlFrontmatter } from "@codemirror/lang-yaml";
import { syntaxHighlighting, defaultHighlightStyle } from "@codemirror/language";
import { setDiagnostics, lintGutter, type Diagnostic as CmDiagnostic } from "@codemirror/lint";
import wasmBase64 from "virtual:adlint-wasm";
import { loadEmbedded, type Adlint, type CheckResponse, type Diagnostic, type Info } from "./adlint";
import { Offsets } from "./offsets";
import { htmlToMarkdown } from "./paste";
import { decode, encode } from "./share";
import { EXAMPLES } from "./examples";
import "./style.css";

const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;

const ui = {
  markets: $<HTMLFieldSetElement>("markets"),
  marketList: $<HTMLDivElement>("market-list"),
  autoMarket: $<HTMLSpanElement>("auto-market"),
  path: $<HTMLInputElement>("path"),
  unsafe: $<HTMLInputElement>("unsafe"),
  richPaste: $<HTMLInputElement>("rich-paste"),
  example: $<HTMLSelectElement>("example"),
  fixAll: $<HTMLButtonElement>("fix-all"),
  copy: $<HTMLButtonElement>("copy"),
  share: $<HTMLButtonElement>("share"),
  open: $<HTMLInputElement>("open"),
  toast: $<HTMLSpanElement>("toast"),
  status: $<HTMLDivElement>("status"),
  findings: $<HTMLOListElement>("findings"),
  problems: $<HTMLDivElement>("problems"),
  version: $<HTMLSpanElement>("version"),
};

/** Timings of the last check, read by the browser test (docs/performance.md). */
interface Timing {
  /** Milliseconds in adlint (WebAssembly call and JSON). */
  check: number;
  /** Milliseconds from the key event to the findings drawn. */
  fromKey: number | null;
  generation: number;
}
declare global {
  interface Window {
    adlintPlayground: {
      timing: Timing | null;
      last: CheckResponse | null;
      view: EditorView | null;
      /** Milliseconds from navigation to the first findings. */
      readyMs: number | null;
    };
  }
}
window.adlintPlayground = { timing: null, last: null, view: null, readyMs: null };

let adlint: Adlint | null = null;
let info: Info | null = null;
let last: { text: string; response: CheckResponse } | null = null;
let generation = 0;
let pending = false;
/** When the last key that changed the text went down (event time), for the timing. */
let keyAt: number | null = null;

function chosenMarkets(): string[] {
  const boxes = ui.markets.querySelectorAll<HTMLInputElement>("input[type=checkbox]:checked");
  const codes = Array.from(boxes, (b) => b.value);
  return codes.length ? codes : ["auto"];
}

function setMarkets(codes: string[]) {
  const want = new Set(codes.length ? codes : ["auto"]);
  ui.markets.querySelectorAll<HTMLInputElement>("input[type=checkbox]").forEach((b) => {
    b.checked = want.has(b.value);
  });
}

function toast(text: string) {
  ui.toast.textContent = text;
  window.setTimeout(() => {
    if (ui.toast.textContent === text) ui.toast.textContent = "";
  }, 3000);
}

function languageName(code: string | null): string {
  return info?.languages.find((l) => l.code === code)?.name ?? code ?? "?";
}

function marketName(code: string): string {
  return info?.markets.find((m) => m.code === code)?.name ?? code;
}

// ---------------------------------------------------------------- checking

function scheduleCheck() {
  if (pending) return;
  pending = true;
  queueMicrotask(() => {
    pending = false;
    runCheck();
  });
}

function runCheck() {
  if (!adlint || !view) return;
  const text = view.state.doc.toString();
  const started = performance.now();
  let response: CheckResponse;
  try {
    response = adlint.check({ text, path: ui.path.value, jurisdictions: chosenMarkets() });
  } catch (e) {
    ui.status.textContent = String(e instanceof Error ? e.message : e);
    ui.status.className = "failed";
    view.dispatch(setDiagnostics(view.state, []));
    return;
  }
  const checkMs = performance.now() - started;
  last = { text, response };
  window.adlintPlayground.last = response;
  render(text, response, checkMs);
  const gen = ++generation;
  const from = keyAt;
  keyAt = null;
  const drawn = performance.now();
  // A key more than a second ago did not make this change (an arrow key, then a paste).
  const fromKey = from !== null && drawn - from < 1000 ? drawn - from : null;
  window.adlintPlayground.timing = {
    check: checkMs,
    fromKey,
    generation: gen,
  };
  document.body.dataset.generation = String(gen);
}

function cmSeverity(s: Diagnostic["severity"]): CmDiagnostic["severity"] {
  return s === "note" ? "info" : s;
}

function render(text: string, response: CheckResponse, checkMs: number) {
  const report = response.report;
  const offsets = new Offsets(text);
  const diagnostics: CmDiagnostic[] = report.diagnostics.map((d, index) => {
    const from = offsets.toUnits(d.start);
    const to = Math.max(from, offsets.toUnits(d.end));
    const actions = [];
    if (d.fix && (d.fix.applicability === "safe" || ui.unsafe.checked)) {
      actions.push({ name: d.fix.applicability === "safe" ? "Fix" : "Suggested fix", apply: () => applyFixes([index]) });
    }
    return {
      from,
      to,
      severity: cmSeverity(d.severity),
      source: `${d.code} [${d.jurisdiction}]`,
      message: `${d.message}: ${d.label}`,
      actions,
    };
  });
  view.dispatch(setDiagnostics(view.state, diagnostics));

  // The list beside the editor.
  ui.findings.replaceChildren(...report.diagnostics.map((d, i) => findingItem(d, i, offsets)));
  ui.problems.replaceChildren(
    ...report.problems.map((p) => {
      const div = document.createElement("div");
      div.className = `problem ${p.severity}`;
      div.textContent = `${p.severity}${p.line ? ` (line ${p.line})` : ""}: ${p.message}`;
      return div;
    }),
  );

  const s = report.summary;
  const markets = response.jurisdictions.map((j) => j.toUpperCase()).join(", ") || "none";
  const found =
    s.errors + s.warnings + s.notes === 0
      ? "No problems found"
      : [plural(s.errors, "error"), plural(s.warnings, "warning"), plural(s.notes, "note")].filter(Boolean).join(", ");
  ui.status.className = s.errors ? "has-errors" : s.warnings + s.notes ? "has-warnings" : "clean";
  ui.status.innerHTML = "";
  const head = document.createElement("strong");
  head.textContent = found;
  const detail = document.createElement("span");
  detail.className = "detail";
  detail.textContent = ` · judged under ${markets} · language: ${languageName(response.lang)} (${response.lang_source}) · ${checkMs.toFixed(1)} ms`;
  ui.status.append(head, detail);
  if (s.suppressed) {
    const sup = document.createElement("span");
    sup.className = "detail";
    sup.textContent = ` · ${plural(s.suppressed, "finding")} switched off in the post`;
    ui.status.append(sup);
  }

  const auto = response.lang ? info?.languages.find((l) => l.code === response.lang)?.market : undefined;
  ui.autoMarket.textContent = auto ? `→ ${auto} (${languageName(response.lang)}, ${response.lang_source})` : "";
  const safe = report.diagnostics.filter((d) => d.fix && (d.fix.applicability === "safe" || ui.unsafe.checked)).length;
  ui.fixAll.disabled = safe === 0;
  ui.fixAll.textContent = safe ? `Apply ${ui.unsafe.checked ? "" : "safe "}fixes (${safe})` : "No fix to apply";
}

/** Text with adlint's `code` spans (labels to write, markers) shown as code. */
function rich(className: string, text: string, tag = "p"): HTMLElement {
  const el = document.createElement(tag);
  el.className = className;
  text.split(/(`[^`]+`)/).forEach((part) => {
    if (part.length > 2 && part.startsWith("`") && part.endsWith("`")) {
      const code = document.createElement("code");
      code.textContent = part.slice(1, -1);
      el.append(code);
    } else if (part) el.append(part);
  });
  return el;
}

function plural(n: number, word: string): string {
  return n === 0 ? "" : `${n} ${word}${n === 1 ? "" : "s"}`;
}

function findingItem(d: Diagnostic, index: number, offsets: Offsets): HTMLLIElement {
  const li = document.createElement("li");
  li.className = `finding ${d.severity}`;
  li.dataset.code = d.code;
  li.dataset.jurisdiction = d.jurisdiction;

  const title = document.createElement("button");
  title.type = "button";
  title.className = "finding-title";
  const sev = document.createElement("span");
  sev.className = "severity";
  sev.textContent = d.severity;
  const code = document.createElement("span");
  code.className = "code";
  code.textContent = `${d.code}`;
  const juris = document.createElement("span");
  juris.className = "jurisdiction";
  juris.textContent = d.jurisdiction;
  juris.title = marketName(d.jurisdiction);
  const msg = document.createElement("span");
  msg.className = "message";
  msg.textContent = d.message;
  const where = document.createElement("span");
  where.className = "where";
  where.textContent = `${d.line}:${d.column}`;
  title.append(sev, code, juris, msg, where);
  title.addEventListener("click", () => select(offsets.toUnits(d.start), offsets.toUnits(d.end)));
  li.append(title);

  li.append(rich("label", d.label));
  for (const s of d.secondary) {
    const p = document.createElement("button");
    p.type = "button";
    p.className = "secondary";
    p.textContent = `${s.line}:${s.column} ${s.message}`;
    p.addEventListener("click", () => select(offsets.toUnits(s.start), offsets.toUnits(s.end)));
    li.append(p);
  }
  li.append(rich("note", d.note), rich("help", d.help));

  if (d.fix) {
    const safe = d.fix.applicability === "safe";
    const button = rich(safe ? "fix safe" : "fix suggested", `${safe ? "Fix" : "Suggested fix"}: ${d.fix.title}`, "button") as HTMLButtonElement;
    button.type = "button";
    button.disabled = !safe && !ui.unsafe.checked;
    if (button.disabled) button.title = "a suggested fix says what the post may not say: tick “allow suggested fixes” to apply it";
    button.addEventListener("click", () => applyFixes([index]));
    li.append(button);
  }
  for (const s of d.suggestions ?? []) {
    li.append(rich("suggestion", `suggestion: ${s.title}`));
  }
  return li;
}

function select(from: number, to: number) {
  view.dispatch({ selection: { anchor: from, head: to }, scrollIntoView: true });
  view.focus();
}

// ---------------------------------------------------------------- fixes

/** Applies the fixes of these diagnostics, or every safe fix (`--fix`) when none given. */
function applyFixes(indexes: number[]) {
  if (!adlint || !last) return;
  const text = view.state.doc.toString();
  if (text !== last.text) runCheck();
  let response: CheckResponse;
  try {
    response = adlint.check({
      text,
      path: ui.path.value,
      jurisdictions: chosenMarkets(),
      fix: true,
      fixes: indexes,
      unsafe_fixes: ui.unsafe.checked,
    });
  } catch (e) {
    toast(String(e instanceof Error ? e.message : e));
    return;
  }
  const fixed = response.fixed;
  if (!fixed || fixed.text === text) {
    toast("nothing to fix");
    return;
  }
  replaceText(text, fixed.text, "adlint.fix");
  toast(`applied: ${fixed.applied.join("; ")}`);
}

/** Replaces the document with `next`, as one change of the part that differs (the
 * cursor and the undo history stay useful). */
function replaceText(current: string, next: string, userEvent: string) {
  let start = 0;
  const max = Math.min(current.length, next.length);
  while (start < max && current.charCodeAt(start) === next.charCodeAt(start)) start++;
  let end = 0;
  while (
    end < max - start &&
    current.charCodeAt(current.length - 1 - end) === next.charCodeAt(next.length - 1 - end)
  )
    end++;
  view.dispatch({
    changes: { from: start, to: current.length - end, insert: next.slice(start, next.length - end) },
    userEvent,
  });
}

function setText(text: string) {
  view.dispatch({ changes: { from: 0, to: view.state.doc.length, insert: text }, userEvent: "set" });
}

// ---------------------------------------------------------------- editor

const pasteAsMarkdown = EditorView.domEventHandlers({
  paste(event, v) {
    if (!ui.richPaste.checked) return false;
    const html = event.clipboardData?.getData("text/html");
    if (!html) return false;
    const md = htmlToMarkdown(html);
    if (md === null) return false;
    event.preventDefault();
    v.dispatch(v.state.replaceSelection(md), { userEvent: "input.paste", scrollIntoView: true });
    toast("pasted HTML as Markdown");
    return true;
  },
  drop(event) {
    const file = event.dataTransfer?.files?.[0];
    if (!file) return false;
    event.preventDefault();
    void openFile(file);
    return true;
  },
  keydown(event) {
    keyAt = event.timeStamp;
    return false;
  },
});

const extensions: Extension[] = [
  lineNumbers(),
  editHistory(),
  drawSelection(),
  highlightActiveLine(),
  EditorView.lineWrapping,
  // Front matter as YAML, the post as Markdown (TOML `+++` front matter stays plain).
  yamlFrontmatter({ content: markdown() }),
  syntaxHighlighting(defaultHighlightStyle, { fallback: true }),
  lintGutter(),
  placeholder("Paste or type a blog post (Markdown, HTML or plain text), or drop a file here."),
  keymap.of([...defaultKeymap, ...historyKeymap]),
  pasteAsMarkdown,
  EditorView.updateListener.of((u) => {
    if (u.docChanged) scheduleCheck();
  }),
  EditorView.contentAttributes.of({ "aria-label": "Blog post", spellcheck: "true" }),
];

const view = new EditorView({
  state: EditorState.create({ doc: "", extensions }),
  parent: $<HTMLDivElement>("editor"),
});
window.adlintPlayground.view = view;

async function openFile(file: File) {
  const text = await file.text();
  ui.path.value = file.name;
  setText(text);
}

// ---------------------------------------------------------------- wiring

ui.markets.addEventListener("change", scheduleCheck);
ui.path.addEventListener("input", scheduleCheck);
ui.unsafe.addEventListener("change", scheduleCheck);
ui.fixAll.addEventListener("click", () => applyFixes([]));
ui.open.addEventListener("change", () => {
  const file = ui.open.files?.[0];
  if (file) void openFile(file);
  ui.open.value = "";
});
ui.copy.addEventListener("click", async () => {
  const text = view.state.doc.toString();
  try {
    await navigator.clipboard.writeText(text);
    toast("post copied");
  } catch {
    // No clipboard permission (file://, an old browser): select it for Ctrl+C.
    view.dispatch({ selection: { anchor: 0, head: text.length } });
    view.focus();
    toast("selected: press Ctrl+C (⌘C) to copy");
  }
});
ui.share.addEventListener("click", async () => {
  const hash = await encode({ text: view.state.doc.toString(), markets: chosenMarkets(), path: ui.path.value });
  window.history.replaceState(null, "", hash);
  const url = location.href;
  try {
    await navigator.clipboard.writeText(url);
    toast(`link copied (${url.length} characters; the post stays in the link, not on a server)`);
  } catch {
    toast("link in the address bar: copy it from there");
  }
});
for (const e of EXAMPLES) {
  const option = document.createElement("option");
  option.value = e.id;
  option.textContent = e.title;
  ui.example.append(option);
}
ui.example.addEventListener("change", () => {
  const e = EXAMPLES.find((x) => x.id === ui.example.value);
  if (!e) return;
  setText(e.text);
  ui.example.value = "";
});

async function start() {
  try {
    adlint = await loadEmbedded(wasmBase64);
    info = adlint.info();
  } catch (e) {
    ui.status.textContent = `adlint could not start in this browser: ${String(e)}`;
    ui.status.className = "failed";
    return;
  }
  ui.version.textContent = `adlint ${info.version}`;
  ui.marketList.replaceChildren(
    ...info.markets.map((m) => {
      const label = document.createElement("label");
      const box = document.createElement("input");
      box.type = "checkbox";
      box.value = m.code;
      label.append(box, ` ${m.code}`);
      label.title = m.name;
      return label;
    }),
  );
  // The first check compiles what the engine builds lazily: pay for it now, not on the
  // first keystroke.
  adlint.check({ text: EXAMPLES[1].text, jurisdictions: ["auto"] });

  const shared = await decode(location.hash);
  if (shared) {
    setMarkets(shared.markets);
    if (shared.path) ui.path.value = shared.path;
    setText(shared.text);
  } else {
    setText(EXAMPLES[0].text);
  }
  runCheck();
  window.adlintPlayground.readyMs = performance.now();
  document.body.dataset.ready = "true";
}

void start();
