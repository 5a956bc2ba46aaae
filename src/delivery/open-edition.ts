/**
 * Opening an edition: naming it, choosing its items, writing it and starting the
 * fan-out. Shared by the cron trigger and POST /api/sends.
 *
 * Edition ids: `<digest>-<YYYY-MM-DD>` (Beijing date of the cron's scheduled time, or
 * of the moment an operator sends), then `-2`, `-3`, … for further editions that day.
 * "The current edition" of a digest is its newest edition of today (Beijing).
 */
import { items as allItems, type ContentItem } from "../content/collection.ts";
import { beijingDate } from "../digests/beijing-time.ts";
import type { Digest } from "../digests/catalog.ts";
import { fillTemplate, leadTitle } from "../digests/digest-view.ts";
import { getLatestEdition, insertEdition, type Edition } from "../digests/editions-store.ts";
import { selectItems } from "../digests/select.ts";
import { editionIdForSchedule, editionIdsOfDay } from "./edition-lookup-store.ts";
import { fanOutPage } from "./fan-out.ts";
import { getDeliveryRun, insertDeliveryRun } from "./ledger-store.ts";

export interface EditionPlan {
  digest: Digest;
  /** The id the edition gets when opened now. */
  editionId: string;
  /** YYYY-MM-DD, Beijing. */
  date: string;
  subject: string;
  items: ContentItem[];
  /** The newest edition already opened that day, if any. */
  currentEditionId: string | null;
}

function nextEditionId(digestId: string, date: string, idsOfDay: string[]): string {
  const base = `${digestId}-${date}`;
  const taken = idsOfDay.map((id) => (id === base ? 1 : Number(id.slice(base.length + 1)) || 1));
  const last = Math.max(0, ...taken);
  return last === 0 ? base : `${base}-${last + 1}`;
}

/**
 * What an edition opened at `at` would be. Items are those selected as new since the
 * digest's last edition; `ignoreLastEdition` selects as for a first edition (a forced send).
 */
export async function planEdition(
  db: D1Database,
  digest: Digest,
  at: Date,
  { ignoreLastEdition = false } = {},
): Promise<EditionPlan> {
  const date = beijingDate(at);
  const [idsOfDay, last] = await Promise.all([
    editionIdsOfDay(db, digest.id, date),
    ignoreLastEdition ? null : getLatestEdition(db, digest.id),
  ]);
  const editionId = nextEditionId(digest.id, date, idsOfDay);
  const items = selectItems(digest, allItems, last ? new Date(last.createdAt) : null);
  return {
    digest,
    editionId,
    date,
    subject: fillTemplate(digest.subject, { id: editionId, date }, leadTitle(digest, items)),
    items,
    currentEditionId: idsOfDay[0] ?? null,
  };
}

export interface OpenRequest {
  trigger: Edition["trigger"];
  /** The cron's scheduled time (ISO); null for an operator's send. */
  scheduledFor: string | null;
  /** Base URL for the links in the emails. */
  siteUrl: string;
}

/**
 * Writes the edition and fans out its first page. Returns null when a cron firing
 * for the same scheduled time already opened one (the platform may fire twice).
 */
export async function openEdition(env: Env, plan: EditionPlan, request: OpenRequest, now: Date): Promise<Edition | null> {
  let editionId = plan.editionId;
  // Two triggers naming the same id at once: the loser takes the next id of the day.
  for (let attempt = 0; attempt < 5; attempt++) {
    const edition = await insertEdition(
      env.DB,
      {
        id: editionId,
        digestId: plan.digest.id,
        scheduledFor: request.scheduledFor,
        subject: fillTemplate(plan.digest.subject, { id: editionId, date: plan.date }, leadTitle(plan.digest, plan.items)),
        itemSlugs: plan.items.map((item) => item.slug),
        trigger: request.trigger,
      },
      now,
    );
    if (edition) {
      await insertDeliveryRun(env.DB, edition.id, request.siteUrl);
      await fanOutPage(env, edition, 0, 0, now);
      return edition;
    }
    if (request.scheduledFor !== null && (await editionIdForSchedule(env.DB, plan.digest.id, request.scheduledFor))) {
      return null;
    }
    const ids = await editionIdsOfDay(env.DB, plan.digest.id, plan.date);
    editionId = nextEditionId(plan.digest.id, plan.date, ids);
  }
  throw new Error(`could not find a free edition id for ${plan.digest.id} on ${plan.date}`);
}

/**
 * Finishes what a crashed trigger started: an edition written but not (fully) fanned
 * out. Idempotent: pages already written are not rewritten.
 */
export async function resumeFanOut(env: Env, edition: Edition, siteUrl: string, now: Date): Promise<void> {
  const run = await getDeliveryRun(env.DB, edition.id);
  if (run?.fanoutCompleted) return;
  if (!run) await insertDeliveryRun(env.DB, edition.id, siteUrl);
  await fanOutPage(env, edition, 0, 0, now);
}
