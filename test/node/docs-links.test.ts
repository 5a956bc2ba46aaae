/**
 * The docs stay true to the repository: every relative link (and its #anchor) and every file
 * path named in backticks in README.md and docs/*.md resolves; the README stays a front door
 * (at most 12 KB) whose folder order is the one `npm run check:imports` enforces and whose
 * configuration lists every var and secret.
 */
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { FOLDER_ORDER } from "../../scripts/import-rules.ts";

const root = resolve(import.meta.dirname, "../..");
const read = (file: string) => readFileSync(join(root, file), "utf8");
const docFiles = ["README.md", ...readdirSync(join(root, "docs")).filter((f) => f.endsWith(".md")).map((f) => `docs/${f}`)];

/** Markdown without its fenced code blocks (commands and samples, not references). */
const withoutCodeBlocks = (markdown: string) => markdown.replace(/^[ \t]*(```|~~~)[^\n]*\n[\s\S]*?^[ \t]*\1[^\n]*$/gm, "");

/** GitHub's anchor for a heading: lower case, punctuation dropped, spaces to dashes. */
const anchorOf = (heading: string) =>
  heading
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s_-]/gu, "")
    .replace(/\s/g, "-");

const anchorsIn = (markdown: string) => new Set([...withoutCodeBlocks(markdown).matchAll(/^#{1,6}\s+(.+)$/gm)].map((m) => anchorOf(m[1] ?? "")));

/** The repository's view of the files a document may name. */
interface Repository {
  /** Whether the path (relative to the root, no leading "./") is a file or a folder. */
  exists(path: string): boolean;
  /** Top-level names a backticked path may start with (folders and files). */
  topLevel: Set<string>;
  /** Git-ignored build outputs, named in the docs but absent before the build. */
  generated: Set<string>;
  /** Markdown text of a document, for its anchors. */
  markdown(path: string): string;
}

/** What in `markdown` (the file `file`) does not resolve: one line per broken reference. */
function unresolvedReferences(file: string, markdown: string, repo: Repository): string[] {
  const text = withoutCodeBlocks(markdown);
  const problems: string[] = [];
  const dir = dirname(file);
  for (const [, target] of text.matchAll(/\]\(([^)\s]+)(?:\s+"[^"]*")?\)/g)) {
    if (!target || /^[a-z][a-z+.-]*:/i.test(target)) continue;
    const [pathPart = "", anchor] = target.split("#");
    if (pathPart === "") {
      if (anchor && !anchorsIn(markdown).has(anchor)) problems.push(`${file}: link (${target}) names a heading #${anchor} that ${file} does not have`);
      continue;
    }
    const path = relative(".", join(dir, decodeURI(pathPart)));
    if (!repo.exists(path)) {
      problems.push(`${file}: link (${target}) names ${path}, which does not exist`);
    } else if (anchor && path.endsWith(".md") && !anchorsIn(repo.markdown(path)).has(anchor)) {
      problems.push(`${file}: link (${target}) names a heading #${anchor} that ${path} does not have`);
    }
  }
  for (const [, code] of text.matchAll(/`([^`\n]+)`/g)) {
    if (!code || !/^[\w.@-]+(\/[\w.@-]*)*$/.test(code)) continue;
    const first = code.split("/")[0] ?? "";
    if (!repo.topLevel.has(first) || (first === code && !code.includes("."))) continue;
    const path = code.replace(/\/$/, "");
    if (repo.exists(path) || repo.generated.has(path)) continue;
    // `migrations/0006` names the migration file that starts with it.
    const parent = dirname(path);
    const prefixOfAFile = repo.exists(parent) && listing(parent).some((name) => name.startsWith(`${path.slice(parent.length + 1)}_`));
    if (!prefixOfAFile) problems.push(`${file}: \`${code}\` is not a file or folder of the repository`);
  }
  return problems;
}

function listing(dir: string): string[] {
  try {
    return readdirSync(join(root, dir));
  } catch {
    return [];
  }
}

const repository: Repository = {
  exists: (path) => existsSync(join(root, path)),
  topLevel: new Set(readdirSync(root).filter((name) => ![".git", "node_modules", ".wrangler"].includes(name))),
  generated: new Set(read(".gitignore").split("\n").map((line) => line.trim().replace(/\/$/, "")).filter((line) => line.includes("/"))),
  markdown: (path) => (statSync(join(root, path)).isFile() ? read(path) : ""),
};

describe("links and paths in README.md and docs/", () => {
  it.each(docFiles)("%s: every relative link, anchor and backticked path resolves", (file) => {
    expect(unresolvedReferences(file, read(file), repository)).toEqual([]);
  });

  it("a broken link, a missing anchor and a stale path are each caught and named", () => {
    const markdown = [
      "# Title",
      "See [sending](sending.md#how-a-send-works), [the bench](../bench/RESULTS.md), [a gone page](gone.md),",
      "[a gone heading](api.md#no-such-heading), [here](#title) and [there](#nowhere).",
      "The pacer is `src/email/pacer.ts`; the old stub was `src/email/prettier-stub.ts`.",
      "Not paths: `npm test`, `c.req.valid(target)`, `content/digests/<id>.yaml`, `store.ts`.",
      "```sh",
      "cat src/no/such/file.ts",
      "```",
    ].join("\n");
    expect(unresolvedReferences("docs/example.md", markdown, repository)).toEqual([
      "docs/example.md: link (gone.md) names docs/gone.md, which does not exist",
      "docs/example.md: link (api.md#no-such-heading) names a heading #no-such-heading that docs/api.md does not have",
      "docs/example.md: link (#nowhere) names a heading #nowhere that docs/example.md does not have",
      "docs/example.md: `src/email/prettier-stub.ts` is not a file or folder of the repository",
    ]);
  });
});

describe("the README", () => {
  const readme = read("README.md");

  it("is a front door of at most 12 KB that shows both quick-start commands", () => {
    expect(Buffer.byteLength(readme)).toBeLessThanOrEqual(12_000);
    expect(readme).toContain("npm start");
    expect(readme).toContain("npm test");
  });

  it("gives the folder order the import check enforces, top to bottom", () => {
    const list = readme.split("<!-- folder-order")[1] ?? "";
    const layers = [...list.matchAll(/^\d+\. (.+)$/gm)].map((m) => [...(m[1] ?? "").matchAll(/`([^`]+)`/g)].map((c) => c[1]));
    expect(layers).toEqual([...FOLDER_ORDER].reverse());
  });

  it("lists every var of wrangler.toml and every secret of .dev.vars.example under Configuration", () => {
    const configuration = readme.split("## Configuration")[1]?.split("\n## ")[0] ?? "";
    const vars = (read("wrangler.toml").split("[vars]")[1]?.split(/^\[/m)[0] ?? "").match(/^[A-Z_]+(?= =)/gm) ?? [];
    const secrets = read(".dev.vars.example").match(/^[A-Z_]+(?==)/gm) ?? [];
    expect(vars.length + secrets.length).toBeGreaterThan(0);
    for (const name of [...vars, ...secrets]) expect(configuration, name).toContain(`| \`${name}\` |`);
  });
});
