/**
 * The first two items were curated from a raw forum scrape (test/fixtures/seed-000.txt).
 * These tests hold the curation to what a reader relies on: every sentence of the article
 * is there, none of the forum chrome is, Chinese punctuation is full-width again, and the
 * structure (headings, figures, paragraphs, event facts) survived compilation.
 */
import { describe, expect, it } from "vitest";
import { getItem, items, type ContentItem } from "../src/content/collection.ts";
import seed from "./fixtures/seed-000.txt?raw";

function mustGet(slug: string): ContentItem {
  const item = getItem(slug);
  if (!item) throw new Error(`content item "${slug}" is missing: run npm run build:content`);
  return item;
}

const interview = mustGet("zhang-hongjiang-interview");
const event = mustGet("waic-ai-developer-forum-2021");
const curated = [interview, event];

const TO_ASCII: Record<string, string> = { "，": ",", "：": ":", "；": ";", "（": "(", "）": ")", "？": "?", "！": "!" };

/** A space the spacing rule (src/text/cjk-spacing.ts) puts between Chinese and a Latin letter or digit. */
const CJK_LATIN_SPACE = /(?<=\p{Script=Han})\s+(?=[A-Za-z0-9])|(?<=[A-Za-z0-9])\s+(?=\p{Script=Han})/gu;

/**
 * Compares text regardless of full- or half-width punctuation, of line breaks, of the
 * spaces curation inserted between Chinese and Latin (the seed has them in some places,
 * not in others) and of the lopsided space it removed beside · (src/text/cjk-punctuation.ts);
 * every other character must match.
 */
const normalize = (s: string) =>
  s
    .replace(/[，：；（）？！]/g, (c) => TO_ASCII[c] ?? c)
    .replace(CJK_LATIN_SPACE, "")
    .replace(/· +/g, "·")
    .replace(/\s+/g, " ")
    .trim();

/** The article as scraped: from the lede to the line before "? THE END", without figure file names. */
function seedArticleSentences(): string[] {
  const lines = seed.split("\n");
  const start = lines.findIndex((l) => l.startsWith("张宏江认为"));
  const end = lines.findIndex((l) => l.includes("THE END"));
  expect(start).toBeGreaterThan(0);
  expect(end).toBeGreaterThan(start);
  return lines
    .slice(start, end)
    .filter((l) => !/^w\d+\.jpg$/.test(l.trim()))
    .flatMap((l) => l.split(/(?<=[。！？!?][」”]?)/u))
    .map(normalize)
    .filter((s) => s.length > 0);
}

const CJK = "[\\p{Script=Han}\\u3000-\\u303F\\uFF00-\\uFFEF]";
/** Half-width , : ; ( ) ? ! touching a Chinese character (between two, or ending a sentence). */
const ASCII_NEXT_TO_CJK = new RegExp(`${CJK}[,:;()?!]|[,:;()?!]${CJK}`, "u");

describe("curated content from seed 000", () => {
  it("keeps every sentence of the scraped article, in the interview or the event item", () => {
    // The event's closing call to register is kept as its registration part (shown only while registration is open).
    const haystacks = curated.map((item) => normalize(`${item.title}\n\n${item.text}\n\n${item.registration?.text ?? ""}`));
    const sentences = seedArticleSentences();
    expect(sentences.length).toBeGreaterThan(100);
    const missing = sentences.filter((s) => !haystacks.some((h) => h.includes(s)));
    expect(missing).toEqual([]);
  });

  it("keeps the sentences in the order of the source", () => {
    const text = normalize(interview.text);
    const inInterview = seedArticleSentences().filter((s) => text.includes(s));
    expect(inInterview.length).toBeGreaterThan(100);
    let cursor = 0;
    const outOfOrder: string[] = [];
    for (const sentence of inInterview) {
      const at = text.indexOf(sentence, cursor);
      if (at < 0) outOfOrder.push(sentence);
      else cursor = at + sentence.length;
    }
    expect(outOfOrder).toEqual([]);
  });

  it("carries none of the forum chrome", () => {
    const chrome = ["QQ登录", "765 人浏览", "复制链接", "THE END", "Powered by", "回帖", "鄂ICP", "阅读模式", "扫描二维码登录"];
    for (const item of items) {
      for (const field of [item.html, item.text, item.summary]) {
        for (const c of chrome) expect(field, `${item.slug} contains "${c}"`).not.toContain(c);
      }
    }
  });

  it("uses full-width punctuation inside Chinese text and keeps Latin runs unchanged", () => {
    for (const item of items) {
      for (const field of [item.title, item.summary, item.text, ...item.highlights, ...item.figures.map((f) => f.caption)]) {
        expect(field, `${item.slug}: ${ASCII_NEXT_TO_CJK.exec(field)?.[0]}`).not.toMatch(ASCII_NEXT_TO_CJK);
      }
    }
    const all = curated.map((i) => `${i.text}\n${i.rights ?? ""}`).join("\n");
    const latin = [
      "IEEE 和 ACM SIGMM",
      "RTX 3060 显卡",
      "悟道 2.0",
      "Guo-Jun Qi",
      "C 语言",
      "99.1%",
      "来源：blog.kie.org",
      "来源：IEEE.org",
      "content@jiqizhixin.com",
      "Unix 操作系统",
      "科学 ≠ 技术",
      "WAIC·开发者黑客松",
      "「技术成就奖」（Technical Achievement Award），",
      "SysML（机器学习系统）",
      "想法（idea）",
      "张宏江（右）",
    ];
    for (const run of latin) expect(all).toContain(run);
  });

  it("keeps the source's own wording, typos included", () => {
    expect(interview.text).toContain("「我们要做是的促进北京人才聚集");
    expect(interview.text).toContain("整合智源智能研究院");
  });

  it("renders the interview with its four sections, captioned figures and split paragraphs", () => {
    expect(interview.html.match(/<h2>/g)).toHaveLength(4);
    expect(interview.html).toContain("<h2>用「大模型+大算力」把深度学习的瓶颈撑开</h2>");

    const figures = curated.flatMap((i) => [...`${i.html}${i.registration?.html ?? ""}`.matchAll(/<figure class="figure"><figcaption>([^<]+)<\/figcaption><\/figure>/g)]);
    expect(figures).toHaveLength(5);
    expect(curated.flatMap((i) => i.figures)).toHaveLength(5);
    for (const item of curated) expect(item.html).not.toContain("<img");

    for (const start of ["在这种不断撑开的过程中", "「我一直相信大模型", "智源的方法依然是小同行自治", "张宏江提到", "一家成功的企业", "「北京市的人工智能"]) {
      expect(interview.html).toContain(`<p>${start}`);
    }
    // A paragraph still holding "sentence end + space + next sentence" was never split.
    for (const [, p] of interview.html.matchAll(/<p>(.*?)<\/p>/g)) {
      expect(p).not.toMatch(/[。！？][」”]? \S/u);
    }
    expect(interview.figures.at(-1)?.caption).toMatch(/来源：智源研究院$/);

    expect(interview.summary).toMatch(/^张宏江认为，智源研究院/);
    expect(interview.html.startsWith(`<p>${interview.summary}</p>`)).toBe(true);
    expect(interview.rights).toBe("本文版权归机器之心所有，本站仅作收录与推荐；转载请联系机器之心获得授权。投稿或寻求报道：content@jiqizhixin.com");
    expect(new Date(interview.published).toISOString()).toBe("2021-10-18T09:39:41.000Z");
    expect(interview.source.url).toBeUndefined();
    expect(interview.highlights.length).toBeGreaterThanOrEqual(4);
    for (const quote of interview.highlights) expect(interview.text).toContain(quote);
  });

  it("describes the WAIC forum as an event with its dates, topics and prizes", () => {
    expect(event.kind).toBe("event");
    expect(event.event).toEqual({
      starts: "2021-07-08",
      ends: "2021-07-10",
      timezone: "Asia/Shanghai",
      sessions: [{ date: "2021-07-10", title: "WAIC AI 开发者论坛" }],
      topics: ["大规模语言智能", "SysML（机器学习系统）", "多模态机器学习及大规模自动生成技术", "RISC-V 技术及生态", "AI 原生计算机系统"],
      prizes: ["RTX 3060 显卡", "HHKB 键盘", "Air Tag", "人工智能专业书籍", "桌搭鼠标垫"],
    });
    // The source's closing call to register, with its missing QR code, is the registration part, not the body.
    expect(event.registration?.html).toContain("<p>识别下方二维码，立即报名。</p>");
    expect(event.registration?.html).toContain("<figcaption>WAIC AI 开发者论坛报名二维码（原图未收录）</figcaption>");
    expect(event.registration?.text).toBe("识别下方二维码，立即报名。\n\nWAIC AI 开发者论坛报名二维码（原图未收录）");
    expect(event.html).not.toContain("报名");
    for (const line of event.highlights) expect(event.text).toContain(line);
    expect(event.id).not.toBe(interview.id);
  });
});
