/**
 * npm run curate -- <file> [--url <original URL>] [--slug a[,b]] [--tags a,b] [--out content/] [--dry-run]
 *
 * Turns a saved web page or a raw text scrape into clean items of content/ (one per piece
 * found) and prints a report on stderr. Bad input: one line on stderr, exit 1, nothing written.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { parseArgs } from "node:util";
import { CurationError } from "./curate/curation-error.ts";
import { curate } from "./curate/curate.ts";
import { formatReport } from "./curate/report.ts";

const USAGE = "用法：npm run curate -- <文件> [--url 原文链接] [--slug a[,b]] [--tags a,b] [--out content/] [--dry-run]";

const list = (value: string | undefined) => (value ?? "").split(",").map((s) => s.trim()).filter((s) => s.length > 0);

function main(): void {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      url: { type: "string" },
      slug: { type: "string" },
      tags: { type: "string" },
      out: { type: "string", default: "content" },
      "dry-run": { type: "boolean", default: false },
    },
  });
  const [file, ...extra] = positionals;
  if (!file || extra.length > 0) throw new CurationError(USAGE);
  if (values.url !== undefined && !URL.canParse(values.url)) throw new CurationError(`--url 不是有效的链接：${values.url}`);
  let bytes: Buffer;
  try {
    bytes = readFileSync(file);
  } catch (error) {
    throw new CurationError(`读不了 ${file}：${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }

  const { items, report } = curate(bytes, {
    file,
    ...(values.url ? { sourceUrl: values.url } : {}),
    slugs: list(values.slug),
    tags: list(values.tags),
    now: new Date(),
  });
  const targets = items.map((item) => ({ item, path: join(values.out, item.fileName) }));
  if (!values["dry-run"]) {
    // Never overwrite another file; re-curating an item in place is allowed.
    const taken = targets.find(({ path }) => existsSync(path) && resolve(path) !== resolve(file));
    if (taken) throw new CurationError(`${taken.path} 已存在，没有写入任何文件（换 --slug 或 --out）`);
    mkdirSync(values.out, { recursive: true });
    for (const { item, path } of targets) writeFileSync(path, item.markdown);
  } else {
    for (const { item, path } of targets) process.stdout.write(`=== ${path}\n${item.markdown}`);
  }
  process.stderr.write(formatReport({ ...report, items: report.items.map((r, i) => ({ ...r, file: targets[i]?.path ?? r.file })) }));
  if (report.sentences.missing.length > 0) process.exitCode = 2;
}

try {
  main();
} catch (error) {
  if (!(error instanceof CurationError) && !(error instanceof TypeError && "code" in error)) throw error;
  process.stderr.write(`curate: ${error.message.split("\n")[0]}\n`);
  process.exitCode = 1;
}
