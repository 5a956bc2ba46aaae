/** Digests as content: compiling definitions, choosing items, schedules and the crons they need. */
import { describe, expect, it } from "vitest";
import { ContentError } from "../scripts/content/compile.ts";
import { getItem, items } from "../src/content/collection.ts";
import { digests, getDigest, type Digest } from "../src/digests/catalog.ts";
import { checkCrons, checkDigests, compileDigest } from "../scripts/digests/compile.ts";
import { MAINTENANCE_CRON, nextRun, parseCron } from "../src/digests/cron.ts";
import { digestsForCron, selectItems } from "../src/digests/select.ts";
import badCron from "./fixtures/digests/bad-cron.yaml?raw";
import badSpacing from "./fixtures/digests/bad-spacing.yaml?raw";
import missingSlug from "./fixtures/digests/missing-slug.yaml?raw";
import unknownTheme from "./fixtures/digests/unknown-theme.yaml?raw";

function compileError(file: string, source: string): string {
  try {
    compileDigest(file, source, items);
  } catch (error) {
    expect(error).toBeInstanceOf(ContentError);
    return (error as Error).message;
  }
  throw new Error(`${file} compiled but should have failed`);
}

function mustGetDigest(id: string): Digest {
  const digest = getDigest(id);
  if (!digest) throw new Error(`digest "${id}" is missing: run npm run build:content`);
  return digest;
}

describe("compiling a digest definition", () => {
  it("names the file, the field and the themes it expected for an unknown theme", () => {
    const message = compileError("content/digests/unknown-theme.yaml", unknownTheme);
    expect(message).toMatch(/^content\/digests\/unknown-theme\.yaml:/);
    expect(message).toContain('field "theme"');
    expect(message).toMatch(/expected one of "highlights"\|"event"\|"classic"/);
  });

  it("names the schedule field and what is wrong with the cron expression", () => {
    const message = compileError("content/digests/bad-cron.yaml", badCron);
    expect(message).toContain("content/digests/bad-cron.yaml:");
    expect(message).toContain('field "schedule"');
    expect(message).toContain("expected a 5-field cron expression in UTC");
    expect(message).toContain('minute "61" is out of range 0-59');
  });

  it("names the title and intro that miss a space between Chinese and Latin letters or digits", () => {
    const message = compileError("content/digests/bad-spacing.yaml", badSpacing);
    expect(message).toContain('field "title": "每周AI 精选" needs one space between Chinese and a Latin letter or digit');
    expect(message).toContain('field "intro": "第二段写到了7月8日。" needs one space');
    expect(message).not.toContain('field "subject"');
  });

  it("names the slug that is not in content/ and the slugs that are", () => {
    const message = compileError("content/digests/missing-slug.yaml", missingSlug);
    expect(message).toContain('field "select.slugs.1"');
    expect(message).toContain('got "no-such-article"');
    expect(message).toContain("zhang-hongjiang-interview");
    expect(message).not.toContain("select.slugs.0");
  });

  it("rejects an id that differs from the file name, unknown placeholders and an empty selection", () => {
    const renamed = compileError("content/digests/other.yaml", missingSlug.replace("no-such-article", "waic-ai-developer-forum-2021"));
    expect(renamed).toContain('field "id": expected "other" (the file name), got "missing-slug"');
    const placeholder = compileError("content/digests/bad-cron.yaml", badCron.replace("61 25", "0 1").replace("{date} 坏计划", "{day} 坏计划"));
    expect(placeholder).toContain('field "subject"');
    expect(placeholder).toContain("only placeholders are {lead} and {date}");
    const empty = compileError("content/digests/bad-cron.yaml", badCron.replace("61 25", "0 1").replace("newSinceLastEdition: true", "{}").replace("select:\n  {}", "select: {}"));
    expect(empty).toContain('field "select"');
  });

  it("rejects numeric days of the week, which cron dialects disagree on", () => {
    const message = compileError("content/digests/bad-cron.yaml", badCron.replace("61 25 * * FRI", "0 1 * * 5"));
    expect(message).toContain('day-of-week "5" is not a day name');
  });

  it("compiles a valid definition with defaults filled in", () => {
    const digest = compileDigest("content/digests/bad-cron.yaml", badCron.replace("61 25", "0 1"), items);
    expect(digest).toMatchObject({ id: "bad-cron", theme: "classic", schedule: "0 1 * * FRI", sendWhenEmpty: false });
  });

  it("refuses the maintenance cron as a digest's schedule", () => {
    const message = compileError("content/digests/bad-cron.yaml", badCron.replace("61 25 * * FRI", MAINTENANCE_CRON));
    expect(message).toContain(`field "schedule": "${MAINTENANCE_CRON}" is the delivery maintenance cron`);
  });

  it("refuses two digests with one id", () => {
    const digest = mustGetDigest("weekly");
    expect(() =>
      checkDigests([
        { file: "content/digests/weekly.yaml", digest },
        { file: "content/digests/weekly-copy.yaml", digest },
      ]),
    ).toThrow('content/digests/weekly-copy.yaml:\n  - field "id": "weekly" is already used by content/digests/weekly.yaml');
  });
});

describe("wrangler.toml crons", () => {
  const toml = (crons: string) => `name = "x"\n\n[triggers]\n# comment\ncrons = ${crons}\n`;

  it("accepts exactly the digests' schedules and the maintenance cron, in any order", () => {
    const wanted = [...new Set(digests.map((d) => d.schedule)), MAINTENANCE_CRON].reverse();
    expect(() => checkCrons(toml(JSON.stringify(wanted)), digests)).not.toThrow();
  });

  it("names the missing and the extra crons", () => {
    const [first, ...rest] = [...new Set(digests.map((d) => d.schedule))];
    expect(() => checkCrons(toml(JSON.stringify([...rest, MAINTENANCE_CRON, "*/5 * * * *"])), digests)).toThrow(
      new RegExp(`wrangler.toml:[\\s\\S]*field "triggers.crons"[\\s\\S]*missing \\["${first?.replace(/\*/g, "\\*")}"\\][\\s\\S]*not a digest schedule \\["\\*/5 \\* \\* \\* \\*"\\]`),
    );
  });

  it("requires the maintenance cron next to the digest schedules", () => {
    const schedules = [...new Set(digests.map((d) => d.schedule))];
    expect(() => checkCrons(toml(JSON.stringify(schedules)), digests)).toThrow(
      `and the maintenance cron "${MAINTENANCE_CRON}"; missing ["${MAINTENANCE_CRON}"]`,
    );
  });

  it("fails when there is no [triggers] crons list", () => {
    expect(() => checkCrons('name = "x"\n', digests)).toThrow('expected a [triggers] section with a crons = [...] list');
  });
});

describe("the shipped digests", () => {
  it("are the interview highlights, the WAIC forum note and the weekly digest, each on a UTC schedule", () => {
    expect(digests.map((d) => d.id).sort()).toEqual(["interview-highlights", "waic-forum", "weekly"]);
    expect(mustGetDigest("interview-highlights").theme).toBe("highlights");
    expect(mustGetDigest("waic-forum").theme).toBe("event");
    for (const digest of digests) expect(parseCron(digest.schedule).ok).toBe(true);
  });

  it("finds the digests of a cron firing, and none for a cron no digest uses", () => {
    expect(digestsForCron("0 1 * * FRI").map((d) => d.id)).toEqual(["interview-highlights"]);
    expect(digestsForCron("0 0 * * MON").map((d) => d.id)).toEqual(["weekly"]);
    expect(digestsForCron("* * * * *")).toEqual([]);
  });
});

describe("selecting an edition's items", () => {
  const interview = getItem("zhang-hongjiang-interview");
  const event = getItem("waic-ai-developer-forum-2021");
  const added = new Date("2026-11-29T01:58:29Z");

  it("takes the interview for the interview digest and the event note for the forum digest", () => {
    expect(selectItems(mustGetDigest("interview-highlights"), items, null)).toEqual([interview]);
    expect(selectItems(mustGetDigest("waic-forum"), items, null)).toEqual([event]);
    expect(selectItems(mustGetDigest("weekly"), items, null)).toHaveLength(items.length);
  });

  it("keeps only items added to the collection after the last edition, however old the source", () => {
    const weekly = mustGetDigest("weekly");
    // Both items were published by the source in 2021 and added here in November 2026.
    const lastEdition = new Date("2026-11-01T00:00:00Z");
    expect(items.every((item) => Date.parse(item.published) < lastEdition.getTime())).toBe(true);
    expect(selectItems(weekly, items, lastEdition)).toHaveLength(2);
    // The interview was added 16 s before the event note: an edition between them carries the note only.
    expect(selectItems(weekly, items, added).map((item) => item.slug)).toEqual(["waic-ai-developer-forum-2021"]);
    expect(selectItems(weekly, items, new Date("2026-11-29T02:00:00Z"))).toEqual([]);
  });

  it("combines criteria with AND and values with OR; named slugs keep their order", () => {
    const base = mustGetDigest("weekly");
    const pick = (select: Digest["select"]) => selectItems({ ...base, select }, items, null).map((i) => i.slug);
    expect(pick({ tags: ["访谈", "活动"] })).toEqual(["zhang-hongjiang-interview", "waic-ai-developer-forum-2021"]);
    expect(pick({ tags: ["访谈", "活动"], kinds: ["event"] })).toEqual(["waic-ai-developer-forum-2021"]);
    expect(pick({ slugs: ["waic-ai-developer-forum-2021", "zhang-hongjiang-interview"] })).toEqual([
      "waic-ai-developer-forum-2021",
      "zhang-hongjiang-interview",
    ]);
    expect(pick({ slugs: ["zhang-hongjiang-interview"], kinds: ["event"] })).toEqual([]);
  });
});

describe("cron schedules", () => {
  const next = (cron: string, after: string) => {
    const parsed = parseCron(cron);
    if (!parsed.ok) throw new Error(parsed.problem);
    return nextRun(parsed.schedule, new Date(after))?.toISOString();
  };

  it("finds the next firing strictly after the given time", () => {
    // 2026-11-29 is a Sunday.
    expect(next("0 1 * * FRI", "2026-11-29T02:00:00Z")).toBe("2026-12-04T01:00:00.000Z");
    expect(next("0 1 * * FRI", "2026-12-04T01:00:00Z")).toBe("2026-12-11T01:00:00.000Z");
    expect(next("*/15 9-10 * * MON-FRI", "2026-11-30T10:50:00Z")).toBe("2026-12-01T09:00:00.000Z");
    expect(next("0 0 29 FEB *", "2026-01-01T00:00:00Z")).toBe("2028-02-29T00:00:00.000Z");
  });

  it("fires on either the day of month or the day of week when both are given, as cron does", () => {
    expect(next("0 0 1 * MON", "2026-11-29T00:00:00Z")).toBe("2026-11-30T00:00:00.000Z");
    expect(next("0 0 1 * MON", "2026-11-30T00:00:00Z")).toBe("2026-12-01T00:00:00.000Z");
  });

  it("explains what is wrong with a bad expression", () => {
    expect(parseCron("0 1 * *")).toEqual({ ok: false, problem: "has 4 field(s), not 5" });
    expect(parseCron("0 1 * * FRI-MON")).toEqual({ ok: false, problem: 'day-of-week range "FRI-MON" runs backwards' });
    expect(parseCron("0 1/0 * * *")).toEqual({ ok: false, problem: 'hour step "0" is not a positive number' });
    expect(parseCron("0 1 32 * *")).toEqual({ ok: false, problem: 'day-of-month "32" is out of range 1-31' });
  });
});
