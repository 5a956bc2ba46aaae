/**
 * The share assets the build draws (scripts/share-cards/): a 1200×630 card for every page
 * that can be shared, the favicon set, each a real image; drawn again only when what it
 * shows changes, and removed when its page is gone.
 */
import { mkdtempSync, readFileSync, rmSync, statSync, existsSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import type { ContentItem } from "../../src/content/item.ts";
import { items } from "../../src/content/generated.ts";
import { digests } from "../../src/digests/generated.ts";
import { buildShareAssets, shareCards } from "../../scripts/share-cards/build-share-assets.ts";

/** Width and height from a PNG's IHDR chunk. */
function pngSize(file: Buffer): [number, number] {
  expect(file.subarray(1, 4).toString("latin1")).toBe("PNG");
  return [file.readUInt32BE(16), file.readUInt32BE(20)];
}

const dirs: string[] = [];
afterEach(() => dirs.splice(0).forEach((dir) => rmSync(dir, { recursive: true, force: true })));
function outDir(): string {
  const dir = mkdtempSync(join(tmpdir(), "share-assets-"));
  dirs.push(dir);
  return join(dir, "site-assets");
}

describe("share assets", () => {
  it("draws a card for the site, each article, each digest and each digest's possible lead, and the favicon set", async () => {
    const out = outDir();
    const cards = shareCards(items, digests);
    expect(cards.size).toBe(1 + items.length + digests.length * (1 + items.length));
    expect(await buildShareAssets(items, digests, out)).toBe(cards.size + 7);

    for (const path of cards.keys()) expect(pngSize(readFileSync(join(out, decodeURIComponent(path)))), path).toEqual([1200, 630]);
    expect(pngSize(readFileSync(join(out, "favicon-32.png")))).toEqual([32, 32]);
    expect(pngSize(readFileSync(join(out, "apple-touch-icon.png")))).toEqual([180, 180]);
    for (const size of [64, 144, 512]) expect(pngSize(readFileSync(join(out, `icon-${size}.png`)))).toEqual([size, size]);
    const ico = readFileSync(join(out, "favicon.ico"));
    expect([ico.readUInt16LE(2), ico.readUInt16LE(4), ico[6]]).toEqual([1, 1, 32]);
    expect(pngSize(ico.subarray(ico.readUInt32LE(18)))).toEqual([32, 32]);
    // The SVG's glyph is drawn as a path: it needs no font where it is shown.
    const svg = readFileSync(join(out, "favicon.svg"), "utf8");
    expect(svg).toMatch(/^<svg[^>]*viewBox="0 0 64 64"/);
    expect(svg).toContain("<path");
    expect(svg).not.toContain("<text");
  });

  it("puts the title, the brand and what the page is on each card", () => {
    const interview = items.find((item) => item.slug === "zhang-hongjiang-interview")!;
    const cards = shareCards(items, digests);
    expect(cards.get("/cards/articles/zhang-hongjiang-interview.png")).toEqual({
      kicker: "文章 · 机器之心",
      title: interview.title,
      footer: expect.stringMatching(/^闻菲 · 2021 年 10 月 18 日 · 阅读约 \d+ 分钟$/),
    });
    expect(cards.get("/cards/digests/weekly/zhang-hongjiang-interview.png")).toMatchObject({ kicker: "每周精选", title: interview.title });
  });

  it("draws again only what changed, and removes the card of an article that is gone", async () => {
    const out = outDir();
    const weekly = digests.filter((digest) => digest.id === "weekly");
    await buildShareAssets(items, weekly, out);
    const card = join(out, "cards/articles/zhang-hongjiang-interview.png");
    const drawnAt = statSync(card).mtimeMs;
    expect(await buildShareAssets(items, weekly, out)).toBe(0);
    expect(statSync(card).mtimeMs).toBe(drawnAt);

    const retitled: ContentItem[] = items.map((item) => (item.slug === "zhang-hongjiang-interview" ? { ...item, title: "新的标题" } : item));
    // Its own card and its card as the digest's lead.
    expect(await buildShareAssets(retitled, weekly, out)).toBe(2);

    const fewer = items.filter((item) => item.slug !== "zhang-hongjiang-interview");
    await buildShareAssets(fewer, weekly, out);
    expect(existsSync(card)).toBe(false);
    expect(existsSync(join(out, "cards/digests/weekly/zhang-hongjiang-interview.png"))).toBe(false);
    expect(existsSync(join(out, "cards/articles/waic-ai-developer-forum-2021.png"))).toBe(true);
  });
});
