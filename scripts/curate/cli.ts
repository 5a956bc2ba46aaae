/**
 * The command line of `npm run curate`, as a function: arguments and an output sink in, an
 * exit code out. scripts/curate.ts only hands it process.argv, so the tests call this
 * directly and keep just two process-level smoke tests.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join, resolve, sep } from "node:path";
import { parseArgs } from "node:util";
import { slug as slugRule } from "../content/slug.ts";
import { runCheck } from "./check.ts";
import { CurationError } from "./curation-error.ts";
import { curate } from "./curate.ts";
import { formatReport } from "./report.ts";

export const USAGE =
  "用法：npm run curate -- <文件> [--url 原文链接] [--slug a[,b]] [--tags a,b] [--out content/] [--dry-run]，或 npm run curate -- --check <目录>";

export interface CliOutput {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  /** The curation time (injected so tests are deterministic). */
  now: Date;
}

const list = (value: string | undefined) => (value ?? "").split(",").map((s) => s.trim()).filter((s) => s.length > 0);

/** The slugs given, each valid and distinct, or a CurationError naming the first that is not. */
function checkedSlugs(value: string | undefined): string[] {
  const slugs = list(value);
  for (const s of slugs) {
    if (!slugRule.safeParse(s).success) throw new CurationError(`--slug “${s}” 不合规则：只能用小写字母 a-z、数字 0-9 和单个短横线`);
  }
  const repeated = slugs.find((s, i) => slugs.indexOf(s) !== i);
  if (repeated) throw new CurationError(`--slug “${repeated}” 重复了：每篇要有自己的 slug`);
  return slugs;
}

function readInput(file: string): Buffer {
  try {
    return readFileSync(file);
  } catch (error) {
    throw new CurationError(`读不了 ${file}：${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
}

/**
 * Where each item goes; every path is checked to lie inside `out` and, when the items are to
 * be written, to be free, before anything is written.
 */
function targetPaths(out: string, fileNames: string[], write: boolean): string[] {
  const root = resolve(out);
  return fileNames.map((name) => {
    const path = join(out, name);
    if (!resolve(path).startsWith(root + sep)) throw new CurationError(`${name} 会写到 --out 之外，没有写入任何文件`);
    if (write && existsSync(path)) throw new CurationError(`${path} 已存在，没有写入任何文件（换 --slug 或 --out，或先删掉它）`);
    return path;
  });
}

function main(args: string[], io: CliOutput): number {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      url: { type: "string" },
      slug: { type: "string" },
      tags: { type: "string" },
      out: { type: "string", default: "content" },
      "dry-run": { type: "boolean", default: false },
      check: { type: "string" },
    },
  });
  if (values.check !== undefined) {
    if (positionals.length > 0) throw new CurationError(USAGE);
    const { table, failures } = runCheck(values.check, io.now);
    io.stdout(table);
    return failures > 0 ? 2 : 0;
  }
  const [file, ...extra] = positionals;
  if (!file || extra.length > 0) throw new CurationError(USAGE);
  if (values.url !== undefined && !URL.canParse(values.url)) throw new CurationError(`--url 不是有效的链接：${values.url}`);
  const slugs = checkedSlugs(values.slug);
  const { items, report } = curate(readInput(file), {
    file,
    ...(values.url ? { sourceUrl: values.url } : {}),
    slugs,
    tags: list(values.tags),
    now: io.now,
  });
  if (slugs.length > 0 && slugs.length !== items.length) {
    throw new CurationError(`给了 ${slugs.length} 个 slug，但拆出 ${items.length} 篇：每篇一个 slug，没有写入任何文件`);
  }
  const paths = targetPaths(values.out, items.map((item) => item.fileName), !values["dry-run"]);
  if (values["dry-run"]) {
    items.forEach((item, i) => io.stdout(`=== ${paths[i]}\n${item.markdown}`));
  } else {
    mkdirSync(values.out, { recursive: true });
    // "wx": a file that appeared since the check above is still never overwritten.
    items.forEach((item, i) => writeFileSync(paths[i] ?? "", item.markdown, { flag: "wx" }));
  }
  io.stderr(formatReport({ ...report, items: report.items.map((r, i) => ({ ...r, file: paths[i] ?? r.file })) }));
  return report.sentences.missing.length > 0 ? 2 : 0;
}

/** Runs the command; bad input gives one line on stderr and exit code 1, and writes nothing. */
export function runCli(args: string[], io: CliOutput): number {
  try {
    return main(args, io);
  } catch (error) {
    if (!(error instanceof CurationError) && !(error instanceof TypeError && "code" in error)) throw error;
    io.stderr(`curate: ${error.message.split("\n")[0]}\n`);
    return 1;
  }
}
