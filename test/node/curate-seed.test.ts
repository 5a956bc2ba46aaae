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
import { REGISTRATION_LINE } from "../../scripts/content/compile.ts";
import { spaceCjkLatin } from "../../src/text/cjk-spacing.ts";
import { curate } from "../../scripts/curate/curate.ts";
import { CURATED_AT, CURATED_AT_BEIJING, curateFixture, root, SEED, splitItem } from "./curate-helpers.ts";

const SLUGS = ["zhang-hongjiang-interview", "waic-ai-developer-forum-2021"];
const handCurated = SLUGS.map((slug) => spaceCjkLatin(readFileSync(join(root, "content", `${slug}.md`), "utf8")));
const { items, report } = curateFixture(SEED, SLUGS);

type Fm = { title: string; summary: string; author: string; source: { name: string }; published: string; added: string; rights?: string; figures?: { file: string; caption: string }[] };
const frontmatter = (markdown: string) => parseYaml(splitItem(markdown).frontmatter) as Fm;

describe("curating seed 000", () => {
  it("splits the appended WAIC note into its own item", () => {
    expect(items.map((i) => i.fileName)).toEqual(SLUGS.map((s) => `${s}.md`));
    expect(report.rules.pieces).toBe(1);
  });

  // Curation writes kind: article and leaves the registration call unmarked: the content
  // build accepts the registration line only in an event, whose times and zone a person
  // supplies. So the bodies are compared without that line, and the report must say where
  // the person put it.
  const withoutRegistrationLine = (markdown: string) => splitItem(markdown).blocks.filter((b) => b !== REGISTRATION_LINE);

  it("reproduces both hand-curated bodies paragraph for paragraph", () => {
    items.forEach((item, i) => {
      expect(splitItem(item.markdown).blocks).not.toContain(REGISTRATION_LINE);
      expect(splitItem(item.markdown).blocks).toEqual(withoutRegistrationLine(handCurated[i] ?? ""));
    });
  });

  it("tells the person where the event's registration line goes", () => {
    const blocks = splitItem(handCurated[1] ?? "").blocks;
    const call = blocks[blocks.indexOf(REGISTRATION_LINE) + 1];
    expect(call).toBe("识别下方二维码，立即报名。");
    const registrationChecks = report.checks.filter((c) => c.includes(REGISTRATION_LINE));
    expect(registrationChecks).toEqual([expect.stringMatching(new RegExp(`^${SLUGS[1]}\\.md：结尾“${call}”`))]);
  });

  it("finds the facts the hand-curated frontmatter has, where curation can know them", () => {
    items.forEach((item, i) => {
      const ours = frontmatter(item.markdown);
      const theirs = frontmatter(handCurated[i] ?? "");
      for (const key of ["title", "author", "published"] as const) expect(ours[key]).toBe(theirs[key]);
      expect(ours.source.name).toBe(theirs.source.name);
      // A person may rewrite the summary (the event's adds the year); curation offers the
      // first paragraph, which both items still open with.
      expect(ours.summary).toBe(splitItem(handCurated[i] ?? "").blocks[0]);
      // A person reworded the rights line for a web site; curation keeps the source's own.
      expect(ours.rights).toBe("转载请联系本公众号获得授权。投稿或寻求报道：content@jiqizhixin.com");
      expect(ours.added).toBe(CURATED_AT_BEIJING);
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
      const again = curate(new TextEncoder().encode(markdown), { file: `content/item-${i}.md`, slugs: [], tags: [], now: CURATED_AT });
      expect(again.items.map((it) => it.markdown)).toEqual([markdown]);
      expect(Object.values(again.report.rules).every((n) => n === 0)).toBe(true);
    }
  });
});
