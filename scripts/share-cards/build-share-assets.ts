/**
 * Build step: the favicon set and a share card for every page that can be shared (the
 * site, each article, each digest, each digest with each item as its lead), written as
 * static assets (wrangler.toml [assets]) under the paths src/pages/share.ts names.
 * A card is drawn again only when what it shows or how cards are drawn has changed.
 */
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import type { ContentItem } from "../../src/content/item.ts";
import { readingMinutes } from "../../src/content/reading-time.ts";
import { describeSchedule } from "../../src/digests/describe-schedule.ts";
import type { Digest } from "../../src/digests/digest.ts";
import { feedIcons, publication } from "../../src/feeds/publication.ts";
import { articleCardPath, digestCardPath, editionCardPath, siteCardPath } from "../../src/pages/share.ts";
import { formatChineseDate } from "../../src/text/beijing-time.ts";
import { pngToIco } from "./favicon-ico.ts";
import { renderIconPng, renderIconSvg, renderShareCard, type ShareCard } from "./share-card.tsx";

const KIND_LABELS: Record<ContentItem["kind"], string> = { article: "文章", event: "活动" };

const articleCard = (item: ContentItem): ShareCard => ({
  kicker: `${KIND_LABELS[item.kind]} · ${item.source.name}`,
  title: item.title,
  footer: `${item.author} · ${formatChineseDate(item.published.slice(0, 10))} · 阅读约 ${readingMinutes(item.html)} 分钟`,
});

const digestFooter = (digest: Digest) => `邮件摘要 · ${describeSchedule(digest.schedule) ?? "按计划定期发送"} · 随时一键退订`;

/** Every card, by the URL path it is served at. */
export function shareCards(items: readonly ContentItem[], digests: readonly Digest[]): Map<string, ShareCard> {
  const cards = new Map<string, ShareCard>([
    [siteCardPath, { kicker: "全文阅读 · RSS · 邮件订阅", title: publication.description, footer: "每周精选，随时一键退订" }],
  ]);
  for (const item of items) cards.set(articleCardPath(item.slug), articleCard(item));
  for (const digest of digests) {
    cards.set(digestCardPath(digest.id), { kicker: "邮件摘要", title: digest.title, footer: digestFooter(digest) });
    for (const item of items) {
      cards.set(editionCardPath(digest.id, item.slug), { kicker: digest.title, title: item.title, footer: digestFooter(digest) });
    }
  }
  return cards;
}

const rendererSources = ["share-card.tsx", "card-fonts.ts", "favicon-ico.ts"].map((file) =>
  readFileSync(join(import.meta.dirname, file), "utf8"),
);
const digestOf = (value: unknown) =>
  createHash("sha256").update(JSON.stringify(value)).update(rendererSources.join("\n")).digest("hex").slice(0, 16);

/** Writes what changed under `outDir` and removes what is no longer made; returns how many files were drawn. */
export async function buildShareAssets(items: readonly ContentItem[], digests: readonly Digest[], outDir: string): Promise<number> {
  // Beside the assets, not among them: it is the build's memory, not something to serve.
  const manifestFile = `${outDir}.manifest.json`;
  const previous: Record<string, string> = existsSync(manifestFile) ? JSON.parse(readFileSync(manifestFile, "utf8")) : {};
  const next: Record<string, string> = {};
  let drawn = 0;
  const make = async (urlPath: string, inputs: unknown, draw: () => Promise<Buffer | string>) => {
    const file = join(outDir, decodeURIComponent(urlPath));
    const digest = digestOf(inputs);
    next[urlPath] = digest;
    if (previous[urlPath] === digest && existsSync(file)) return;
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, await draw());
    drawn++;
  };

  const iconSvg = await renderIconSvg();
  await make("/favicon.svg", "icon", async () => iconSvg);
  await make("/favicon-32.png", "icon-32", async () => renderIconPng(iconSvg, 32));
  await make("/favicon.ico", "icon-ico", async () => pngToIco(renderIconPng(iconSvg, 32), 32));
  await make("/apple-touch-icon.png", "icon-180", async () => renderIconPng(iconSvg, 180));
  for (const [size, path] of [[64, feedIcons.square64], [144, feedIcons.square144], [512, feedIcons.square512]] as const) {
    await make(path, `icon-${size}`, async () => renderIconPng(iconSvg, size));
  }
  for (const [urlPath, card] of shareCards(items, digests)) await make(urlPath, card, () => renderShareCard(card));

  removeStale(outDir, new Set(Object.keys(next).map((urlPath) => join(outDir, decodeURIComponent(urlPath)))));
  writeFileSync(manifestFile, JSON.stringify(next, null, 1));
  return drawn;
}

/** Files a previous build made that this one no longer does (a removed article's card). */
function removeStale(outDir: string, keep: Set<string>): void {
  for (const entry of readdirSync(outDir, { recursive: true, withFileTypes: true })) {
    const file = join(entry.parentPath, entry.name);
    if (entry.isFile() && !keep.has(file)) {
      rmSync(file);
      console.log(`share assets: removed ${relative(outDir, file)}`);
    }
  }
}
