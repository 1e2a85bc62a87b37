declare module "virtual:adlint-wasm" {
  /** The adlint WebAssembly module, gzip-compressed, as base64 (vite.config.ts). */
  const base64: string;
  export default base64;
}
declare module "*.css";
