/**
 * Compiles content/digests/<id>.yaml into a Digest, checked against the content
 * collection (named slugs must exist). Pure: the build script does the file I/O,
 * tests feed it fixture text. Errors name the file, the field and what was expected.
 */
import { parse as parseYaml } from "yaml";
import { ContentError, describeIssues, spacingProblems } from "../content/compile.ts";
import type { ContentItem } from "../../src/content/item.ts";
import { MAINTENANCE_CRON } from "../../src/digests/cron.ts";
import type { Digest } from "../../src/digests/digest.ts";
import { digestSchema } from "./digest-schema.ts";

export function compileDigest(file: string, source: string, items: readonly Pick<ContentItem, "slug">[]): Digest {
  let data: unknown;
  try {
    data = parseYaml(source);
  } catch (error) {
    throw new ContentError(file, [`not valid YAML: ${(error as Error).message}`]);
  }
  const parsed = digestSchema.safeParse(data);
  if (!parsed.success) throw new ContentError(file, describeIssues(parsed.error));
  const digest = parsed.data;

  const problems: string[] = [];
  const expectedId = /([^/\\]+)\.ya?ml$/.exec(file)?.[1];
  if (expectedId && digest.id !== expectedId) {
    problems.push(`field "id": expected "${expectedId}" (the file name), got "${digest.id}"`);
  }
  if (digest.schedule === MAINTENANCE_CRON) {
    problems.push(`field "schedule": "${MAINTENANCE_CRON}" is the delivery maintenance cron (the recovery sweep); give the digest its own schedule`);
  }
  problems.push(
    ...spacingProblems([
      ["title", digest.title],
      ["description", digest.description ?? ""],
      ["subject", digest.subject],
      ["preheader", digest.preheader],
      ["intro", digest.intro],
    ]),
  );
  const known = new Set(items.map((item) => item.slug));
  for (const [index, slug] of (digest.select.slugs ?? []).entries()) {
    if (!known.has(slug)) {
      problems.push(
        `field "select.slugs.${index}": expected the slug of an item in content/ (one of ${[...known].join(", ") || "none"}), got "${slug}"`,
      );
    }
  }
  if (problems.length > 0) throw new ContentError(file, problems);
  return digest;
}

/** Digest ids are unique (file names already are; this guards renamed ids). */
export function checkDigests(digests: { file: string; digest: Digest }[]): void {
  const seen = new Map<string, string>();
  for (const { file, digest } of digests) {
    const other = seen.get(digest.id);
    if (other) throw new ContentError(file, [`field "id": "${digest.id}" is already used by ${other}`]);
    seen.set(digest.id, file);
  }
}

/**
 * wrangler.toml's `[triggers] crons` must be exactly the set of digest schedules plus
 * the maintenance cron: a missing cron never fires its digest (or never recovers a
 * stalled send), an extra one wakes the Worker for nothing.
 */
export function checkCrons(wranglerToml: string, digests: readonly Digest[]): void {
  const match = /^\[triggers\][^[]*?^crons\s*=\s*\[([^\]]*)\]/m.exec(wranglerToml);
  const file = "wrangler.toml";
  if (!match) throw new ContentError(file, ['field "triggers.crons": expected a [triggers] section with a crons = [...] list']);
  const configured = [...(match[1] ?? "").matchAll(/"([^"]*)"/g)].map((m) => m[1] ?? "");
  const wanted = [...new Set(digests.map((d) => d.schedule))].sort();
  const expected = [...wanted, MAINTENANCE_CRON];
  const missing = expected.filter((cron) => !configured.includes(cron));
  const extra = configured.filter((cron) => !expected.includes(cron));
  if (missing.length > 0 || extra.length > 0) {
    throw new ContentError(file, [
      `field "triggers.crons": expected exactly the digest schedules ${JSON.stringify(wanted)} and the maintenance cron "${MAINTENANCE_CRON}"` +
        (missing.length ? `; missing ${JSON.stringify(missing)}` : "") +
        (extra.length ? `; not a digest schedule ${JSON.stringify(extra)}` : ""),
    ]);
  }
}
