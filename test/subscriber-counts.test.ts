/**
 * The counters the console and the sender read instead of counting subscribers (kept by
 * the triggers of migration 0008) agree with a full count after every kind of change:
 * subscribe, confirm, leave one digest, unsubscribe, preferences, suppression by a
 * complaint, import, erasure.
 */
import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { digests } from "../src/digests/catalog.ts";
import { recipientCount, subscriberStatusCounts } from "../src/subscribers/counts-store.ts";
import { complained, deliver } from "./helpers/resend-webhooks.ts";
import { activeSubscriber, call, freshEmail, oneClick, subscribeJson } from "./subscribe-helpers.ts";

const auth = { Authorization: `Bearer ${env.ADMIN_TOKEN}` };
const [first, second] = digests.filter((digest) => !digest.ended).map((digest) => digest.id) as [string, string];

/** The counters next to the same figures counted row by row. */
async function countersAndCounts() {
  const counted = await env.DB.prepare("SELECT status, COUNT(*) AS n FROM subscribers GROUP BY status").all<{ status: string; n: number }>();
  const byStatus = Object.fromEntries(["pending", "active", "unsubscribed", "suppressed"].map((status) => [status, 0]));
  for (const row of counted.results) byStatus[row.status] = row.n;
  const recipients = async (digest: string) =>
    (await env.DB.prepare(
      "SELECT COUNT(*) AS n FROM subscriptions sub JOIN subscribers s ON s.id = sub.subscriber_id WHERE sub.digest_id = ? AND s.status = 'active'",
    )
      .bind(digest)
      .first<{ n: number }>())?.n ?? 0;
  return {
    counters: { statuses: await subscriberStatusCounts(env.DB), first: await recipientCount(env.DB, first), second: await recipientCount(env.DB, second) },
    counted: { statuses: byStatus, first: await recipients(first), second: await recipients(second) },
  };
}

async function expectCountersRight(step: string) {
  const { counters, counted } = await countersAndCounts();
  expect(counters, step).toEqual(counted);
}

describe("subscriber counters", { timeout: 30_000 }, () => {
  it("match a full count after every kind of change", async () => {
    await expectCountersRight("start");
    expect((await subscribeJson(freshEmail("pending"), { digests: [first] })).status).toBe(202);
    await expectCountersRight("subscribe");
    const both = freshEmail("both");
    const links = await activeSubscriber(both, [first, second]);
    await expectCountersRight("confirm");
    const leaver = freshEmail("leaver");
    const leaverLinks = await activeSubscriber(leaver, [first]);
    expect((await oneClick(leaverLinks.unsubscribe)).status).toBeLessThan(400);
    await expectCountersRight("unsubscribe");
    expect((await oneClick(links.unsubscribe)).status).toBeLessThan(400);
    await expectCountersRight("leave a digest or all");
    const complainer = freshEmail("complainer");
    await activeSubscriber(complainer, [first, second]);
    await deliver(complained(complainer));
    await expectCountersRight("complaint");
    const imported = await call("/api/subscribers/import", {
      method: "POST",
      headers: { ...auth, "Content-Type": "text/csv" },
      body: `email,consent,digests\n${freshEmail("imp1")},yes,${first}\n${freshEmail("imp2")},yes,${first};${second}\n${complainer},yes,${first}\n`,
    });
    expect(imported.status).toBe(200);
    await expectCountersRight("import");
    const erased = await call(`/api/subscribers/${encodeURIComponent(complainer)}`, { method: "DELETE", headers: auth });
    expect(erased.status).toBe(204);
    const erasedActive = freshEmail("erased-active");
    await activeSubscriber(erasedActive, [first, second]);
    expect((await call(`/api/subscribers/${encodeURIComponent(erasedActive)}`, { method: "DELETE", headers: auth })).status).toBe(204);
    await expectCountersRight("erase");
  });
});
