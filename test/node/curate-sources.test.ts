/**
 * Curation on sources it was not tuned on (issue 20): splitting only on strong evidence,
 * numbered sections as headings, summaries that are article text, metadata from the
 * article's own header block, flattened ellipses. Each rule on at least two fixtures.
 */
import { describe, expect, it } from "vitest";
import { parse as parseYaml } from "yaml";
import type { Block } from "../../scripts/curate/blocks.ts";
import { chromeReason } from "../../scripts/curate/chrome.ts";
import { splitPieces } from "../../scripts/curate/pieces.ts";
import { restorePunctuation } from "../../scripts/curate/punctuation.ts";
import {
  bodyOf,
  CSDN,
  curateFixture,
  curateText,
  FIXTURES,
  fixtureUtf8,
  JIANSHU,
  KR36,
  NETEASE,
  NEWS_COPY,
  SEED,
  splitItem,
  TENCENT,
  WECHAT_PHONE,
  WECHAT_SECTIONS,
  ZHIHU,
} from "./curate-helpers.ts";

type Fm = { title: string; summary: string; author: string; published: string; source: { name: string } };
const frontmatter = (markdown: string) => parseYaml(splitItem(markdown).frontmatter) as Fm;
const curated = Object.fromEntries(FIXTURES.map((name) => [name, curateFixture(name)]));
const first = (name: string) => curated[name]?.items[0]?.markdown ?? "";
const checks = (name: string) => curated[name]?.report.checks ?? [];

describe("splitting into pieces", () => {
  const para = (text: string): Block => ({ kind: "paragraph", text });
  const article = [
    para("智源研究院把优秀的青年科学家聚在一起，研究超大规模预训练模型。"),
    para("研究院的科学家认为，预训练模型会成为新的研究平台，智源将围绕它建设社区。"),
    para("张宏江说，智源研究院的模式是把优秀的人聚在一起，让研究自然发生。"),
  ];
  const offTopic = para("大赛面向高校学生和中小企业，设置智慧交通、绿色能源两个赛道，总奖金五十万元。");

  it.each(["二、城市数据创新大赛启动报名", "2. 城市数据创新大赛启动报名", "２．城市数据创新大赛启动报名", "（二）城市数据创新大赛启动报名", "(２)城市数据创新大赛启动报名", "第二部分 城市数据创新大赛", "第２部分 城市数据创新大赛", "Part 2 城市数据创新大赛", "Ｐａｒｔ ２ 城市数据创新大赛"])(
    "never happens at a numbered section, even one with a byline or a dateline: %s",
    (heading) => {
      for (const level of [1, 2, 3, 4]) {
        const withByline: Block[] = [...article, { kind: "heading", level, text: heading }, para("2023年05月10日 来源：星海市科技局"), offTopic];
        const withDateline: Block[] = [...article, para("———"), { kind: "heading", level, text: heading }, para(`7月8日，${offTopic.kind === "paragraph" ? offTopic.text : ""}`)];
        expect(splitPieces(withByline).pieces).toHaveLength(1);
        expect(splitPieces(withDateline).pieces).toHaveLength(1);
      }
    },
  );

  it("never happens at a heading alone, of any level, even on another topic", () => {
    for (const level of [1, 2, 3, 4, 5, 6]) {
      const blocks: Block[] = [...article, { kind: "heading", level, text: "活动预告：城市数据创新大赛启动报名" }, offTopic];
      expect(splitPieces(blocks).pieces).toHaveLength(1);
    }
  });

  it.each([WECHAT_PHONE, WECHAT_SECTIONS, TENCENT, JIANSHU, ZHIHU, CSDN])("keeps the numbered sections of %s in one item", (name) => {
    expect(curated[name]?.items).toHaveLength(1);
    expect(curated[name]?.report.rules.pieces).toBe(0);
  });

  it.each([
    [SEED, "WAIC AI 开发者论坛：后深度学习的 AI 时代", "正文以自己的日期“7 月 8 日—10 日”开头，且话题与前文不同（只用到前文 20% 的高频词）"],
    [NEWS_COPY, "活动预告：2023 城市数据创新大赛启动报名", "标题下有自己的署名、日期或来源“2023 年 05 月 10 日 来源：星海市科技局”"],
  ])("splits %s on evidence and quotes it in the report", (name, title, evidence) => {
    expect(curated[name]?.items).toHaveLength(2);
    expect(checks(name)).toContain(`“${title}”拆成了单独一篇，因为${evidence}：确认它不是前文的小标题`);
  });

  it("gives a piece with its own source block that source, and no date or author it does not state", () => {
    const second = frontmatter(curated[NEWS_COPY]?.items[1]?.markdown ?? "");
    expect(second.source.name).toBe("星海市科技局");
    expect(second.published).toMatch(/^TODO: .*页面上只有日期 2023-05-10/);
    expect(second.author).toMatch(/^TODO:/);
    expect(bodyOf(curated[NEWS_COPY]?.items[1]?.markdown ?? "")).not.toContain("星海市科技局");
  });

  const separated = [
    [NEWS_COPY, fixtureUtf8(NEWS_COPY).replace("活动预告:2023城市数据创新大赛启动报名\n2023年05月10日 来源:星海市科技局\n", "———\n活动预告:2023城市数据创新大赛启动报名\n")],
    [WECHAT_PHONE, fixtureUtf8(WECHAT_PHONE).replace("预览时标签不可点\n", "* * *\n编辑部招募:寻找乡村故事的讲述者\n星海传媒正在招募兼职撰稿人,要求熟悉县域生活,每月至少交稿两篇,稿酬按篇结算。有意者请把作品发到编辑部邮箱。\n预览时标签不可点\n")],
  ] as const;
  it.each(separated)("splits %s at an explicit separator before a title on another topic", (name, text) => {
    expect(text).not.toBe(fixtureUtf8(name));
    const { items, report } = curateText(text);
    expect(items).toHaveLength(2);
    expect(report.checks.some((c) => /拆成了单独一篇，因为标题前有分隔线“(———|\* \* \*)”，且话题与前文不同/.test(c))).toBe(true);
    expect(report.sentences.missing).toEqual([]);
    for (const item of items) expect(bodyOf(item.markdown)).not.toMatch(/———|\* \* \*/);
  });

  it.each([
    [NEWS_COPY, fixtureUtf8(NEWS_COPY).replace("2023年05月10日 来源:星海市科技局\n", "")],
    [SEED, fixtureUtf8(SEED).replace("7月8日—10日,AI 开发者论坛", "AI 开发者论坛")],
  ])("does not split %s on a title-shaped heading and a change of topic alone", (name, text) => {
    expect(text).not.toBe(fixtureUtf8(name));
    expect(curateText(text).items).toHaveLength(1);
  });
});

describe("numbered sections", () => {
  it.each([
    [WECHAT_PHONE, ["## 1. 先弄清楚学生缺什么", "## 2. 让 AI 当“笨学生”", "## 3. 守住三条底线"]],
    [TENCENT, ["## （一）一天跑六十单", "## （二）夜校里的“老学生”", "## （三）想开一家小店"]],
    [JIANSHU, ["## 第一部分 出发", "## 第二部分 莫高窟", "## 第三部分 一个下午"]],
  ])("become headings in %s", (name, headings) => {
    const lines = bodyOf(first(name)).split("\n");
    for (const heading of headings) expect(lines).toContain(heading);
  });

  it("stay a list when numbered lines follow each other", () => {
    const text = "给老师的备课清单\n发表于 2024-03-01 08:00\n备课前先准备三样东西,缺一不可。\n1. 一份学生名单\n2. 一张课堂时间表\n3. 一套离线工具\n准备好之后,再打开电脑。\n";
    const body = bodyOf(curateText(text).items[0]?.markdown ?? "");
    expect(body).toContain("1. 一份学生名单\n\n2. 一张课堂时间表\n\n3. 一套离线工具");
    expect(body).not.toMatch(/^#/m);
  });
});

describe("the summary candidate", () => {
  it.each(FIXTURES)("of %s is the body's first substantive paragraph, never chrome, a heading or a caption", (name) => {
    for (const item of curated[name]?.items ?? []) {
      const { summary } = frontmatter(item.markdown);
      const blocks = splitItem(item.markdown).blocks;
      expect(summary).toMatch(/[。！？][」”’）]*$/u);
      expect(chromeReason(summary)).toBeUndefined();
      const paragraph = blocks.find((b) => b.startsWith(summary));
      expect(paragraph, summary).toBeDefined();
      expect(paragraph).not.toMatch(/^(#|!\[|>|-)/);
      expect(blocks.filter((b) => !/^(#|!\[)/.test(b) && /[。！？]/u.test(b))[0]).toBe(paragraph);
    }
  });

  it.each([
    [WECHAT_PHONE, /原创|合集/],
    [WECHAT_SECTIONS, /合集|星海城事/],
    [NETEASE, /原标题/],
    [KR36, /文｜|编辑｜/],
    [JIANSHU, /第一部分/],
  ])("of %s skips what a header or chrome put first", (name, chrome) => {
    expect(frontmatter(first(name)).summary).not.toMatch(chrome);
  });

  it("skips a caption that stands without its image", () => {
    const text = "社区食堂的一年\n发表于 2024-04-09 08:00\n▲ 图为午饭时间的社区食堂。(记者 郑南 摄)\n去年三月，东港街道的第一家社区食堂开张，每天接待四百多位老人。\n";
    expect(frontmatter(curateText(text).items[0]?.markdown ?? "").summary).toBe("去年三月，东港街道的第一家社区食堂开张，每天接待四百多位老人。");
  });

  it("is cut at a sentence end when the first paragraph is long", () => {
    const long = "这是一段很长的开头，讲的是社区食堂如何从亏损走向收支平衡的过程。".repeat(8);
    const text = `社区食堂的一年\n发表于 2024-04-09 08:00\n${long}\n第二段也很重要，但不会进入摘要。\n`;
    const { summary } = frontmatter(curateText(text).items[0]?.markdown ?? "");
    expect(summary.length).toBeLessThanOrEqual(150);
    expect(summary).toMatch(/。$/);
    expect(long.startsWith(summary)).toBe(true);
  });
});

describe("metadata from the article's own header block", () => {
  it("reads a column page's author card and 发布于 line although the header goes as chrome (知乎)", () => {
    const fm = frontmatter(first(ZHIHU));
    expect([fm.author, fm.published]).toEqual(["林木", "2023-08-12T21:47:00+08:00"]);
    expect(first(ZHIHU)).not.toMatch(/发布于|编辑于|关注他/);
  });

  it("reads a blog's 于 … 发布 line and never a date further down the page (CSDN)", () => {
    const fm = frontmatter(first(CSDN));
    expect([fm.author, fm.published]).toEqual(["码农阿杰", "2023-11-02T10:15:36+08:00"]);
    expect(first(CSDN)).not.toContain("2024-01-05");
  });

  it("reads a phone copy's 原创 line: author, account, time (公众号)", () => {
    const fm = frontmatter(first(WECHAT_PHONE));
    expect([fm.author, fm.source.name, fm.published]).toEqual(["林晓", "星海教育观察", "2024-03-08T07:30:00+08:00"]);
    expect(bodyOf(first(WECHAT_PHONE))).not.toMatch(/原创|收录于合集|#AI教育|\[图片\]|figure-/);
  });

  it("reads a byline at the top of the body and removes it (36氪)", () => {
    expect(frontmatter(first(KR36)).author).toBe("李然");
    expect(bodyOf(first(KR36))).not.toMatch(/文｜李然|编辑｜王琳/);
  });

  it.each([
    [JIANSHU, "author", "苏苏的小本子"],
    [TENCENT, "source.name", "星海日报"],
  ])("leaves a TODO in %s when a name under the title is not clearly the %s, and names it in the report", (name, field, line) => {
    expect(curated[name]?.items[0]?.todos).toContain(field);
    expect(checks(name)).toContain(`标题下的“${line}”没有当作作者或来源：若是，填进 frontmatter`);
    expect(first(name)).not.toContain(line);
  });
});

describe("flattened ellipses", () => {
  it.each([
    ["「......」", "「……」"],
    ["「...」", "「……」"],
    ["他说......好", "他说……好"],
    ["面目全非...", "面目全非……"],
    ["等一下。。。", "等一下……"],
    ["好…", "好……"],
  ])("%s becomes %s", (flat, restored) => {
    expect(restorePunctuation(flat).text).toBe(restored);
  });

  it.each(["wait...", "1...3", "…… already right"])("leave Latin text alone: %s", (text) => {
    expect(restorePunctuation(text).text).toBe(text);
  });

  it.each([
    [WECHAT_PHONE, ["尝试……有成功的", "面目全非……"]],
    [JIANSHU, ["那一刻我想……一千多年前"]],
  ])("are restored in %s, and the report still counts every sentence", (name, restored) => {
    for (const text of restored) expect(bodyOf(first(name)).replace(/\s/g, "")).toContain(text.replace(/\s/g, ""));
    expect(curated[name]?.report.sentences.missing).toEqual([]);
  });
});
