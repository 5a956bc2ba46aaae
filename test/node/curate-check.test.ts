/**
 * Curation's quality as numbers (`npm run curate -- --check test/fixtures/curate`): every
 * fixture keeps every sentence of its article, leaves no chrome line, finds its headings,
 * items and metadata as its sidecar expects. A regression fails here, naming the numbers,
 * and the table in docs/content-and-curation.md must be the one this run prints.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { checkRows, formatTable, isClean } from "../../scripts/curate/check.ts";
import { CURATED_AT, FIXTURES, fixturePath, root } from "./curate-helpers.ts";

const rows = checkRows(fixturePath("curate"), CURATED_AT);

describe("the curation quality table", () => {
  it("covers every curation fixture", () => {
    expect(rows.map((r) => r.fixture).sort()).toEqual(FIXTURES.map((f) => f.split("/").at(-1)).sort());
  });

  it.each(rows.map((r) => [r.fixture, r] as const))("shows no regression on %s", (_, row) => {
    expect(row.missing).toEqual([]);
    expect(row).toMatchObject({
      sentences: { kept: row.sentences.source },
      chromeLeft: 0,
      headings: { found: row.headings.expected, unexpected: 0 },
      items: { produced: row.items.expected },
      metadata: { found: row.metadata.expected },
    });
    expect(row.sentences.source).toBeGreaterThan(5);
    expect(isClean(row)).toBe(true);
  });

  it("counts a regression: a fixture whose expectations are not met is not clean", () => {
    const row = rows[0];
    if (!row) throw new Error("no rows");
    expect(isClean({ ...row, chromeLeft: 1 })).toBe(false);
    expect(isClean({ ...row, sentences: { kept: row.sentences.source - 1, source: row.sentences.source } })).toBe(false);
    expect(isClean({ ...row, headings: { ...row.headings, unexpected: 1 } })).toBe(false);
    expect(isClean({ ...row, items: { produced: row.items.expected + 1, expected: row.items.expected } })).toBe(false);
    expect(isClean({ ...row, metadata: { found: 3, expected: 4 } })).toBe(false);
  });

  it("is the table docs/content-and-curation.md shows", () => {
    const docs = readFileSync(join(root, "docs/content-and-curation.md"), "utf8");
    expect(docs).toContain(formatTable(rows));
  });
});
