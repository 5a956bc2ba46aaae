/**
 * `npm run curate` end to end. The command is a function (runCli), so its rejections and
 * its writes are tested by calling it; two smoke tests start the real process. Bad input
 * gives one line on stderr, exit 1, and writes nothing.
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runCli } from "../../scripts/curate/cli.ts";
import { decodeInput } from "../../scripts/curate/decode.ts";
import { CURATED_AT, fixturePath, GBK_NEWS, NEWS_COPY, root, SEED } from "./curate-helpers.ts";

function curateCli(...args: string[]) {
  let stdout = "";
  let stderr = "";
  const status = runCli(args, { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t), now: CURATED_AT });
  return { status, stdout, stderr };
}

function spawnCurate(...args: string[]) {
  const run = spawnSync(process.execPath, ["--import", "tsx", join(root, "scripts/curate.ts"), ...args], { cwd: root, encoding: "utf8" });
  return { status: run.status, stdout: run.stdout, stderr: run.stderr };
}

const tempDir = () => mkdtempSync(join(tmpdir(), "curate-"));
const SEED_SLUGS = "zhang-hongjiang-interview,waic-ai-developer-forum-2021";

/** Every file under `dir`, recursively (empty when it does not exist). */
const filesUnder = (dir: string): string[] => (existsSync(dir) ? (readdirSync(dir, { recursive: true }) as string[]).sort() : []);

describe("npm run curate, as a process (smoke)", () => {
  it("--dry-run prints the items and the report, and writes nothing", () => {
    const out = join(tempDir(), "content");
    const before = Date.now();
    const run = spawnCurate(fixturePath(SEED), "--dry-run", "--out", out, "--slug", SEED_SLUGS);
    const after = Date.now();
    expect(run.status).toBe(0);
    // Each item is added to the collection when it is curated, in +08:00.
    const added = [...run.stdout.matchAll(/^added: "(.+)"$/gm)].map((m) => m[1] ?? "");
    expect(added).toHaveLength(2);
    for (const time of added) {
      expect(time).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\+08:00$/);
      expect(Date.parse(time)).toBeGreaterThanOrEqual(Math.floor(before / 1000) * 1000);
      expect(Date.parse(time)).toBeLessThanOrEqual(after);
    }
    expect(run.stdout).toContain(`=== ${join(out, "zhang-hongjiang-interview.md")}\n---\n`);
    expect(run.stdout).toContain("## 用「大模型+大算力」把深度学习的瓶颈撑开");
    expect(run.stderr).toMatch(/句子：输入 (\d+)，输出 \1，一一对应/);
    expect(run.stderr).toMatch(/^ {2}pieces +1 /m);
    expect(existsSync(out)).toBe(false);
  });

  it("rejects bad input with one line on stderr and exit code 1", () => {
    const run = spawnCurate(join(tempDir(), "missing.html"));
    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(/^curate: 读不了 .*ENOENT\n$/);
    expect(run.stdout).toBe("");
  });
});

describe("npm run curate", () => {
  it("writes one file per piece into --out", () => {
    const out = tempDir();
    const run = curateCli(fixturePath(NEWS_COPY), "--out", out, "--url", "https://news.example.com/a/1.html", "--tags", "数据,城市");
    expect(run.status).toBe(0);
    expect(readdirSync(out).sort()).toEqual(["todo-2023-05-10-2.md", "todo-2023-05-12-1.md"]);
    const first = readFileSync(join(out, "todo-2023-05-12-1.md"), "utf8");
    expect(first).toContain('tags: ["数据", "城市"]');
    expect(first).toContain('  url: "https://news.example.com/a/1.html"');
    expect(run.stderr).toContain(`${join(out, "todo-2023-05-12-1.md")}  城市数据开放平台上线一年`);
  });

  it("changes nothing when a written item is curated again (--dry-run: the file itself is never overwritten)", () => {
    const out = tempDir();
    expect(curateCli(fixturePath(GBK_NEWS), "--out", out, "--slug", "harbor").status).toBe(0);
    const written = readFileSync(join(out, "harbor.md"), "utf8");
    const again = curateCli(join(out, "harbor.md"), "--out", out, "--dry-run");
    expect(again.status).toBe(0);
    expect(again.stdout).toBe(`=== ${join(out, "harbor.md")}\n${written}`);
    expect(again.stderr).toMatch(/^ {2}punctuation +0 /m);
    expect(readdirSync(out)).toEqual(["harbor.md"]);
  });

  it("never overwrites an existing file, not even the item being curated, and writes nothing", () => {
    const out = tempDir();
    expect(curateCli(fixturePath(GBK_NEWS), "--out", out, "--slug", "harbor").status).toBe(0);
    const edited = `${readFileSync(join(out, "harbor.md"), "utf8")}\n手工修改\n`;
    writeFileSync(join(out, "harbor.md"), edited);
    for (const args of [[fixturePath(GBK_NEWS), "--slug", "harbor"], [join(out, "harbor.md")]]) {
      const run = curateCli(...args, "--out", out);
      expect(run.status).toBe(1);
      expect(run.stderr).toMatch(/^curate: .*harbor\.md 已存在，没有写入任何文件/);
      expect(readFileSync(join(out, "harbor.md"), "utf8")).toBe(edited);
    }
    // The seed has two pieces; the second is free, the first is taken: neither is written.
    writeFileSync(join(out, "zhang-hongjiang-interview.md"), "mine\n");
    expect(curateCli(fixturePath(SEED), "--out", out, "--slug", SEED_SLUGS).status).toBe(1);
    expect(readdirSync(out).sort()).toEqual(["harbor.md", "zhang-hongjiang-interview.md"]);
  });

  it.each([
    ["a slug with spaces and markup", "A B<script>", /--slug “A B<script>” 不合规则/],
    ["a slug that climbs out of --out", "../../x", /--slug “\.\.\/\.\.\/x” 不合规则/],
    ["an absolute slug", "/tmp/x", /--slug “\/tmp\/x” 不合规则/],
    ["upper case", "Harbor", /不合规则/],
    ["a double dash", "a--b", /不合规则/],
    ["the same slug twice", "dup,dup", /--slug “dup” 重复了/],
    ["fewer slugs than pieces", "zhang-hongjiang-interview", /给了 1 个 slug，但拆出 2 篇/],
    ["more slugs than pieces", `${SEED_SLUGS},third`, /给了 3 个 slug，但拆出 2 篇/],
  ])("refuses %s and writes nothing anywhere", (_, slugs, message) => {
    const base = tempDir();
    const out = join(base, "a", "content");
    const run = curateCli(fixturePath(SEED), "--out", out, "--slug", slugs);
    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(message);
    expect(run.stderr.trimEnd().split("\n")).toHaveLength(1);
    expect(filesUnder(base)).toEqual([]);
  });

  it("writes a re-curated item only under its own name inside --out", () => {
    const base = tempDir();
    mkdirSync(join(base, "in"));
    // A file name cannot carry a path, but a hand-made item could sit anywhere.
    writeFileSync(join(base, "in", "harbor.md"), readFileSync(join(root, "content/zhang-hongjiang-interview.md")));
    const out = join(base, "out");
    expect(curateCli(join(base, "in", "harbor.md"), "--out", out).status).toBe(0);
    expect(filesUnder(base)).toEqual(["in", join("in", "harbor.md"), "out", join("out", "harbor.md")]);
  });

  const big = () => {
    const file = join(tempDir(), "big.txt");
    writeFileSync(file, "很长的文本。".repeat(500_000));
    return file;
  };
  const write = (name: string, bytes: Uint8Array | string) => {
    const file = join(tempDir(), name);
    writeFileSync(file, bytes);
    return file;
  };
  it.each([
    ["an empty file", () => write("empty.txt", ""), /输入是空文件/],
    ["white space only", () => write("blank.txt", " \n\n "), /输入只有空白/],
    ["a binary file", () => write("photo.txt", new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0])), /二进制/],
    ["an unknown declared charset", () => write("page.html", '<html><head><meta charset="x-klingon"></head><body><p>你好</p></body></html>'), /不认识网页声明的字符集 "x-klingon"/],
    ["bytes that are not the declared charset", () => write("page.html", Buffer.concat([Buffer.from('<html><meta charset="gbk"><p>'), Buffer.from([0xff, 0xff, 0xfe])])), /不是有效的 gbk 编码/],
    ["bytes in no charset", () => write("scrape.txt", Buffer.from([0x61, 0xff, 0x61, 0xfe])), /无法识别字符集/],
    ["a file over the size limit", big, /超过上限/],
    ["a page without an article", () => write("nav.txt", "首页 > 科技 > 正文\n分享到:\n"), /没有找到正文/],
    ["a missing file", () => join(tempDir(), "missing.html"), /读不了 .*ENOENT/],
  ])("rejects %s with one line and writes nothing", (_, makeFile, message) => {
    const out = join(tempDir(), "content");
    const run = curateCli(makeFile(), "--out", out);
    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(message);
    expect(run.stderr).toMatch(/^curate: [^\n]*\n$/);
    expect(run.stdout).toBe("");
    expect(existsSync(out)).toBe(false);
  });

  it.each([[[]], [[fixturePath(SEED), "--bogus"]], [[fixturePath(SEED), "--url", "not a url"]], [[fixturePath(SEED), "extra.txt"]], [["--check", "dir", "file.txt"]]])(
    "rejects the arguments %j with one line",
    (args) => {
      const run = curateCli(...args);
      expect(run.status).toBe(1);
      expect(run.stderr).toMatch(/^curate: [^\n]*\n$/);
    },
  );

  it("--check rejects a folder without sidecars, and one that does not exist", () => {
    expect(curateCli("--check", tempDir()).stderr).toMatch(/^curate: .* 里没有 \*\.expect\.json 说明文件\n$/);
    expect(curateCli("--check", join(tempDir(), "nope")).stderr).toMatch(/^curate: 读不了目录 .*ENOENT\n$/);
  });

  it("--check rejects a broken sidecar with one line", () => {
    const dir = tempDir();
    writeFileSync(join(dir, "a.txt.expect.json"), "{ not json");
    expect(curateCli("--check", dir).stderr).toMatch(/^curate: .*a\.txt\.expect\.json 不是有效的 JSON：[^\n]*\n$/);
    writeFileSync(join(dir, "a.txt.expect.json"), JSON.stringify({ items: 0 }));
    expect(curateCli("--check", dir).stderr).toMatch(/^curate: a\.txt\.expect\.json 不对：items [^\n]*\n$/);
  });

  it("--check prints the quality table and exits 2 on a regression", () => {
    const dir = tempDir();
    writeFileSync(join(dir, "copy.txt"), readFileSync(fixturePath(NEWS_COPY)));
    const sidecar = JSON.parse(readFileSync(fixturePath("curate/news-copy.txt.expect.json"), "utf8")) as Record<string, unknown>;
    writeFileSync(join(dir, "copy.txt.expect.json"), JSON.stringify({ ...sidecar, file: "copy.txt" }));
    const clean = curateCli("--check", dir);
    expect(clean.status).toBe(0);
    expect(clean.stdout).toMatch(/^\| copy\.txt \| utf-8 \| 11 \/ 11 \| 0 \| 2 \/ 2 \(0\) \| 2 \/ 2 \| 4 \/ 4 \| ok \|$/m);
    writeFileSync(join(dir, "copy.txt.expect.json"), JSON.stringify({ ...sidecar, file: "copy.txt", items: 1, author: "王芳" }));
    const regressed = curateCli("--check", dir);
    expect(regressed.status).toBe(2);
    expect(regressed.stdout).toMatch(/^\| copy\.txt \| utf-8 \| 11 \/ 11 \| 0 \| 2 \/ 2 \(0\) \| 2 \/ 1 \| 3 \/ 4 \| REGRESSION \|$/m);
  });
});

describe("charset detection", () => {
  const gbkPage = readFileSync(fixturePath(GBK_NEWS));
  it("decodes a GBK page from its <meta charset>", () => {
    expect(gbkPage.includes(Buffer.from("星海港", "utf8"))).toBe(false);
    const decoded = decodeInput(gbkPage);
    expect(decoded).toMatchObject({ charset: "gbk", format: "html" });
    expect(decoded.text).toContain("<h1>星海港自动化码头二期投入运营</h1>");
  });

  it("detects GB18030 from the bytes when nothing is declared", () => {
    const undeclared = Buffer.from(gbkPage.toString("latin1").replace('<meta charset="gbk">', ""), "latin1");
    const decoded = decodeInput(undeclared);
    expect(decoded.charset).toBe("gb18030");
    expect(decoded.text).toContain("能耗下降三成");
  });

  it("prefers a BOM and reads UTF-8 text as a scrape", () => {
    const decoded = decodeInput(new Uint8Array([0xef, 0xbb, 0xbf, ...new TextEncoder().encode("标题\n正文。")]));
    expect(decoded).toEqual({ text: "标题\n正文。", charset: "utf-8", format: "text" });
  });
});
