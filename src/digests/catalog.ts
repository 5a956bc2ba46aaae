/**
 * The digests defined in content/digests/ (compiled by scripts/build-content.ts).
 *
 * Schedules are cron expressions in UTC; Beijing time is UTC+8:
 * - weekly:               "0 0 * * MON"  → 北京时间 每周一 08:00
 * - interview-highlights: "0 1 * * FRI"  → 北京时间 每周五 09:00
 * - waic-forum:           "30 0 * * WED" → 北京时间 每周三 08:30
 * (content/digests/*.yaml is the source of truth; /digests lists the next run in both zones.)
 */
import { digests } from "./generated.ts";
import type { Digest } from "./digest.ts";

export type { Digest };
export { digests };

const byId = new Map(digests.map((digest) => [digest.id, digest]));

export function getDigest(id: string): Digest | undefined {
  return byId.get(id);
}
