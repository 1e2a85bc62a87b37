// A draft shared as the URL fragment: deflated, base64url. The fragment never reaches a
// server (browsers do not send it), so a shared link uploads nothing.

export interface Shared {
  text: string;
  markets: string[];
  path?: string;
}

const PREFIX = "#post=";

function toBase64Url(bytes: Uint8Array): string {
  let binary = "";
  for (let i = 0; i < bytes.length; i += 0x8000) {
    binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  }
  return btoa(binary).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

function fromBase64Url(text: string): Uint8Array {
  const b64 = text.replace(/-/g, "+").replace(/_/g, "/");
  return Uint8Array.from(atob(b64 + "=".repeat((4 - (b64.length % 4)) % 4)), (c) => c.charCodeAt(0));
}

async function pipe(bytes: Uint8Array, through: CompressionStream | DecompressionStream): Promise<Uint8Array> {
  const stream = new Blob([bytes as BlobPart]).stream().pipeThrough(through);
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

export async function encode(shared: Shared): Promise<string> {
  const json = new TextEncoder().encode(JSON.stringify(shared));
  return PREFIX + toBase64Url(await pipe(json, new CompressionStream("deflate-raw")));
}

/** The draft in a fragment, or null when the fragment holds none (or a broken one). */
export async function decode(hash: string): Promise<Shared | null> {
  if (!hash.startsWith(PREFIX)) return null;
  try {
    const bytes = await pipe(fromBase64Url(hash.slice(PREFIX.length)), new DecompressionStream("deflate-raw"));
    const value = JSON.parse(new TextDecoder().decode(bytes)) as Partial<Shared>;
    if (typeof value.text !== "string") return null;
    const markets = Array.isArray(value.markets) ? value.markets.filter((m) => typeof m === "string") : [];
    const path = typeof value.path === "string" ? value.path : undefined;
    return { text: value.text, markets, path };
  } catch {
    return null;
  }
}
