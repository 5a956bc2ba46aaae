/**
 * Curating the seed (a Discuz scrape of a 公众号 article with an event note appended)
 * reproduces the two hand-curated items of content/, paragraph for paragraph. The content
 * files may or may not have had the Chinese/Latin spacing rule applied yet, so they are
 * compared after applying it.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parse as parseYaml } from "yaml";
import { spaceCjkLatin } from "../../src/text/cjk-spacing.ts";
import { curate } from "../../scripts/curate/curate.ts";
import { curateFixture, root, SEED, splitItem } from "./curate-helpers.ts";

const SLUGS = ["zhang-hongjiang-interview", "waic-ai-developer-forum-2021"];
const handCurated = SLUGS.map((slug) => spaceCjkLatin(readFileSync(join(root, "content", `${slug}.md`), "utf8")));
const { items, report } = curateFixture(SEED, SLUGS);

type Fm = { title: string; summary: string; author: string; source: { name: string }; published: string; rights?: string; figures?: { file: string; caption: string }[] };
const frontmatter = (markdown: string) => parseYaml(splitItem(markdown).frontmatter) as Fm;

describe("curating seed 000", () => {
  it("splits the appended WAIC note into its own item", () => {
    expect(items.map((i) => i.fileName)).toEqual(SLUGS.map((s) => `${s}.md`));
    expect(report.rules.pieces).toBe(1);
  });

  it("reproduces both hand-curated bodies paragraph for paragraph", () => {
    items.forEach((item, i) => {
      expect(splitItem(item.markdown).blocks).toEqual(splitItem(handCurated[i] ?? "").blocks);
    });
  });

  it("finds the facts the hand-curated frontmatter has", () => {
    items.forEach((item, i) => {
      const ours = frontmatter(item.markdown);
      const theirs = frontmatter(handCurated[i] ?? "");
      for (const key of ["title", "summary", "author", "published", "rights"] as const) expect(ours[key]).toBe(theirs[key]);
      expect(ours.source.name).toBe(theirs.source.name);
    });
    // The scrape has captions for w1–w4; w5's caption was written by a person.
    const captions = (md: string) => (frontmatter(md).figures ?? []).map((f) => [f.file, f.caption]);
    expect(captions(items[0]?.markdown ?? "")).toEqual(captions(handCurated[0] ?? ""));
    expect(captions(items[1]?.markdown ?? "")).toEqual([["w5.jpg", "TODO: 图片说明"]]);
  });

  it("reports every sentence in and out, and what a person must add", () => {
    expect(report.sentences.in).toBeGreaterThan(100);
    expect(report.sentences.out).toBe(report.sentences.in);
    expect(report.sentences.missing).toEqual([]);
    expect(items[1]?.todos).toEqual(["id", "source.url", "tags", "figures w5.jpg"]);
  });

  it("changes nothing when curating its own output or the hand-curated items again", () => {
    for (const [i, markdown] of [...items.map((it) => it.markdown), ...handCurated].entries()) {
      const again = curate(new TextEncoder().encode(markdown), { file: `content/item-${i}.md`, slugs: [], tags: [] });
      expect(again.items.map((it) => it.markdown)).toEqual([markdown]);
      expect(Object.values(again.report.rules).every((n) => n === 0)).toBe(true);
    }
  });
});
