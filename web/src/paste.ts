// Text pasted from a rich editor (WordPress, Ghost, Notion, Google Docs, Word) arrives as
// HTML too: turned into Markdown, so that links, emphasis and headings stay what adlint
// reads (a label in bold, an affiliate link with its URL).
import TurndownService from "turndown";

const turndown = new TurndownService({
  headingStyle: "atx",
  codeBlockStyle: "fenced",
  bulletListMarker: "-",
  emDelimiter: "*",
  strongDelimiter: "**",
  hr: "---",
});

// Google Docs wraps a whole copy in <b style="font-weight:normal">: not bold.
turndown.addRule("not-bold", {
  filter: (node) =>
    (node.nodeName === "B" || node.nodeName === "STRONG") &&
    /font-weight:\s*(normal|400)/i.test(node.getAttribute("style") ?? ""),
  replacement: (content) => content,
});
// Google Docs marks bold and italic with styles on spans.
turndown.addRule("styled-span", {
  filter: (node) => node.nodeName === "SPAN" && /font-weight:\s*(bold|[6-9]00)|font-style:\s*italic/i.test(node.getAttribute("style") ?? ""),
  replacement: (content, node) => {
    if (!content.trim()) return content;
    const style = (node as HTMLElement).getAttribute("style") ?? "";
    let out = content;
    if (/font-style:\s*italic/i.test(style)) out = `*${out}*`;
    if (/font-weight:\s*(bold|[6-9]00)/i.test(style)) out = `**${out}**`;
    return out;
  },
});
// Word's and Docs' leftovers: comments, <style>, <meta>, Office tags.
turndown.remove(["style", "meta", "title", "script"]);

/** Tags a plain-text editor does not make: their presence means formatted text. */
const RICH = /<(a\s|p[\s>]|h[1-6][\s>]|strong|em[\s>]|b[\s>]|i[\s>]|li[\s>]|ul[\s>]|ol[\s>]|blockquote|img\s|table)/i;

/** Markdown for pasted HTML, or null when the HTML only wraps plain text (a code editor's
 * copy: spans and divs), where the plain text is the better paste. */
export function htmlToMarkdown(html: string): string | null {
  if (!RICH.test(html)) return null;
  const cleaned = html.replace(/<!--[\s\S]*?-->/g, "");
  const markdown = turndown.turndown(cleaned).replace(/\u00a0/g, " ");
  return markdown.trim() ? markdown : null;
}
