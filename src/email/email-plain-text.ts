/**
 * The plain-text part of an email, derived from its rendered HTML. It reproduces what
 * html-to-text gave with @react-email/render's `toPlainText` and our options (the tests
 * compare both on every template), for the markup React Email writes: ~2 KB instead of
 * html-to-text and its HTML parser (~50 KiB gzip in the Worker).
 *
 * - Only <body> counts; comments (MSO conditionals), images and `data-skip-in-text="true"`
 *   elements are left out. Hidden text-only elements (TextOnly) are kept: CSS is ignored.
 * - Blocks are separated by line breaks, at least as many as either side asks for:
 *   h1–h3 3 before and 2 after; p, table, tr, td and `data-text-line` 2; div 1.
 * - Whitespace runs (not &nbsp;) collapse to one space; <br> breaks the line. Entities:
 *   numeric ones and the named ones React writes (amp, lt, gt, quot, apos, nbsp).
 * - Links read "label https://…" (mailto: dropped; the address alone when the label is
 *   the address or empty). Headings are left as written.
 */
import { TEXT_LINE_ATTRIBUTE } from "../../emails/components/block.tsx";

interface Element {
  name: string;
  attributes: Map<string, string>;
  children: Node[];
}
type Node = Element | string;

const VOID_ELEMENTS = new Set(["area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"]);
const RAW_TEXT_ELEMENTS = new Set(["script", "style", "title", "textarea"]);
/** Line breaks before and after each block element. */
const BLOCKS: Record<string, [number, number]> = {
  p: [2, 2],
  h1: [3, 2],
  h2: [3, 2],
  h3: [3, 2],
  h4: [2, 2],
  h5: [2, 2],
  h6: [2, 2],
  table: [2, 2],
  div: [1, 1],
  tr: [2, 2],
  td: [2, 2],
  th: [2, 2],
  ul: [2, 2],
  ol: [2, 2],
  li: [1, 1],
  blockquote: [2, 2],
  section: [1, 1],
  header: [1, 1],
  footer: [1, 1],
  main: [1, 1],
  article: [1, 1],
};
/** html-to-text's whitespace: ASCII spaces and the zero-width space, never &nbsp;. */
const WORD = /[^ \t\r\n\f\u200b]+/g;
const LEADING_SPACE = /^[ \t\r\n\f\u200b]/;
const TRAILING_SPACE = /[ \t\r\n\f\u200b]$/;

const NAMED_ENTITIES: Record<string, string> = { amp: "&", lt: "<", gt: ">", quot: '"', apos: "'", nbsp: "\u00a0" };

function decodeEntities(text: string): string {
  return text.replace(/&(#x[0-9a-f]+|#[0-9]+|[a-z]+);/gi, (entity, name: string) => {
    if (name[0] !== "#") return NAMED_ENTITIES[name.toLowerCase()] ?? entity;
    const code = name[1] === "x" || name[1] === "X" ? parseInt(name.slice(2), 16) : parseInt(name.slice(1), 10);
    return code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : "\ufffd";
  });
}

const TOKEN = /<!--[\s\S]*?-->|<![^>]*>|<\/([a-zA-Z][\w:-]*)\s*>|<([a-zA-Z][\w:-]*)((?:\s+[^\s"'>/=]+(?:\s*=\s*(?:"[^"]*"|'[^']*'|[^\s"'>]+))?)*)\s*(\/?)>|[^<]+|</g;
const ATTRIBUTE = /([^\s"'>/=]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]+)))?/g;

/** A tree of the markup (tag soup tolerated: an unmatched end tag closes up to its element, or is ignored). */
function parse(html: string): Element {
  const root: Element = { name: "#root", attributes: new Map(), children: [] };
  const open: Element[] = [root];
  let rawTextEnd: string | null = null;
  for (const [token, endName, startName, attributeText, selfClosing] of html.matchAll(TOKEN)) {
    const parent = open[open.length - 1]!;
    if (rawTextEnd !== null) {
      // Inside <style> and the like everything up to the end tag is text nobody reads.
      if (endName?.toLowerCase() === rawTextEnd) {
        rawTextEnd = null;
        open.pop();
      }
    } else if (startName) {
      const name = startName.toLowerCase();
      const attributes = new Map<string, string>();
      for (const [, key, double, single, bare] of (attributeText ?? "").matchAll(ATTRIBUTE)) {
        attributes.set(key!.toLowerCase(), decodeEntities(double ?? single ?? bare ?? ""));
      }
      const element: Element = { name, attributes, children: [] };
      parent.children.push(element);
      if (VOID_ELEMENTS.has(name) || selfClosing) continue;
      open.push(element);
      if (RAW_TEXT_ELEMENTS.has(name)) rawTextEnd = name;
    } else if (endName) {
      const index = open.map((element) => element.name).lastIndexOf(endName.toLowerCase());
      if (index > 0) open.length = index;
    } else if (!token.startsWith("<!") || token === "<") {
      parent.children.push(decodeEntities(token));
    }
  }
  return root;
}

/** One block being written: finished text, the current lines of words, and pending line breaks. */
class BlockText {
  text = "";
  lines: string[] = [];
  words: string[] = [];
  stashedSpace = false;
  pendingBreaks = 0;
  constructor(public leadingBreaks: number) {}

  hasInline(): boolean {
    return this.lines.length > 0 || this.words.length > 0;
  }
  content(): string {
    return this.hasInline() ? this.text + [...this.lines, this.words.join(" ")].join("\n") : this.text;
  }
  newLine(count = 1): void {
    this.lines.push(this.words.join(" "), ...Array<string>(count - 1).fill(""));
    this.words = [];
  }
  /** A finished child block (or its text) joins this one. */
  append(text: string, leadingBreaks: number, trailingBreaks: number): void {
    const current = this.content();
    const breaks = Math.max(this.pendingBreaks, leadingBreaks);
    this.lines = [];
    this.words = [];
    if (current) this.text = current + "\n".repeat(breaks) + text;
    else {
      this.text = text;
      this.leadingBreaks = breaks;
    }
    this.pendingBreaks = trailingBreaks;
  }
}

class TextWriter {
  private readonly blocks: BlockText[] = [new BlockText(1)];
  /** Collectors of the words written inside open links. */
  private readonly linkTexts: string[][] = [];

  private get block(): BlockText {
    return this.blocks[this.blocks.length - 1]!;
  }

  inline(text: string, recordWords = true): void {
    const block = this.block;
    const words = text.match(WORD) ?? [];
    if (!text || (block.pendingBreaks && words.length === 0)) return;
    if (block.pendingBreaks) block.newLine(block.pendingBreaks);
    const [first, ...rest] = words;
    if (first !== undefined) {
      if (recordWords) for (const collected of this.linkTexts) collected.push(...words);
      if (block.stashedSpace || LEADING_SPACE.test(text) || block.words.length === 0) block.words.push(first);
      else block.words[block.words.length - 1] += first;
      block.words.push(...rest);
    }
    block.stashedSpace = (block.stashedSpace && first === undefined) || TRAILING_SPACE.test(text);
    block.pendingBreaks = 0;
  }

  lineBreak(): void {
    this.block.newLine();
  }

  openBlock(leadingBreaks: number): void {
    this.blocks.push(new BlockText(leadingBreaks));
  }

  closeBlock(trailingBreaks: number): void {
    const block = this.blocks.pop()!;
    this.block.append(block.content(), block.leadingBreaks, Math.max(block.pendingBreaks, trailingBreaks));
  }

  openLink(): void {
    this.linkTexts.push([]);
  }

  /** The words written since the matching openLink, joined as html-to-text compares them with the href. */
  closeLink(): string {
    return (this.linkTexts.pop() ?? []).join("");
  }

  toString(): string {
    return this.blocks[0]!.content();
  }
}

function write(nodes: readonly Node[], writer: TextWriter): void {
  for (const node of nodes) {
    if (typeof node === "string") writer.inline(node);
    else writeElement(node, writer);
  }
}

function writeElement(element: Element, writer: TextWriter): void {
  const { name, attributes, children } = element;
  if (name === "img" || attributes.get("data-skip-in-text") === "true") return;
  if (name === "br") return writer.lineBreak();
  if (name === "a" && attributes.get("href")) return writeLink(attributes.get("href")!.replace(/^mailto:/, ""), children, writer);
  const breaks = attributes.has(TEXT_LINE_ATTRIBUTE) ? ([2, 2] as const) : BLOCKS[name];
  if (!breaks) return write(children, writer);
  writer.openBlock(breaks[0]);
  write(children, writer);
  writer.closeBlock(breaks[1]);
}

function writeLink(href: string, children: readonly Node[], writer: TextWriter): void {
  writer.openLink();
  write(children, writer);
  const label = writer.closeLink();
  if (href !== label) writer.inline(label ? ` ${href}` : href, false);
}

function findBody(element: Element): Element | null {
  if (element.name === "body") return element;
  for (const child of element.children) {
    const body = typeof child === "string" ? null : findBody(child);
    if (body) return body;
  }
  return null;
}

/** The text part of an email whose HTML is `html`. */
export function emailPlainText(html: string): string {
  const root = parse(html);
  const writer = new TextWriter();
  write([findBody(root) ?? root], writer);
  return (
    writer
      .toString()
      // Spacer cells (&nbsp;) leave blank-looking lines behind.
      .replace(/^[ \t\u00a0]+$/gm, "")
      .replace(/\n{3,}/g, "\n\n")
      .trim()
  );
}
