/**
 * test/fresh-file-state.ts: a file starts from what a runtime of its own gave it, although all
 * files share one. Files run one after another in that runtime (small ones like this late),
 * so this one meets what the files before it wrote, and must see none of it.
 */
import { env, listDurableObjectIds, runInDurableObject } from "cloudflare:test";
import { describe, expect, it, vi } from "vitest";

describe("a Workers test file starts fresh", () => {
  it("with every migration applied, in order, and no row in any table", async () => {
    const applied = await env.DB.prepare("SELECT name FROM d1_migrations ORDER BY id").all<{ name: string }>();
    expect(applied.results.map(({ name }) => name)).toEqual(env.TEST_MIGRATIONS.map(({ name }) => name));
    const { results: tables } = await env.DB.prepare(
      "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE '_cf_%' AND name != 'd1_migrations'",
    ).all<{ name: string }>();
    expect(tables.map(({ name }) => name)).toContain("subscribers");
    for (const { name } of tables) {
      const row = await env.DB.prepare(`SELECT COUNT(*) AS n FROM "${name}"`).first<{ n: number }>();
      expect(row?.n, name).toBe(0);
    }
  });

  it("with Durable Objects that store nothing", async () => {
    for (const id of await listDurableObjectIds(env.PROVIDER_WINDOW)) {
      const stored = await runInDurableObject(env.PROVIDER_WINDOW.get(id), (_instance, state) => state.storage.list());
      expect(stored.size).toBe(0);
    }
  });

  it("on real timers", () => {
    expect(vi.isFakeTimers()).toBe(false);
  });
});
