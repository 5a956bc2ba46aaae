/**
 * Each curation rule on the fixtures it applies to (at least two shapes each): a 公众号
 * page, a GBK news page, a Discuz thread, a plain-text news copy, and the seed.
 */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { parse as parseYaml } from "yaml";
import { compileItem, REGISTRATION_LINE } from "../../scripts/content/compile.ts";
import { cjkLatinSpacingViolations } from "../../src/text/cjk-spacing.ts";
import { curate } from "../../scripts/curate/curate.ts";
import {
  bodyOf,
  CURATED_AT,
  CURATED_AT_BEIJING,
  curateFixture,
  DISCUZ,
  FIXTURES,
  fillTodos,
  fixturePath,
  GBK_NEWS,
  NEWS_COPY,
  paragraphs,
  SEED,
  splitItem,
  WECHAT,
} from "./curate-helpers.ts";

const curated = Object.fromEntries(FIXTURES.map((name) => [name, curateFixture(name)]));
const itemsOf = (name: string) => curated[name]?.items ?? [];
const outputOf = (name: string) => itemsOf(name).map((i) => i.markdown).join("\n");
const frontmatterOf = (name: string, i = 0) =>
  parseYaml(splitItem(itemsOf(name)[i]?.markdown ?? "").frontmatter) as Record<string, unknown> & { source: Record<string, string> };

describe.each(FIXTURES)("every rule keeps the article: %s", (name) => {
  it("keeps every sentence (the report's in and out match)", () => {
    const { sentences } = curated[name]?.report ?? { sentences: undefined };
    expect(sentences?.missing).toEqual([]);
    expect(sentences?.added).toEqual([]);
    expect(sentences?.out).toBeGreaterThan(5);
  });

  it("applies the Chinese/Latin spacing rule everywhere", () => {
    expect(cjkLatinSpacingViolations(outputOf(name))).toEqual([]);
  });

  it("writes items the content build accepts once the TODOs are filled, and rejects before", () => {
    itemsOf(name).forEach((item, i) => {
      if (item.todos.length > 0) expect(() => compileItem(item.fileName, item.markdown)).toThrow(/still a TODO/);
      const compiled = compileItem(item.fileName, fillTodos(item.markdown, i));
      expect(compiled.text.length).toBeGreaterThan(50);
    });
  });

  it("changes nothing when its output is curated again", () => {
    for (const item of itemsOf(name)) {
      const again = curate(new TextEncoder().encode(item.markdown), { file: item.fileName, slugs: [], tags: [], now: CURATED_AT });
      expect(again.items[0]?.markdown).toBe(item.markdown);
    }
  });
});

describe("site chrome", () => {
  const cases: [string, string[]][] = [
    [SEED, ["QQ登录", "765 人浏览", "THE END", "Powered by", "回帖"]],
    [WECHAT, ["点击上方蓝字", "阅读原文", "长按识别二维码", "微信扫一扫", "在看"]],
    [GBK_NEWS, ["分享到", "相关新闻", "网友评论", "当前位置", "责任编辑"]],
    [DISCUZ, ["谢谢分享", "回复 晚风", "立即注册", "Powered by", "只看该作者"]],
    [NEWS_COPY, ["首页 >", "字号", "相关阅读", "责任编辑", "网友评论"]],
  ];
  it.each(cases)("is removed from %s, each piece with a reason", (name, chrome) => {
    const output = outputOf(name);
    const removed = curated[name]?.report.removed ?? [];
    for (const c of chrome) {
      expect(output).not.toContain(c);
      expect(removed.some((r) => r.text.includes(c) && r.reason.length > 0), c).toBe(true);
    }
  });

  it("keeps a call to action that is article text", () => {
    expect(outputOf(SEED)).toContain("识别下方二维码，立即报名。");
  });

  it.each([WECHAT, GBK_NEWS, DISCUZ, NEWS_COPY])("names no registration call to mark in %s (a long paragraph about 报名 is news)", (name) => {
    expect(curated[name]?.report.checks.filter((c) => c.includes(REGISTRATION_LINE))).toEqual([]);
  });
});

describe("full-width punctuation", () => {
  const ASCII_NEXT_TO_CJK = /[\p{Script=Han}\u3000-\u303F\uFF00-\uFFEF][,:;()?!]|[,:;()?!][\p{Script=Han}\u3000-\u303F\uFF00-\uFFEF]/u;
  it.each([SEED, DISCUZ, NEWS_COPY])("is restored between Chinese characters in %s", (name) => {
    expect(curated[name]?.report.rules.punctuation).toBeGreaterThan(10);
    expect(outputOf(name)).not.toMatch(ASCII_NEXT_TO_CJK);
  });

  it("leaves Latin runs alone", () => {
    expect(outputOf(DISCUZ)).toContain("Ubuntu 22.04，推理框架选了 llama.cpp，");
    expect(outputOf(SEED)).toContain("「技术成就奖」（Technical Achievement Award），");
    expect(outputOf(SEED)).toContain("content@jiqizhixin.com");
    expect(outputOf(NEWS_COPY)).toContain("平台采用“可用不可见”的方式：");
  });
});

describe("paragraphs run together", () => {
  const RUN_TOGETHER = /[。！？][」”]? \S/u;
  it.each([
    [SEED, "在这种不断撑开的过程中"],
    [DISCUZ, "真正的瓶颈不是显卡，而是内存带宽。"],
    [NEWS_COPY, "如今，超过八成的数据集提供 API 接口，并按月更新。"],
    [GBK_NEWS, "港口集团负责人表示"],
  ])("are split in %s", (name, start) => {
    const all = itemsOf(name).flatMap((i) => paragraphs(i.markdown));
    expect(all.some((p) => p.startsWith(start))).toBe(true);
    for (const p of all) expect(p).not.toMatch(RUN_TOGETHER);
  });
});

describe("headings", () => {
  it.each([
    [SEED, "## 用「大模型+大算力」把深度学习的瓶颈撑开"],
    [DISCUZ, "## 几个踩过的坑"],
    [NEWS_COPY, "## 从“能看”到“能用”"],
    [WECHAT, "## 二、课堂上用到的三个工具"],
  ])("are detected in %s", (name, heading) => {
    expect(outputOf(name).split("\n")).toContain(heading);
  });

  it("are kept from the page's markup", () => {
    expect(outputOf(GBK_NEWS).split("\n")).toContain("## 能耗下降三成");
  });

  it.each([SEED, DISCUZ, NEWS_COPY, WECHAT])("never swallow a sentence in %s", (name) => {
    for (const line of outputOf(name).split("\n").filter((l) => l.startsWith("#"))) expect(line).not.toMatch(/[。！？]/u);
  });
});

describe("figures and captions", () => {
  const captions = (name: string) => itemsOf(name).flatMap((_, i) => (frontmatterOf(name, i).figures as { caption: string }[] | undefined) ?? []).map((f) => f.caption);
  it("take the paragraph after an image when it ends with a credit (seed, GBK news)", () => {
    expect(captions(SEED)).toContain("在悟道 2.0 的发布会上，所有参与者的名字都被列了出来。来源：智源研究院");
    expect(captions(GBK_NEWS)).toEqual(["图为自动化码头二期作业现场。（记者 赵青 摄）"]);
    // The seed ran the next paragraph onto the w4 credit; it is a paragraph again.
    expect(paragraphs(itemsOf(SEED)[0]?.markdown ?? "").some((p) => p.startsWith("一家成功的企业"))).toBe(true);
  });

  it("take a paragraph that opens like a caption (news copy) and <figcaption> (公众号)", () => {
    expect(captions(NEWS_COPY)).toEqual(["图为星海市公共数据开放平台的数据地图页面。（记者 李明 摄）"]);
    expect(captions(WECHAT)).toEqual(["孩子们在给水果照片分组。图源：星海市实验小学", "课后，学生在观察手册上画下分类结果。"]);
    expect(bodyOf(itemsOf(WECHAT)[0]?.markdown ?? "")).toContain("![](https://img.example.com/ai-class-1.jpg)");
  });
});

describe("a second piece", () => {
  it.each([
    [SEED, "WAIC AI 开发者论坛：后深度学习的 AI 时代"],
    [NEWS_COPY, "活动预告：2023 城市数据创新大赛启动报名"],
  ])("is split from %s into its own item", (name, title) => {
    expect(itemsOf(name)).toHaveLength(2);
    expect(frontmatterOf(name, 1).title).toBe(title);
    expect(outputOf(name).split("\n")).not.toContain(`## ${title}`);
  });

  it("is not split off at a title-shaped section heading that stays on the article's topic", () => {
    const seed = readFileSync(fixturePath(SEED), "utf8");
    const retitled = seed.replace("\n用「大模型+大算力」把深度学习的瓶颈撑开\n", "\n大模型:把深度学习的瓶颈撑开\n");
    expect(retitled).not.toBe(seed);
    const { items } = curate(new TextEncoder().encode(retitled), { file: "seed.txt", slugs: [], tags: [], now: CURATED_AT });
    expect(items).toHaveLength(2);
    expect(bodyOf(items[0]?.markdown ?? "").split("\n")).toContain("## 大模型：把深度学习的瓶颈撑开");
  });

  it.each([WECHAT, GBK_NEWS, DISCUZ])("is not invented in %s", (name) => {
    expect(itemsOf(name)).toHaveLength(1);
  });
});

describe("metadata", () => {
  it.each([
    [SEED, "2021-10-18T17:39:41+08:00", "闻菲", "机器之心"],
    [WECHAT, "2023-09-15T10:30:00+08:00", "陈一帆", "星海教育观察"],
    [GBK_NEWS, "2023-06-01T08:00:00+08:00", "赵青", "星海新闻网"],
    [DISCUZ, "2023-09-03T21:05:16+08:00", "老周的实验室", "TODO: 来源名称"],
    [NEWS_COPY, "2023-05-12T09:30:00+08:00", "李明", "星海日报"],
  ])("of %s: time with +08:00, author, source", (name, published, author, source) => {
    const fm = frontmatterOf(name);
    expect(fm.published).toBe(published);
    expect(fm.author).toBe(author);
    expect(fm.source.name).toBe(source);
    expect(String(fm.summary)).not.toMatch(/^TODO/);
    // Curation is when an item enters the collection.
    expect(fm.added).toBe(CURATED_AT_BEIJING);
  });

  it("takes the title from the page, without the site name", () => {
    expect(frontmatterOf(GBK_NEWS).title).toBe("星海港自动化码头二期投入运营");
    expect(frontmatterOf(WECHAT).title).toBe("给孩子的第一堂 AI 课，老师们是怎么上的");
    expect(frontmatterOf(DISCUZ).title).toBe("在家用旧笔记本跑开源大模型的一点经验");
  });

  it("keeps links and structure from HTML", () => {
    const body = outputOf(WECHAT);
    expect(body).toContain("[星海教育资源网](https://edu.example.com/ai-lessons)");
    expect(body).toContain("> “让孩子知道机器也会犯错");
    expect(body).toMatch(/^- +一套离线运行的图片分类小程序；$/m);
  });

  it("uses the --url and slug given, and builds the id from them", () => {
    const { items } = curate(new TextEncoder().encode(outputOf(GBK_NEWS).replace(/^---[\s\S]*?---\n/, "")), {
      file: "x.txt",
      slugs: [],
      tags: [],
      now: CURATED_AT,
    });
    expect(items).toHaveLength(1);
    const withUrl = curateFixture(GBK_NEWS, ["harbor-phase-two"]);
    const fm = parseYaml(splitItem(withUrl.items[0]?.markdown ?? "").frontmatter) as { id: string; slug: string };
    expect(fm).toMatchObject({ id: "tag:news.example.cn,2023-06-01:harbor-phase-two", slug: "harbor-phase-two" });
  });
});
