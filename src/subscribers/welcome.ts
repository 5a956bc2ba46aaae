/**
 * The welcome email after a reader confirms: when the first email comes, and a link to the
 * latest edition's web version of each chosen digest that welcomes (`welcome` in
 * content/digests/*.yaml, on by default). Sent like the confirmation, by the mail queue's
 * consumer (src/subscribers/mail-queue.ts).
 */
import { digests, type Digest } from "../digests/catalog.ts";
import { scheduleInWords } from "../digests/describe-schedule.ts";
import { latestEditions } from "../digests/editions-store.ts";
import { firstDelivery } from "../digests/first-delivery.ts";
import { upcomingEditions } from "../digests/next-edition.ts";
import { renderWelcome } from "../email/render-transactional.ts";
import { sendEmail, type Mailer } from "../email/mailer.ts";
import { formatBeijingSendTime } from "../text/beijing-time.ts";
import { recipientLinks } from "./links.ts";
import type { Subscriber } from "./store.ts";

/** The subscriber's digests that welcome; none: no welcome email is due. */
export function welcomingDigests(subscriber: Subscriber): Digest[] {
  return digests.filter((digest) => digest.welcome && subscriber.digests.includes(digest.id));
}

/**
 * Sends the welcome email, if one is due. `now` is when the reader confirmed (the first
 * email is counted from then); `mailKey` as for recordAndConfirm.
 */
export async function sendWelcome(mailer: Mailer, subscriber: Subscriber, now: Date, mailKey: string): Promise<void> {
  const welcoming = welcomingDigests(subscriber);
  if (welcoming.length === 0) return;
  const { db, config } = mailer;
  const chosen = digests.filter((digest) => subscriber.digests.includes(digest.id));
  const [latest, links, upcoming] = await Promise.all([
    latestEditions(db),
    recipientLinks(config.siteUrl, config.signingSecret, subscriber.id),
    upcomingEditions(db, chosen, now),
  ]);
  const first = firstDelivery(upcoming);
  const firstTitles = first?.digests.map((digest) => `「${digest.title}」`).join("和");
  const mail = await renderWelcome({
    siteUrl: config.siteUrl,
    mailFrom: config.mailFrom,
    digests: welcoming.map((digest) => {
      const edition = latest.get(digest.id);
      return {
        title: digest.title,
        schedule: scheduleInWords(digest),
        latestEditionUrl: edition ? `${config.siteUrl}/digests/${digest.id}/editions/${encodeURIComponent(edition.id)}` : null,
      };
    }),
    firstEmail: first ? `${formatBeijingSendTime(first.at, now)}（北京时间）收到第一封${firstTitles}` : null,
    preferencesUrl: links.preferencesUrl,
    unsubscribeUrl: links.unsubscribeUrl,
  });
  await sendEmail(
    mailer,
    { from: config.mailFrom, to: subscriber.email, ...mail, tags: [{ name: "category", value: "welcome" }] },
    `welcome/${mailKey}`,
  );
}
