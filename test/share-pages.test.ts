/**
 * Pages that share well: every public page says what it is to WeChat, Weibo, X and Slack
 * (Open Graph and Twitter tags with its canonical URL and share card), carries the favicon
 * set and a print stylesheet; an article shows its reading time; an edition's web version
 * is a page of the site, with the previous and next edition and a subscribe form.
 */
import { env } from "cloudflare:test";
import { exports } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { getItem } from "../src/content/collection.ts";
import { insertEdition } from "../src/digests/editions-store.ts";

const ORIGIN = "http://example.com";
const get = (path: string) => exports.default.fetch(`${ORIGIN}${path}`);

async function page(path: string): Promise<string> {
  const res = await get(path);
  expect(res.status, path).toBe(200);
  return res.text();
}

/** The content of `<meta property|name="key">`, or undefined. */
function meta(html: string, key: string): string | undefined {
  const tag = new RegExp(`<meta (?:property|name)="${key.replace(/[.:]/g, "\\$&")}" content="([^"]*)" />`).exec(html);
  return tag?.[1];
}

const interview = getItem("zhang-hongjiang-interview")!;

async function addEdition(id: string, day: string, slugs: string[]) {
  await insertEdition(
    env.DB,
    { id, digestId: "weekly", scheduledFor: `${day}T00:00:00.000Z`, subject: `${id} 的主题`, itemSlugs: slugs, trigger: "cron" },
    new Date(`${day}T00:00:05Z`),
  );
}

describe("share tags", () => {
  const pages: [path: string, canonical: string, card: string][] = [
    ["/", `${ORIGIN}/`, "/cards/site.png"],
    [`/articles/${interview.slug}`, `${ORIGIN}/articles/${interview.slug}`, `/cards/articles/${interview.slug}.png`],
    ["/tags/%E6%82%9F%E9%81%93", `${ORIGIN}/tags/%E6%82%9F%E9%81%93`, "/cards/site.png"],
    ["/digests", `${ORIGIN}/digests`, "/cards/site.png"],
    ["/digests/weekly", `${ORIGIN}/digests/weekly`, "/cards/digests/weekly.png"],
    ["/digests/interview-highlights/editions/next", `${ORIGIN}/digests/interview-highlights/editions/next`, `/cards/digests/interview-highlights/${interview.slug}.png`],
  ];

  it.each(pages)("%s has its canonical URL, title, description, card, site name and locale", async (path, canonical, card) => {
    const html = await page(path);
    expect(html).toContain(`<link rel="canonical" href="${canonical}" />`);
    expect(meta(html, "og:url")).toBe(canonical);
    expect(meta(html, "og:site_name")).toBe("AI 前沿精选");
    expect(meta(html, "og:locale")).toBe("zh_CN");
    expect(meta(html, "og:title")).toBeTruthy();
    expect(meta(html, "og:description")?.length).toBeGreaterThan(10);
    expect(meta(html, "og:image")).toBe(`${ORIGIN}${card}`);
    expect(meta(html, "og:image:width")).toBe("1200");
    expect(meta(html, "og:image:height")).toBe("630");
    expect(meta(html, "twitter:card")).toBe("summary_large_image");
    expect(meta(html, "og:type")).toBe(path.startsWith("/articles/") ? "article" : "website");
  });

  it("tells an article's title, summary and publication time", async () => {
    const html = await page(`/articles/${interview.slug}`);
    expect(meta(html, "og:title")).toBe(interview.title.replace(/"/g, "&quot;"));
    expect(meta(html, "og:description")).toBe(interview.summary.replace(/"/g, "&quot;"));
    expect(meta(html, "article:published_time")).toBe(interview.published);
  });

  it("gives every page the favicon set and a print stylesheet", async () => {
    for (const path of ["/", `/articles/${interview.slug}`, "/digests"]) {
      const html = await page(path);
      expect(html).toContain('<link rel="icon" href="/favicon.svg" type="image/svg+xml" />');
      expect(html).toContain('<link rel="icon" href="/favicon-32.png" type="image/png" sizes="32x32" />');
      expect(html).toContain('<link rel="apple-touch-icon" href="/apple-touch-icon.png" />');
      // On paper: no navigation, footer or form; links in the article print their address.
      expect(html).toMatch(/@media print\{[^@]*header\.site nav,footer\.site,form\.subscribe/);
      expect(html).toMatch(/@media print\{[^@]*article a\[href\^="http"\]::after\{content:"（" attr\(href\) "）"/);
    }
  });
});

describe("article reading time", () => {
  it("shows about one minute per 400 Chinese characters", async () => {
    const han = interview.html.replace(/<[^>]*>/g, "").match(/\p{Script=Han}/gu)!.length;
    const html = await page(`/articles/${interview.slug}`);
    const minutes = Number(/阅读约 (\d+) 分钟/.exec(html)?.[1]);
    expect(minutes).toBeGreaterThanOrEqual(Math.floor(han / 400));
    expect(minutes).toBeLessThanOrEqual(Math.ceil(han / 400) + 1);
    expect(han).toBeGreaterThan(2000);
  });
});

describe("an edition's web version", () => {
  it("is a page of the site: navigation, the previous and next edition, and a subscribe form for this digest", async () => {
    await addEdition("weekly-w1", "2026-11-09", ["waic-ai-developer-forum-2021"]);
    await addEdition("weekly-w2", "2026-11-16", [interview.slug]);
    await addEdition("weekly-w3", "2026-11-23", [interview.slug]);

    const middle = await page("/digests/weekly/editions/weekly-w2");
    expect(middle).toContain('<header class="site">');
    expect(middle).toContain('<a href="/digests">');
    expect(middle).toContain('href="/digests/weekly/editions/weekly-w1" rel="prev">← 上一期（2026 年 11 月 9 日）</a>');
    expect(middle).toContain('href="/digests/weekly/editions/weekly-w3" rel="next">下一期（2026 年 11 月 23 日）→</a>');
    expect(middle).toContain('<a href="/digests/weekly">全部往期</a>');
    // The email itself, as sent, in the page.
    expect(middle).toContain(interview.title.replace(/"/g, "&quot;").slice(0, 10));
    expect(middle).toContain("<title>weekly-w2 的主题 · AI 前沿精选</title>");
    // The subscribe form offers every digest, with this one chosen.
    const form = /<form class="subscribe"[\s\S]*?<\/form>/.exec(middle)![0];
    expect(form).toMatch(/value="weekly"[^>]*checked/);
    expect(form).not.toMatch(/value="interview-highlights"[^>]*checked/);
    expect(meta(middle, "og:image")).toBe(`${ORIGIN}/cards/digests/weekly/${interview.slug}.png`);

    const oldest = await page("/digests/weekly/editions/weekly-w1");
    expect(oldest).toContain("已是最早一期");
    expect(meta(oldest, "og:image")).toBe(`${ORIGIN}/cards/digests/weekly/waic-ai-developer-forum-2021.png`);
    const next = await page("/digests/weekly/editions/next");
    expect(next).toContain('href="/digests/weekly/editions/weekly-w3" rel="prev">');
    expect(next).toContain("已是最新一期");
  });

  it("shares the digest's own card when the edition carries nothing", async () => {
    await addEdition("weekly-empty", "2026-11-30", []);
    expect(meta(await page("/digests/weekly/editions/weekly-empty"), "og:image")).toBe(`${ORIGIN}/cards/digests/weekly.png`);
  });
});
