/**
 * Compiles one Markdown file of content/ (YAML frontmatter + body) into a ContentItem.
 * Pure: the build script does the file I/O, tests feed it fixtures directly.
 */
import { Marked, type Tokens } from "marked";
import { parse as parseYaml } from "yaml";
import type { z } from "zod";
import { cjkLatinSpacingViolations } from "../../src/text/cjk-spacing.ts";
import { escapeHtml } from "../../src/text/escape-html.ts";
import { eventEnd, eventStart } from "../../src/content/event-time.ts";
import type { ContentItem, EventFacts, Frontmatter } from "../../src/content/item.ts";
import { frontmatterSchema } from "./frontmatter-schema.ts";
import { sanitizeItemHtml } from "./sanitize-html.ts";

/** A content file that cannot be compiled; the message names the file, the field and what was expected. */
export class ContentError extends Error {
  constructor(file: string, problems: string[]) {
    super(`${file}:\n${problems.map((p) => `  - ${p}`).join("\n")}`);
    this.name = "ContentError";
  }
}

/** Turns zod issues into "field "a.b": expected …" lines. */
export function describeIssues(error: z.ZodError): string[] {
  return error.issues.map((issue) => {
    const field = issue.path.length > 0 ? issue.path.join(".") : "(frontmatter)";
    return `field "${field}": ${issue.message}`;
  });
}

/**
 * Text a reader sees must follow the one spacing rule (src/text/cjk-spacing.ts):
 * one "field "x": …" line per excerpt that misses a space.
 */
export function spacingProblems(fields: [name: string, text: string][]): string[] {
  return fields.flatMap(([name, text]) =>
    cjkLatinSpacingViolations(text).map(
      (excerpt) => `field "${name}": "${excerpt.replace(/\s+/g, " ").trim()}" needs one space between Chinese and a Latin letter or digit`,
    ),
  );
}

/** Reader-visible text of an item, by field; Markdown link and image targets are not text. */
function textFields(fm: Frontmatter, body: string): [string, string][] {
  return [
    ["title", fm.title],
    ["summary", fm.summary],
    ["author", fm.author],
    ...fm.highlights.map((text, i): [string, string] => [`highlights.${i}`, text]),
    ...fm.figures.map((figure, i): [string, string] => [`figures.${i}.caption`, figure.caption]),
    ...(fm.rights ? [["rights", fm.rights] as [string, string]] : []),
    ...(fm.event?.sessions ?? []).map((session, i): [string, string] => [`event.sessions.${i}.title`, session.title]),
    ...(fm.event?.topics ?? []).map((topic, i): [string, string] => [`event.topics.${i}`, topic]),
    ...(fm.event?.prizes ?? []).map((prize, i): [string, string] => [`event.prizes.${i}`, prize]),
    ["body", body.replace(/\]\([^)]*\)/g, "]")],
  ];
}

const FRONTMATTER = /^---\r?\n([\s\S]*?)\r?\n---\r?\n?([\s\S]*)$/;

export function splitFrontmatter(file: string, source: string): { data: unknown; body: string } {
  const match = FRONTMATTER.exec(source);
  if (!match) throw new ContentError(file, ["no YAML frontmatter: the file must start with a --- block"]);
  try {
    return { data: parseYaml(match[1] ?? ""), body: match[2] ?? "" };
  } catch (error) {
    throw new ContentError(file, [`frontmatter is not valid YAML: ${(error as Error).message}`]);
  }
}


/**
 * The scraped figures have no image files, so `![](w1.jpg)` renders as a captioned
 * figure without an <img>: a reader sees the caption, never a broken image.
 */
function createMarked(file: string, figures: Frontmatter["figures"], used: Set<string>) {
  const marked = new Marked({ gfm: true, async: false });
  marked.use({
    renderer: {
      image(token: Tokens.Image) {
        const figure = figures.find((f) => f.file === token.href);
        if (!figure) {
          throw new ContentError(file, [`body: image "${token.href}" is not listed in field "figures"`]);
        }
        used.add(figure.file);
        return `<figure class="figure"><figcaption>${escapeHtml(figure.caption)}</figcaption></figure>`;
      },
      paragraph(token: Tokens.Paragraph) {
        const only = token.tokens.length === 1 ? token.tokens[0] : undefined;
        const inner = this.parser.parseInline(token.tokens);
        return only?.type === "image" ? `${inner}\n` : `<p>${inner}</p>\n`;
      },
    },
  });
  return marked;
}

/** Plain text of the body: paragraphs and headings separated by blank lines, figures as their captions. */
function bodyText(marked: Marked, body: string, figures: Frontmatter["figures"]): string {
  const blocks: string[] = [];
  for (const token of marked.lexer(body)) {
    if (token.type === "space") continue;
    const text = token.raw
      .replace(/!\[[^\]]*\]\(([^)]+)\)/g, (_, href: string) => figures.find((f) => f.file === href)?.caption ?? "")
      .replace(/^#+\s*/, "")
      .replace(/[*_`]/g, "")
      .trim();
    if (text) blocks.push(text);
  }
  return blocks.join("\n\n");
}

/** Characters XML 1.0 forbids; they must never reach a feed. */
const XML_FORBIDDEN = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/;

/** Fields `npm run curate` left as "TODO: …" for a person to fill in, by path. */
function todoFields(value: unknown, path: string[] = []): string[] {
  if (typeof value === "string") return /^TODO\b/.test(value) ? [path.join(".")] : [];
  if (value === null || typeof value !== "object") return [];
  return Object.entries(value).flatMap(([key, inner]) => todoFields(inner, [...path, key]));
}

/** The line that starts an event's registration call in the body (see ContentItem.registration). */
export const REGISTRATION_LINE = "<!-- registration -->";
const REGISTRATION_MARKER = /^<!-- registration -->[ \t]*$/m;

function eventProblems(event: EventFacts): string[] {
  const problems: string[] = [];
  const wholeDay = (time: string) => !time.includes("T");
  if (wholeDay(event.starts) !== wholeDay(event.ends)) {
    problems.push('field "event.ends": expected the same kind as "event.starts" (both dates or both date-times)');
  } else if (eventStart(event) >= eventEnd(event)) {
    problems.push('field "event.ends": expected a time after "event.starts"');
  }
  const deadline = event.registration?.deadline;
  if (deadline && Date.parse(deadline) > eventEnd(event)) {
    problems.push('field "event.registration.deadline": expected a time before the event ends');
  }
  return problems;
}

/** The item's HTML as the sanitizer leaves it; anything it would remove fails the build (src/content/sanitize-html.ts). */
function allowedHtml(file: string, part: string, html: string): string {
  const { html: clean, refused } = sanitizeItemHtml(html);
  if (refused.length > 0) throw new ContentError(file, refused.map((what) => `${part}: ${what} is outside the HTML allow-list`));
  return clean;
}

export function compileItem(file: string, source: string): ContentItem {
  const { data, body } = splitFrontmatter(file, source);
  const todos = todoFields(data);
  if (todos.length > 0) {
    throw new ContentError(file, todos.map((field) => `field "${field}": still a TODO left by curation, fill it in`));
  }
  const parsed = frontmatterSchema.safeParse(data);
  if (!parsed.success) throw new ContentError(file, describeIssues(parsed.error));
  const fm = parsed.data;

  const problems: string[] = [];
  if (fm.kind === "event" && !fm.event) problems.push('field "event": required when kind is "event"');
  if (fm.kind !== "event" && fm.event) problems.push('field "event": only allowed when kind is "event"');
  if (fm.updated && Date.parse(fm.updated) < Date.parse(fm.published)) {
    problems.push('field "updated": expected a time at or after "published"');
  }
  if (fm.event) problems.push(...eventProblems(fm.event));
  const [main = "", registration] = body.split(REGISTRATION_MARKER, 2);
  if (registration !== undefined && !fm.event) problems.push(`body: a ${REGISTRATION_LINE} part is only allowed when kind is "event"`);
  if (registration !== undefined && !registration.trim()) problems.push(`body: expected Markdown after ${REGISTRATION_LINE}`);
  if (XML_FORBIDDEN.test(source)) problems.push("body: contains control characters that XML 1.0 forbids");
  if (!body.trim()) problems.push("body: expected Markdown after the frontmatter");
  problems.push(...spacingProblems(textFields(fm, body)));
  if (problems.length > 0) throw new ContentError(file, problems);

  const used = new Set<string>();
  const marked = createMarked(file, fm.figures, used);
  const html = allowedHtml(file, "body", marked.parse(main) as string);
  const registrationPart =
    registration === undefined
      ? {}
      : { registration: { html: allowedHtml(file, "registration", marked.parse(registration) as string), text: bodyText(marked, registration, fm.figures) } };
  const unused = fm.figures.filter((f) => !used.has(f.file)).map((f) => f.file);
  if (unused.length > 0) {
    throw new ContentError(file, [`field "figures": ${unused.join(", ")} listed but never placed in the body as ![](file)`]);
  }
  return { ...fm, html, text: bodyText(marked, main, fm.figures), ...registrationPart };
}

/** Checks the collection as a whole: unique slugs and ids. */
export function checkCollection(items: { file: string; item: ContentItem }[]): void {
  const seen = new Map<string, string>();
  for (const { file, item } of items) {
    for (const key of [`slug ${item.slug}`, `id ${item.id}`]) {
      const other = seen.get(key);
      if (other) throw new ContentError(file, [`field "${key.split(" ")[0]}": "${key.slice(key.indexOf(" ") + 1)}" is already used by ${other}`]);
      seen.set(key, file);
    }
  }
}
