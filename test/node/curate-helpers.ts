/** Fixtures and helpers shared by the curation tests (Node). */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { curate, type Curation } from "../../scripts/curate/curate.ts";

export const root = join(import.meta.dirname, "../..");
export const fixturePath = (name: string) => join(root, "test/fixtures", name);

export const SEED = "seed-000.txt";
export const WECHAT = "curate/wechat-article.html";
export const GBK_NEWS = "curate/gbk-news.html";
export const DISCUZ = "curate/discuz-thread.html";
export const NEWS_COPY = "curate/news-copy.txt";
export const WECHAT_PHONE = "curate/wechat-phone.txt";
export const WECHAT_SECTIONS = "curate/wechat-sections.html";
export const ZHIHU = "curate/zhihu-column.html";
export const CSDN = "curate/csdn-post.html";
export const JIANSHU = "curate/jianshu-post.txt";
export const KR36 = "curate/kr36-news.html";
export const THEPAPER = "curate/thepaper-article.html";
export const SINA = "curate/sina-news.html";
export const NETEASE = "curate/netease-news.html";
export const TENCENT = "curate/tencent-news.txt";
export const PHPBB = "curate/phpbb-thread.html";
/** Sources curation had never seen when issue 20 was filed: 知乎, CSDN, 简书, 36氪, 澎湃, 新浪, 网易, 腾讯, 公众号 (page and phone copy), phpBB. */
export const NEW_SOURCES = [WECHAT_PHONE, WECHAT_SECTIONS, ZHIHU, CSDN, JIANSHU, KR36, THEPAPER, SINA, NETEASE, TENCENT, PHPBB];
export const FIXTURES = [SEED, WECHAT, GBK_NEWS, DISCUZ, NEWS_COPY, ...NEW_SOURCES];

/** The clock every curation in the tests reads: the time the first item of content/ was curated. */
export const CURATED_AT = new Date("2026-11-29T01:58:29Z");
export const CURATED_AT_BEIJING = "2026-11-29T09:58:29+08:00";

export function curateFixture(name: string, slugs: string[] = []): Curation {
  return curate(readFileSync(fixturePath(name)), { file: name, slugs, tags: [], now: CURATED_AT });
}

/** Curates text given inline (a fixture edited for one test). */
export function curateText(text: string, file = "edited.txt"): Curation {
  return curate(new TextEncoder().encode(text), { file, slugs: [], tags: [], now: CURATED_AT });
}

export const fixtureUtf8 = (name: string) => readFileSync(fixturePath(name), "utf8");

/** Splits an item into its frontmatter block and its body blocks. */
export function splitItem(markdown: string): { frontmatter: string; blocks: string[] } {
  const match = /^---\n([\s\S]*?)\n---\n([\s\S]*)$/.exec(markdown);
  if (!match) throw new Error(`not a content item:\n${markdown.slice(0, 200)}`);
  return { frontmatter: match[1] ?? "", blocks: (match[2] ?? "").trim().split(/\n\n+/) };
}

export function bodyOf(markdown: string): string {
  return splitItem(markdown).blocks.join("\n\n");
}

export function paragraphs(markdown: string): string[] {
  return splitItem(markdown).blocks.filter((b) => !/^(#|!\[|>|-|\d+\.)/.test(b));
}

/** What a person does before publishing: every "TODO: …" replaced by a real value. */
export function fillTodos(markdown: string, n: number): string {
  const values: Record<string, string> = {
    id: `tag:example.com,2023-01-01:filled-${n}`,
    slug: `filled-${n}`,
    url: "https://example.com/original",
    published: "2023-01-01T08:00:00+08:00",
  };
  return markdown
    .replace(/^tags: \["TODO:[^"]*"\]$/m, "tags: [标签]")
    .replace(/^(\s*(?:- )?)(\w+): "TODO:[^"]*"$/gm, (_, indent: string, key: string) => `${indent}${key}: ${JSON.stringify(values[key] ?? "已填写")}`);
}
