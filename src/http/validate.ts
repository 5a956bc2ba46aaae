/**
 * Validation at the edge, with one hook: `validate(target, schema, onInvalid)` is hono's
 * `validator` checking the query, or the body readBody (src/http/read-body.ts) has put in
 * the body cache, against a zod/mini schema. The handler reads the typed result with
 * `c.req.valid(target)`; a failure is answered by `onInvalid`: the API's error shape
 * (`apiError`) or a page built from the error and what was entered.
 */
import type { Context, Env } from "hono";
import { validator } from "hono/validator";
import * as z from "zod/mini";
import { describeInvalidFields } from "../zod-messages.ts";
import { ApiError } from "./api-error.ts";
import { isFormBody } from "./read-body.ts";

type Target = "json" | "form" | "query";

/** What was sent, as hono hands it to a validator (a repeated form or query field is an array). */
export type RawInput = Record<string, unknown>;

/** How a failure is answered: a Response (a page), or a thrown ApiError. `E` is what earlier middleware put on c.var. */
export type InvalidAnswer<E extends Env = Env> = (c: Context<E>, error: z.core.$ZodError, input: RawInput) => Response | Promise<Response>;

/**
 * The API's 400 `{ error: { code, message } }`, the message naming each wrong field. `codes`
 * gives a field's failure its own code (the first wrong field decides).
 */
export const apiError =
  (code: string, codes: Record<string, string> = {}): InvalidAnswer =>
  (_c, error) => {
    const field = String(error.issues[0]?.path[0] ?? "");
    throw new ApiError(400, codes[field] ?? code, describeInvalidFields(error));
  };

const asRaw = (value: unknown): RawInput => (typeof value === "object" && value !== null ? (value as RawInput) : {});

async function check<S extends z.ZodMiniType, E extends Env>(schema: S, value: unknown, c: Context<E>, onInvalid: InvalidAnswer<E>) {
  const parsed = await schema.safeParseAsync(value);
  return parsed.success ? parsed.data : onInvalid(c, parsed.error, asRaw(value));
}

/** Validates the query or the body of `target` against `schema`; `c.req.valid(target)` is the result. */
export const validate = <T extends Target, S extends z.ZodMiniType, E extends Env>(target: T, schema: S, onInvalid: InvalidAnswer<E>) =>
  validator(target, (value, c: Context<E>) => check(schema, value, c, onInvalid));

/**
 * For a route that takes JSON or a form (readBody has refused anything else): validates
 * the body only when it is of `target`'s kind, and leaves null for the other kind, so
 * `c.req.valid("form") ?? c.req.valid("json")` is the one that was sent.
 */
export const validateIfSent = <T extends "json" | "form", S extends z.ZodMiniType, E extends Env>(target: T, schema: S, onInvalid: InvalidAnswer<E>) =>
  validator(target, (value, c: Context<E>) => ((target === "form") === isFormBody(c) ? check(schema, value, c, onInvalid) : null));

/** A form field that may repeat (`digests=a&digests=b`), always as a list. */
export const repeatedField = z.pipe(
  z.union([z.string(), z.array(z.string())], { error: "expected text values" }),
  z.transform((value: string | string[]) => (typeof value === "string" ? [value] : value)),
);

/** A form field sent once: a repeated one is refused, never silently cut to its first value. */
export const singleField = z.string({ error: (issue) => (Array.isArray(issue.input) ? "expected one value, got several" : "expected a text value") });

/** The first text value of a raw form or query field, to show again what was entered. */
export const enteredText = (input: RawInput, name: string): string => {
  const value = input[name];
  const first = Array.isArray(value) ? value[0] : value;
  return typeof first === "string" ? first : "";
};
