/**
 * Cron trigger: opens an edition for each digest scheduled on controller.cron. It
 * only writes the ledger and enqueues; the queue consumer sends. The same scheduled
 * time firing twice opens nothing new (editions are unique per digest and scheduled
 * time); it only finishes a fan-out a crashed first firing left incomplete. The
 * maintenance cron runs the recovery sweep instead (src/delivery/recovery.ts). The
 * time comes from `clock` (the system's unless a test passes a fake one).
 */
import { systemClock, type Clock } from "../clock.ts";
import { getConfig } from "../config.ts";
import { editionIdForSchedule, getEdition } from "../digests/editions-store.ts";
import { MAINTENANCE_CRON } from "../digests/cron.ts";
import { digestsForCron } from "../digests/select.ts";
import type { Digest } from "../digests/catalog.ts";
import { openEdition, planEdition, resumeFanOut } from "./open-edition.ts";
import { sweepStalledEditions } from "./recovery.ts";
import { log } from "../log.ts";

async function openScheduledEdition(env: Env, digest: Digest, scheduledTime: Date, siteUrl: string, now: Date): Promise<string> {
  const scheduledFor = scheduledTime.toISOString();
  const existingId = await editionIdForSchedule(env.DB, digest.id, scheduledFor);
  const existing = existingId ? await getEdition(env.DB, existingId) : null;
  if (existing) {
    await resumeFanOut(env, existing, siteUrl, now);
    return `already opened ${existing.id} for ${scheduledFor}`;
  }
  const plan = await planEdition(env.DB, digest, scheduledTime);
  if (plan.items.length === 0 && !digest.sendWhenEmpty) return "skipped: no new items since the last edition";
  const edition = await openEdition(env, plan, { trigger: "cron", scheduledFor, siteUrl, onlyIfFirstOfDay: false }, now);
  return edition ? `opened ${edition.id} with ${plan.items.length} item(s)` : `already opened for ${scheduledFor}`;
}

export async function scheduled(
  controller: ScheduledController,
  env: Env,
  _ctx: ExecutionContext,
  clock: Clock = systemClock,
): Promise<void> {
  const { siteUrl } = getConfig(env);
  if (controller.cron === MAINTENANCE_CRON) {
    await sweepStalledEditions(env, siteUrl, clock.now());
    return;
  }
  const failures: unknown[] = [];
  for (const digest of digestsForCron(controller.cron)) {
    try {
      const started = clock.now().getTime();
      const outcome = await openScheduledEdition(env, digest, new Date(controller.scheduledTime), siteUrl, clock.now());
      log.info("cron", { cron: controller.cron, digest: digest.id, outcome, durationMs: clock.now().getTime() - started });
    } catch (error) {
      log.error("cron-failed", { cron: controller.cron, digest: digest.id, error });
      failures.push(error);
    }
  }
  // One digest failing does not hold back the others, but the invocation still reports failure.
  if (failures.length > 0) throw new AggregateError(failures, `${failures.length} digest(s) failed to open`);
}
