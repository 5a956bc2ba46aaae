/**
 * The import rules `npm test` checks first (scripts/import-rules.ts), on fixture graphs:
 * a wrong-way import, a peer import, a folder the order does not know and a cycle are each
 * caught and named; imports that go down the order pass.
 */
import { describe, expect, it } from "vitest";
import { FOLDER_ORDER, findCycles, folderGraph, wrongWayImports, type Graph } from "../../scripts/import-rules.ts";

const graph = (edges: Record<string, string[]>): Graph => new Map(Object.entries(edges).map(([file, targets]) => [file, new Set(targets)]));

describe("the folder order", () => {
  it("lets every folder import only what lies below it", () => {
    const files = graph({
      "src/index.ts": ["src/app.ts", "src/delivery/queue-consumer.ts"],
      "src/routes/admin.ts": ["src/admin/access.ts", "src/http/app-env.ts", "src/delivery/preview.ts"],
      "src/admin/pages/admin-layout.ts": ["src/delivery/ledger-store.ts", "src/pages/layout.ts"],
      "src/delivery/fan-out.ts": ["src/digests/editions-store.ts", "src/log.ts", "src/delivery/ledger-store.ts"],
      "emails/digest.tsx": ["src/text/cjk-spacing.ts"],
      "scripts/build-content.ts": ["src/content/item.ts"],
    });
    expect(wrongWayImports(files)).toEqual([]);
  });

  it("names an import that goes up the order, file → file, with the rule it breaks", () => {
    const files = graph({ "src/delivery/pacer.ts": ["src/admin/access.ts", "src/clock.ts"] });
    expect(wrongWayImports(files)).toEqual([
      { from: "src/delivery/pacer.ts", to: "src/admin/access.ts", rule: "src/delivery (layer 6) may import only lower layers, and src/admin is layer 7" },
    ]);
  });

  it("refuses imports between peers of one layer, and shipped code importing the build scripts", () => {
    const files = graph({
      "src/pages/home-page.ts": ["src/delivery/pacer.ts"],
      "src/digests/select.ts": ["scripts/content/compile.ts"],
    });
    expect(wrongWayImports(files).map(({ from, to, rule }) => `${from} → ${to}: ${rule}`)).toEqual([
      "src/pages/home-page.ts → src/delivery/pacer.ts: src/pages and src/delivery are peers in the folder order (layer 6): peers do not import each other",
      "src/digests/select.ts → scripts/content/compile.ts: src/digests (layer 4) may import only lower layers, and scripts is layer 11",
    ]);
  });

  it("refuses a folder the order does not list, until it is given its place", () => {
    const files = graph({ "src/routes/site.ts": ["src/search/index.ts"] });
    expect(wrongWayImports(files)).toEqual([
      { from: "src/routes/site.ts", to: "src/search/index.ts", rule: "src/search is in no layer of the folder order: add it to FOLDER_ORDER" },
    ]);
    expect(wrongWayImports(files, [["src/search"], ...FOLDER_ORDER])).toEqual([]);
  });
});

describe("cycles", () => {
  it("finds a folder cycle and keeps one file import of each step as evidence", () => {
    const files = graph({
      "src/admin/pages/admin-layout.ts": ["src/delivery/ledger-store.ts"],
      "src/delivery/pacer.ts": ["src/admin/access.ts"],
    });
    const folders = folderGraph(files);
    expect(findCycles(folders.graph)).toEqual([["src/admin", "src/delivery", "src/admin"]]);
    expect(folders.evidence.get("src/delivery src/admin")).toBe("src/delivery/pacer.ts → src/admin/access.ts");
    expect(findCycles(files)).toEqual([]);
  });

  it("finds a file cycle", () => {
    expect(findCycles(graph({ "src/a.ts": ["src/b.ts"], "src/b.ts": ["src/a.ts"] }))).toEqual([["src/a.ts", "src/b.ts", "src/a.ts"]]);
  });
});
