/**
 * `npm run curate` end to end: the CLI spawned on fixtures, writing into a temp directory or
 * printing with --dry-run; bad input gives one line on stderr, exit 1, and writes nothing.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { decodeInput } from "../../scripts/curate/decode.ts";
import { fixturePath, GBK_NEWS, NEWS_COPY, root, SEED } from "./curate-helpers.ts";

function runCurate(...args: string[]) {
  const run = spawnSync(process.execPath, ["--import", "tsx", join(root, "scripts/curate.ts"), ...args], { cwd: root, encoding: "utf8" });
  return { status: run.status, stdout: run.stdout, stderr: run.stderr };
}

const tempDir = () => mkdtempSync(join(tmpdir(), "curate-"));

describe("npm run curate", () => {
  it("--dry-run prints the items and the report, and writes nothing", () => {
    const out = join(tempDir(), "content");
    const before = Date.now();
    const run = runCurate(fixturePath(SEED), "--dry-run", "--out", out, "--slug", "zhang-hongjiang-interview,waic-ai-developer-forum-2021");
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
    expect(run.stderr).toContain("第 1 行 「QQ登录」：登录提示");
    expect(run.stderr).toMatch(/^ {2}pieces +1 /m);
    expect(run.stderr).toContain("需要人工检查：");
    expect(() => readdirSync(out)).toThrow();
  });

  it("writes one file per piece into --out, and re-curating a written item in place changes nothing", () => {
    const out = tempDir();
    const run = runCurate(fixturePath(NEWS_COPY), "--out", out, "--url", "https://news.example.com/a/1.html", "--tags", "数据,城市");
    expect(run.status).toBe(0);
    const files = readdirSync(out).sort();
    expect(files).toEqual(["todo-2023-05-12-1.md", "todo-2023-05-12-2.md"]);
    const first = readFileSync(join(out, files[0] ?? ""), "utf8");
    expect(first).toContain('tags: ["数据", "城市"]');
    expect(first).toContain('  url: "https://news.example.com/a/1.html"');

    const again = runCurate(join(out, files[0] ?? ""), "--out", out);
    expect(again.status).toBe(0);
    expect(readFileSync(join(out, files[0] ?? ""), "utf8")).toBe(first);
    expect(again.stderr).toMatch(/^ {2}punctuation +0 /m);
  });

  it("never overwrites another file", () => {
    const out = tempDir();
    expect(runCurate(fixturePath(GBK_NEWS), "--out", out, "--slug", "harbor").status).toBe(0);
    const before = readFileSync(join(out, "harbor.md"), "utf8");
    writeFileSync(join(out, "harbor.md"), `${before}\n手工修改\n`);
    const run = runCurate(fixturePath(GBK_NEWS), "--out", out, "--slug", "harbor");
    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(/^curate: .*harbor\.md 已存在，没有写入任何文件/);
    expect(readFileSync(join(out, "harbor.md"), "utf8")).toBe(`${before}\n手工修改\n`);
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
    const run = runCurate(makeFile(), "--out", out);
    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(message);
    expect(run.stderr.trimEnd().split("\n")).toHaveLength(1);
    expect(run.stderr).toMatch(/^curate: /);
    expect(run.stdout).toBe("");
    expect(() => readdirSync(out)).toThrow();
  });

  it("rejects bad arguments with the usage line", () => {
    for (const args of [[], [fixturePath(SEED), "--bogus"], [fixturePath(SEED), "--url", "not a url"]]) {
      const run = runCurate(...args);
      expect(run.status).toBe(1);
      expect(run.stderr.trimEnd().split("\n")).toHaveLength(1);
    }
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
