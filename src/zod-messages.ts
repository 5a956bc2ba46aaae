/**
 * What a zod failure says, in one place. zod/mini ships no messages ("Invalid input" for
 * every issue): the English locale is loaded here, alone, so a 400 still says
 * `Unrecognized key: "forse"` (importing zod's full build would bundle every locale).
 * Every module that puts zod issues into words imports this one.
 */
import * as z from "zod/mini";
import en from "zod/v4/locales/en.js";

z.config(en());

/** `digest: expected a digest id; force: expected true or false` (a failure of the whole value is named "body"). */
export function describeInvalidFields(error: z.core.$ZodError): string {
  return error.issues.map((issue) => `${issue.path.join(".") || "body"}: ${issue.message}`).join("; ");
}

/** A form's fields as a person knows them: the label on the page and what to do when it is wrong. */
export type ReaderFields = Record<string, { label: string; fix: string }>;

/** The Chinese reason a check gave an issue itself (an email address's refusal), if any. */
export function readerReasonOf(issue: z.core.$ZodIssue): string | undefined {
  const reason: unknown = issue.code === "custom" ? issue.params?.["readerReason"] : undefined;
  return typeof reason === "string" ? reason : undefined;
}

/**
 * What is wrong with a form, in Chinese for a page: per wrong field, the check's own reason
 * or the field's label and fix (zod's own words are English and name types, not actions).
 */
export function describeForReader(error: z.core.$ZodError, fields: ReaderFields): string {
  const sentences = error.issues.map((issue) => {
    const own = readerReasonOf(issue);
    if (own) return own;
    const field = fields[String(issue.path[0] ?? "")];
    return field ? `${field.label}：${field.fix}` : "提交的内容格式不对，请返回上一页重新提交。";
  });
  return [...new Set(sentences)].join("");
}
