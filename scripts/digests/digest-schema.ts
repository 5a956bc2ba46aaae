/**
 * Schema of a digest definition in content/digests/<id>.yaml. Checked at build time
 * by scripts/build-content.ts (see compile.ts); the Worker sees validated digests only,
 * typed by src/digests/digest.ts (the check at the end keeps the two the same shape).
 */
import { z } from "zod";
import { themeNames } from "../../emails/theme.ts";
import { parseCron } from "../../src/digests/cron.ts";
import type { Digest } from "../../src/digests/digest.ts";
import { slug } from "../content/slug.ts";
import type { SameType } from "../same-type.ts";

/**
 * Subject and preheader templates: text with `{lead}` (the title of the edition's lead
 * item, its first) and `{date}` (the edition's Beijing date, e.g. 2026 年 11 月 30 日).
 */
export const templatePlaceholders = ["lead", "date"] as const;
const template = z
  .string()
  .min(1)
  .refine((text) => [...text.matchAll(/\{([^}]*)\}/g)].every((m) => (templatePlaceholders as readonly string[]).includes(m[1] ?? "")), {
    message: 'text whose only placeholders are {lead} and {date}, e.g. "{lead}｜访谈精选"',
  });

const cron = z.string().superRefine((expression, ctx) => {
  const parsed = parseCron(expression);
  if (!parsed.ok) {
    ctx.addIssue({
      code: "custom",
      message: `expected a 5-field cron expression in UTC (minute hour day-of-month month day-of-week, e.g. "0 1 * * MON"): ${parsed.problem}`,
    });
  }
});

export const digestSchema = z.strictObject({
  id: slug,
  title: z.string().min(1),
  /** One or two sentences for readers choosing digests (subscribe form, preferences, /digests). */
  description: z.string().min(1).optional(),
  subject: template,
  preheader: template,
  theme: z.enum(themeNames),
  /** Cron expression in UTC; the file documents its Beijing time in a comment. */
  schedule: cron,
  select: z
    .strictObject({
      /** Items with at least one of these tags. */
      tags: z.array(z.string().min(1)).min(1).optional(),
      kinds: z.array(z.enum(["article", "event"])).min(1).optional(),
      /** Exactly these items, in this order. */
      slugs: z.array(slug).min(1).optional(),
      /** Only items added to the collection after the digest's last edition opened. */
      newSinceLastEdition: z.boolean().optional(),
    })
    .refine((s) => s.tags || s.kinds || s.slugs || s.newSinceLastEdition, {
      message: "at least one of tags, kinds, slugs or newSinceLastEdition",
    }),
  /** Short introduction; blank lines separate paragraphs. */
  intro: z.string().min(1),
  sendWhenEmpty: z.boolean().default(false),
});

/** Fails to compile when the schema's output and the Worker's Digest type drift apart. */
export const digestMatchesWorkerType: SameType<z.output<typeof digestSchema>, Digest> = true;
