/**
 * The inbox line: subjects short enough for a phone, cut at natural breaks, telling the
 * digests apart from their first characters; preheaders from the lead's summary; recaps
 * saying 回顾 and the year; editions without items that say so without contradiction.
 * Rendered with the real templates.
 */
import { describe, expect, it } from "vitest";
import { items } from "../src/content/collection.ts";
import { digests, getDigest, type Digest } from "../src/digests/catalog.ts";
import { PREHEADER_MAX_LENGTH, shortenAtBreak, SUBJECT_MAX_WIDTH, subjectWidth } from "../src/digests/inbox-line.ts";
import { renderDigest } from "../src/digests/render-digest.ts";
import { selectItems } from "../src/digests/select.ts";
import { event, interview } from "./helpers/seed-items.ts";

const site = { url: "https://news.example.com", mailFrom: "AI 前沿精选 <digest@example.com>" };
const edition = { id: "e-2026-12-07", date: "2026-12-07" };
const SENT_AT = new Date("2026-12-07T00:00:00Z");

const digest = (id: string): Digest => {
  const found = getDigest(id);
  if (!found) throw new Error(`digest ${id} missing: run npm run build:content`);
  return found;
};
const render = (d: Digest, chosen = selectItems(d, items, null), at = SENT_AT) => renderDigest(d, chosen, edition, site, at);

describe("subjects", () => {
  it("fit about 28 Chinese characters, name the digest first, and differ between digests from the first characters", async () => {
    const subjects = await Promise.all(digests.map(async (d) => (await render(d)).subject));
    for (const subject of subjects) expect(subjectWidth(subject), subject).toBeLessThanOrEqual(SUBJECT_MAX_WIDTH);
    expect(subjects.find((s) => s.startsWith("访谈精选｜"))).toBeDefined();
    expect(subjects.find((s) => s.startsWith("每周精选｜"))).toBeDefined();
    // Any two subjects part within their first two characters (once 38 were shared).
    for (const a of subjects) for (const b of subjects) if (a !== b) expect(a.slice(0, 2)).not.toBe(b.slice(0, 2));
  });

  it("shorten the lead title at a natural break, never mid-word or inside a quotation", async () => {
    const { subject } = await render(digest("interview-highlights"));
    // The title goes on 「，中国也有做出全球顶尖研究的环境」: the cut is at the comma.
    expect(subject).toBe("访谈精选｜专访张宏江：「大模型+大算力」撑开深度学习瓶颈");
    expect(shortenAtBreak(interview.title, 12)).toBe("专访张宏江");
    expect(shortenAtBreak(interview.title, 16)).toBe("专访张宏江：「大模型+大算力」");
    expect(shortenAtBreak("OpenAI Realtime API 上线", 8)).toBe("OpenAI Realtime");
    // No break early enough: whole characters and an ellipsis, a Latin word kept whole.
    expect(shortenAtBreak("深度学习之后的下一代人工智能范式", 6)).toBe("深度学习之…");
    expect(shortenAtBreak("ABCDEFGHIJKLMNOP 与智能", 4)).toBe("…");
  });

  it("the weekly says how many articles it holds: 「…等 N 篇」", async () => {
    const weekly = digest("weekly");
    const both = selectItems(weekly, items, null);
    expect(both.length).toBe(2);
    const { subject } = await render(weekly, both);
    expect(subject).toMatch(/^每周精选｜.+等 2 篇$/);
    expect((await render(weekly, [interview])).subject).not.toContain("等");
  });
});

describe("preheaders", () => {
  it("are the lead's one-line summary, at most 60 characters, padded in the HTML", async () => {
    for (const d of digests) {
      const rendered = await render(d);
      expect([...rendered.preheader].length, d.id).toBeLessThanOrEqual(PREHEADER_MAX_LENGTH);
      expect(rendered.preheader).not.toContain(d.title + "：");
      // Zero-width padding follows, so a client's preview stops there.
      expect(rendered.html).toMatch(/data-skip-in-text="true"[^>]*>[^<]+<div>(\u00a0\u200c\u200b\u200d\u200e\u200f\ufeff){80,}<\/div>/);
    }
    const { preheader } = await render(digest("interview-highlights"));
    expect(preheader).toBe("张宏江认为，智源研究院将人工智能领域的优秀人才聚在一起，探索并成功找到一个能够产生原始创新与长期影响的领域…");
  });
});

describe("a recap", () => {
  it("says 回顾 and the year in subject and preheader once the event is over, and not before", async () => {
    const forum = digest("waic-forum");
    const after = await render(forum, [event]);
    expect(after.subject).toBe("【2021 回顾】WAIC AI 开发者论坛：后深度学习的 AI 时代");
    expect(after.preheader).toMatch(/^2021 年回顾：WAIC AI 开发者论坛于 2021 年 7 月 8 日/);
    expect([...after.preheader].length).toBeLessThanOrEqual(PREHEADER_MAX_LENGTH);

    const before = await render(forum, [event], new Date("2021-07-01T00:00:00Z"));
    expect(before.subject).toBe(event.title);
    expect(before.preheader).not.toContain("回顾");
  });
});

describe("an edition without items (forced, or a digest that sends when empty)", () => {
  it("never names the digest twice and its intro never contradicts 本期暂无新内容", async () => {
    for (const d of digests) {
      const empty = await render(d, []);
      expect(empty.subject, d.id).toContain("本期暂无新内容");
      expect(empty.subject.split(d.title).length - 1, empty.subject).toBeLessThanOrEqual(1);
      expect(empty.text).toContain("本期暂无新内容");
      // The intro presents an edition's items ("本期摘录……"): an empty one has none to present.
      for (const paragraph of d.intro.split(/\n\s*\n/).map((p) => p.trim()).filter(Boolean)) {
        expect(empty.text, d.id).not.toContain(paragraph.slice(0, 20));
      }
    }
  });
});
