/**
 * Chrome comes from data (scripts/curate/chrome-patterns.json): every pattern names its
 * source and a fixture line that proves it. The sources the curation must know are all
 * covered, and a sentence that quotes a chrome phrase stays.
 */
import { readFileSync } from "node:fs";
import { parseHTML } from "linkedom";
import { describe, expect, it } from "vitest";
import { CHROME, chromeReason, isEndMarker, wholeLine } from "../../scripts/curate/chrome.ts";
import { decodeInput } from "../../scripts/curate/decode.ts";
import { bodyOf, curateFixture, fixturePath } from "./curate-helpers.ts";

const fixtureText = (name: string) => decodeInput(readFileSync(fixturePath(name))).text;

describe("chrome patterns", () => {
  it.each([...CHROME.lines, ...CHROME.ends].map((p) => [p.source, p.reason, p] as const))("%s %s: matches its proving line, which is in its fixture", (_, __, pattern) => {
    expect(wholeLine(pattern).test(pattern.proof)).toBe(true);
    expect(fixtureText(pattern.fixture).split("\n").some((line) => line.includes(pattern.proof))).toBe(true);
  });

  it.each(CHROME.selectors.map((s) => [s.source, s.reason, s] as const))("%s %s: selects the element of its proving line, which is in its fixture", (_, __, selector) => {
    const { document } = parseHTML(`<html><body>${selector.proof}</div></body></html>`);
    expect(document.querySelector(selector.selector)).not.toBeNull();
    expect(fixtureText(selector.fixture)).toContain(selector.proof);
  });

  it("covers every source curation must know", () => {
    const sources = new Set([...CHROME.lines, ...CHROME.ends, ...CHROME.selectors].map((p) => p.source));
    for (const source of ["公众号", "知乎", "CSDN", "简书", "36氪", "澎湃", "新浪", "网易", "腾讯", "Discuz", "phpBB"]) expect(sources, source).toContain(source);
  });

  it("covers each piece of 公众号 chrome", () => {
    const proofs = CHROME.lines.concat(CHROME.ends).filter((p) => p.source === "公众号").map((p) => p.proof).join("\n");
    for (const piece of ["合集", "原创", "在看", "分享", "点赞", "预览时标签不可点", "微信扫一扫", "继续滑动看下一个", "轻触阅读原文", "阅读原文", "赞赏", "留言", "篇原创内容"]) {
      expect(proofs, piece).toContain(piece);
    }
    expect(CHROME.selectors.some((s) => s.source === "公众号" && s.reason === "公众号名片")).toBe(true);
  });
});

describe("a sentence that carries article text", () => {
  it.each([
    "有老师在后台留言说，以前看到“阅读原文”四个字就直接划走了，这次却一路读到了教案。",
    "有读者问我为什么不在文末写一句“点赞收藏”，我的回答是：能帮你少花一笔冤枉钱，比什么都强。",
    "下一篇文章会讲怎样给旧硬盘做体检。",
    "分享是这门课最受欢迎的环节。",
    "识别下方二维码，立即报名。",
  ])("is never chrome: %s", (sentence) => {
    expect(chromeReason(sentence)).toBeUndefined();
    expect(isEndMarker(sentence)).toBe(false);
  });

  it.each([
    ["curate/wechat-phone.txt", "以前看到“阅读原文”四个字就直接划走了"],
    ["curate/zhihu-column.html", "为什么不在文末写一句“点赞收藏”"],
    ["curate/wechat-sections.html", "有居民在留言里问，补贴会不会哪天就停了。"],
  ])("stays in %s although it quotes a chrome phrase", (name, text) => {
    expect(bodyOf(curateFixture(name).items[0]?.markdown ?? "")).toContain(text);
  });

  it("is kept while the same phrase alone on a line goes", () => {
    expect(chromeReason("阅读原文")).toMatch(/阅读原文链接/);
    expect(chromeReason("留言")).toMatch(/留言/);
    expect(chromeReason("点赞")).toMatch(/点赞/);
  });
});
