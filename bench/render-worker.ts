/**
 * Bench-only Worker around the digest renderer, built like the app (wrangler, production)
 * and run in workerd. Each request repeats one operation `n` times and answers with a
 * checksum of the output; the harness times the requests from outside (wall time of
 * n operations minus that of n = 0), so nothing depends on workerd's clocks.
 *
 *   GET /prepare?digest=ID&recipients=N  render the edition once, sign N recipients' links
 *   GET /html?digest=ID&n=N              N × the React Email HTML render of the edition
 *   GET /edition?digest=ID&n=N           N × renderDigest (HTML, then text derived from it)
 *   GET /personalize?digest=ID&n=N       personalize the rendered edition for N recipients
 *   GET /links?n=N                       N × recipientLinks (two HMAC-signed tokens)
 *   GET /variants?recipients=N           the weekly edition for N readers of every mix of the
 *                                        other digests (which sent its items days before):
 *                                        checksum = renders done (renderEdition, as the sender)
 */
import { items } from "../src/content/collection.ts";
import { getDigest } from "../src/digests/catalog.ts";
import { digestEmailProps } from "../src/digests/digest-view.ts";
import { renderHtml } from "../src/email/email-renderer.ts";
import { personalize, RECIPIENT_PLACEHOLDERS, renderDigest, type RenderedDigest } from "../src/digests/render-digest.ts";
import { selectItems } from "../src/digests/select.ts";
import type { RecipientLinks } from "../src/digests/digest-view.ts";
import { recipientLinks } from "../src/subscribers/links.ts";
import { renderEdition } from "../src/delivery/edition-email.ts";
import { unseenItems, type EarlierEdition, type Receiving } from "../src/digests/repeats.ts";
import type { Edition } from "../src/digests/editions-store.ts";

const SITE = { url: "https://news.example.com", mailFrom: "AI 前沿精选 <digest@example.com>" };
const EDITION = { id: "bench-edition", date: "2026-04-20" };
/** The edition's send time: events are rendered as of then. */
const SENT_AT = new Date("2026-04-20T00:00:00Z");
const SECRET = "bench-signing-secret";

const prepared = new Map<string, { rendered: RenderedDigest; links: RecipientLinks[] }>();

function digestOf(url: URL) {
  const id = url.searchParams.get("digest") ?? "";
  const digest = getDigest(id);
  if (!digest) throw new Error(`unknown digest "${id}"`);
  return { digest, selected: selectItems(digest, items, null) };
}

async function signedLinks(count: number, firstId = 1): Promise<RecipientLinks[]> {
  const links: RecipientLinks[] = [];
  for (let id = firstId; id < firstId + count; id++) links.push(await recipientLinks(SITE.url, SECRET, id, "weekly"));
  return links;
}

async function operate(url: URL): Promise<number> {
  const n = Number(url.searchParams.get("n") ?? 0);
  let checksum = 0;
  switch (url.pathname) {
    case "/prepare": {
      const { digest, selected } = digestOf(url);
      const rendered = await renderDigest(digest, selected, EDITION, SITE, SENT_AT);
      prepared.set(digest.id, { rendered, links: await signedLinks(Number(url.searchParams.get("recipients") ?? 0)) });
      return rendered.html.length + rendered.text.length;
    }
    case "/html": {
      const { digest, selected } = digestOf(url);
      const template = (await import("../emails/digest.tsx")).default;
      const props = digestEmailProps(digest, selected, EDITION, SITE, SENT_AT, RECIPIENT_PLACEHOLDERS);
      for (let i = 0; i < n; i++) checksum += (await renderHtml(template, props)).length;
      return checksum;
    }
    case "/edition": {
      const { digest, selected } = digestOf(url);
      for (let i = 0; i < n; i++) checksum += (await renderDigest(digest, selected, EDITION, SITE, SENT_AT)).text.length;
      return checksum;
    }
    case "/personalize": {
      const state = prepared.get(digestOf(url).digest.id);
      if (!state || state.links.length < n) throw new Error("call /prepare with enough recipients first");
      for (let i = 0; i < n; i++) {
        const copy = personalize(state.rendered, state.links[i]!);
        // Reading a character flattens V8's concatenation rope, as serialising the email would.
        checksum += copy.html.charCodeAt(copy.html.length >> 1) + copy.text.charCodeAt(copy.text.length >> 1);
      }
      return checksum;
    }
    case "/links":
      return (await signedLinks(n, 1_000_000)).length;
    case "/variants":
      return variantRenders(Number(url.searchParams.get("recipients") ?? 0));
    default:
      throw new Error(`no bench operation at ${url.pathname}`);
  }
}

const DAY = 24 * 60 * 60 * 1000;

/**
 * The weekly edition fanned out to `recipients` readers, each reading the weekly plus one of
 * the mixes of the other digests, whose editions carried some of its items days before:
 * each reader's items decided by unseenItems, each copy rendered through renderEdition (one
 * render per distinct set, as the sender does). Returns how many renders were done.
 */
async function variantRenders(recipients: number): Promise<number> {
  const weekly = getDigest("weekly");
  if (!weekly) throw new Error("no weekly digest");
  const others = ["interview-highlights", "waic-forum"].flatMap((id) => getDigest(id) ?? []);
  const itemSlugs = selectItems(weekly, items, null).map((item) => item.slug);
  const edition: Edition = {
    id: `bench-variants-${recipients}`,
    digestId: weekly.id,
    scheduledFor: null,
    subject: "",
    itemSlugs,
    trigger: "cron",
    status: "sending",
    error: null,
    createdAt: SENT_AT.toISOString(),
    completedAt: null,
  };
  const earlier: EarlierEdition[] = others.map((digest, i) => ({
    digestId: digest.id,
    openedAt: new Date(SENT_AT.getTime() - (i + 2) * DAY).toISOString(),
    itemSlugs: selectItems(digest, items, null).map((item) => item.slug),
  }));
  const since = new Date(SENT_AT.getTime() - 10 * DAY).toISOString();
  const copies = [];
  for (let reader = 0; reader < recipients; reader++) {
    const receiving: Receiving[] = others.filter((_, bit) => (reader >> bit) & 1).map((d) => ({ digestId: d.id, since, until: null }));
    const unseen = unseenItems(itemSlugs, earlier, receiving);
    // Nothing new: the sender skips the reader, nothing is rendered.
    if (unseen.length > 0) copies.push(renderEdition(edition, weekly, SITE, unseen));
  }
  // A render done once is handed to every reader of its set: distinct results are renders.
  return new Set(await Promise.all(copies)).size;
}

export default {
  async fetch(request) {
    try {
      return Response.json({ checksum: await operate(new URL(request.url)) });
    } catch (error) {
      return Response.json({ error: String(error) }, { status: 500 });
    }
  },
} satisfies ExportedHandler;
