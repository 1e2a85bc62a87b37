// The playground's build: one index.html that opens from disk (file://) as well as from
// any static host. Chromium refuses module scripts and fetch() from file://, so the
// script, the styles and the WebAssembly (gzip, base64) are inlined into the page.
import { defineConfig, type Plugin } from "vite";
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { gzipSync } from "node:zlib";

/** Where scripts/playground.sh puts the module (ADLINT_WASM overrides). */
const WASM = process.env.ADLINT_WASM ?? resolve(__dirname, "wasm/adlint.wasm");

/** `import base64 from "virtual:adlint-wasm"`: the module, gzip-compressed, as base64. */
function embedWasm(): Plugin {
  const id = "virtual:adlint-wasm";
  return {
    name: "adlint-embed-wasm",
    resolveId: (source) => (source === id ? "\0" + id : null),
    load(loaded) {
      if (loaded !== "\0" + id) return null;
      this.addWatchFile(WASM);
      const packed = gzipSync(readFileSync(WASM), { level: 9 });
      return `export default ${JSON.stringify(packed.toString("base64"))};`;
    },
  };
}

/** Moves the built script and styles into index.html. */
function inlineIntoHtml(): Plugin {
  const CSP =
    "default-src 'none'; script-src 'unsafe-inline' 'wasm-unsafe-eval'; style-src 'unsafe-inline'; img-src data:; form-action 'none'; base-uri 'none'";
  return {
    name: "adlint-inline",
    enforce: "post",
    apply: "build",
    generateBundle(_options, bundle) {
      const html = bundle["index.html"];
      if (!html || html.type !== "asset") return;
      let page = String(html.source);
      for (const [name, item] of Object.entries(bundle)) {
        const ref = new RegExp(`<script[^>]*src="\\./${name.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}"[^>]*></script>`);
        if (item.type === "chunk" && ref.test(page)) {
          const code = item.code.replace(/<\/script/gi, "<\\/script").replace(/<!--/g, "<\\!--");
          page = page.replace(ref, () => "");
          page = page.replace("</body>", () => `<script type="module">${code}</script>\n</body>`);
          delete bundle[name];
        }
        const css = new RegExp(`<link[^>]*href="\\./${name.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}"[^>]*>`);
        if (item.type === "asset" && name.endsWith(".css") && css.test(page)) {
          page = page.replace(css, () => `<style>${String(item.source)}</style>`);
          delete bundle[name];
        }
      }
      page = page.replace(
        "<head>",
        `<head>\n    <meta http-equiv="Content-Security-Policy" content="${CSP}" />`,
      );
      html.source = page;
    },
  };
}

export default defineConfig({
  base: "./",
  plugins: [embedWasm(), inlineIntoHtml()],
  build: {
    outDir: "dist",
    emptyOutDir: true,
    target: "es2022",
    assetsInlineLimit: Number.MAX_SAFE_INTEGER,
    cssCodeSplit: false,
    modulePreload: false,
    chunkSizeWarningLimit: 4096,
    rollupOptions: { output: { inlineDynamicImports: true } },
  },
});
