/**
 * The welcome email after a reader confirms: when the first email comes, and a link to the
 * latest edition's web version of each chosen digest that welcomes (`welcome` in
 * content/digests/*.yaml, on by default). Sent like the confirmation, after the answer.
 */
import type { Config } from "../config.ts";
import { digests } from "../digests/catalog.ts";
import { scheduleInWords } from "../digests/describe-schedule.ts";
import { latestEditions } from "../digests/editions-store.ts";
import type { FirstDelivery } from "../digests/first-delivery.ts";
import { renderWelcome } from "../email/render-transactional.ts";
import { sendEmail } from "../email/mailer.ts";
import { formatBeijingSendTime } from "../text/beijing-time.ts";
import { recipientLinks } from "./links.ts";
import type { Subscriber } from "./store.ts";

/** Sends the welcome email; null when none of the subscriber's digests welcomes. */
export function welcomeFollowUp(
  db: D1Database,
  config: Config,
  subscriber: Subscriber,
  first: FirstDelivery | null,
  now: Date,
): (() => Promise<void>) | null {
  const welcoming = digests.filter((digest) => digest.welcome && subscriber.digests.includes(digest.id));
  if (welcoming.length === 0) return null;
  return async () => {
    const [latest, links] = await Promise.all([latestEditions(db), recipientLinks(config.siteUrl, config.signingSecret, subscriber.id)]);
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
    await sendEmail(db, config, { from: config.mailFrom, to: subscriber.email, ...mail, tags: [{ name: "category", value: "welcome" }] });
  };
}
