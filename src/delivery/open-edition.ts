/**
 * Opening an edition: naming it, choosing its items, writing it and starting the
 * fan-out. Shared by the cron trigger and POST /api/sends.
 *
 * Edition ids: `<digest>-<YYYY-MM-DD>` (Beijing date of the cron's scheduled time, or
 * of the moment an operator sends), then `-2`, `-3`, … for further editions that day.
 * "The current edition" of a digest is its newest edition of today (Beijing).
 */
import { items as allItems, type ContentItem } from "../content/collection.ts";
import { beijingDate } from "../text/beijing-time.ts";
import type { Digest } from "../digests/catalog.ts";
import { fillTemplate, leadTitle } from "../digests/digest-view.ts";
import { editionsOfDay, getLatestEdition, insertNextEditionOfDay, type Edition } from "../digests/editions-store.ts";
import { selectItems } from "../digests/select.ts";
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

/** Why sending a plan now would open nothing: today's edition exists (no force), or there is nothing to send. */
export type SendRefusal = "edition-exists" | "nothing-new";

export function sendRefusal(plan: EditionPlan, force: boolean): SendRefusal | null {
  if (plan.currentEditionId && !force) return "edition-exists";
  if (plan.items.length === 0 && !plan.digest.sendWhenEmpty) return "nothing-new";
  return null;
}

/** The id of a day's `sequence`-th edition; insertNextEditionOfDay writes the same in SQL. */
function editionIdOfDay(digestId: string, date: string, sequence: number): string {
  return sequence === 1 ? `${digestId}-${date}` : `${digestId}-${date}-${sequence}`;
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
  const [ofDay, last] = await Promise.all([
    editionsOfDay(db, digest.id, date),
    ignoreLastEdition ? null : getLatestEdition(db, digest.id),
  ]);
  const editionId = editionIdOfDay(digest.id, date, (ofDay[0]?.sequence ?? 0) + 1);
  const items = selectItems(digest, allItems, last ? new Date(last.createdAt) : null);
  return {
    digest,
    editionId,
    date,
    subject: fillTemplate(digest.subject, { id: editionId, date }, leadTitle(digest, items)),
    items,
    currentEditionId: ofDay[0]?.id ?? null,
  };
}

export interface OpenRequest {
  trigger: Edition["trigger"];
  /** The cron's scheduled time (ISO); null for an operator's send. */
  scheduledFor: string | null;
  /** Base URL for the links in the emails. */
  siteUrl: string;
  /** Open nothing when the day already has an edition (an operator's send without force). */
  onlyIfFirstOfDay: boolean;
}

/**
 * Writes the edition (one atomic statement: see insertNextEditionOfDay) and fans out
 * its first page. The id is the plan's unless a concurrent trigger took it first, in
 * which case it is the next free one of the day. Returns null when nothing was
 * opened: the day already had an edition (`onlyIfFirstOfDay`), or a cron firing for
 * the same scheduled time already opened one (the platform may fire twice).
 */
export async function openEdition(env: Env, plan: EditionPlan, request: OpenRequest, now: Date): Promise<Edition | null> {
  const edition = await insertNextEditionOfDay(
    env.DB,
    {
      digestId: plan.digest.id,
      date: plan.date,
      scheduledFor: request.scheduledFor,
      subject: plan.subject,
      itemSlugs: plan.items.map((item) => item.slug),
      trigger: request.trigger,
    },
    { onlyIfFirstOfDay: request.onlyIfFirstOfDay },
    now,
  );
  if (!edition) return null;
  await insertDeliveryRun(env.DB, edition.id, request.siteUrl);
  await fanOutPage(env, edition, 0, 0, now);
  return edition;
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
