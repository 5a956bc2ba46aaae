/**
 * The body as a list of blocks (paragraphs, headings, figures, and Markdown structure such
 * as lists and quotes that is kept as written), parsed from lines and rendered back to the
 * Markdown the content build reads.
 */
export type Block =
  | { kind: "paragraph"; text: string }
  | { kind: "heading"; level: number; text: string }
  | { kind: "figure"; file: string; caption?: string; /** "[图片]" in a text copy: no file of its own. */ placeholder?: boolean }
  | { kind: "markdown"; text: string };

const HEADING = /^(#{1,6})\s+(.+)$/;
const IMAGE_LINE = /^!\[([^\]]*)\]\(([^)\s]+)(?:\s+"[^"]*")?\)$/;
const IMAGE_FILE = /^[\w.-]+\.(?:jpe?g|png|gif|webp)$/i;
export const IMAGE_PLACEHOLDER = /^[[【](?:图片|图)[\]】]$/;
const STRUCTURE = /^(?:[-*+]\s|\d+[.)]\s|>|\||```)/;

/** One block per group of lines (a text scrape gives one line per group, Markdown a blank-line-separated group). */
export function parseBlocks(groups: string[]): Block[] {
  let placeholders = 0;
  return groups.map((group): Block => {
    const text = group.trim();
    const heading = HEADING.exec(text);
    if (heading && !text.includes("\n")) return { kind: "heading", level: heading[1]?.length ?? 2, text: heading[2] ?? "" };
    const image = IMAGE_LINE.exec(text);
    if (image) return { kind: "figure", file: image[2] ?? "", ...(image[1] ? { caption: image[1] } : {}) };
    if (IMAGE_FILE.test(text)) return { kind: "figure", file: text };
    if (IMAGE_PLACEHOLDER.test(text)) return { kind: "figure", file: `figure-${++placeholders}`, placeholder: true };
    if (STRUCTURE.test(text)) return { kind: "markdown", text };
    return { kind: "paragraph", text };
  });
}

export function renderBlock(block: Block): string {
  switch (block.kind) {
    case "heading":
      return `${"#".repeat(block.level)} ${block.text}`;
    case "figure":
      return `![](${block.file})`;
    default:
      return block.text;
  }
}

export function renderBlocks(blocks: Block[]): string {
  return `${blocks.map(renderBlock).join("\n\n")}\n`;
}

/** Markdown blank-line groups. */
export function markdownGroups(markdown: string): string[] {
  return markdown
    .split(/\n[ \t]*\n/)
    .map((g) => g.replace(/^\n+|\s+$/g, ""))
    .filter((g) => g.trim().length > 0);
}
