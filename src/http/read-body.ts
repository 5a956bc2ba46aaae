/**
 * The one way routes read request bodies: `readBody({ json, form, csv })`, a middleware
 * listed after the path. A declared media type (another is a 415), a size limit enforced
 * while the body streams in (a Content-Length over the limit is refused before reading,
 * a chunked body as soon as it grows past it, never after buffering it all), and parsing
 * that answers a malformed body with a 4xx instead of an exception. A page route answers
 * with an HTML page (PageError), an API with the ApiError JSON shape.
 *
 * The limit is hono's `bodyLimit`; the bytes are read with `c.req.arrayBuffer()`, which
 * HonoRequest keeps, so hono's `validator("json" | "form")` that runs next
 * (src/http/validate.ts) and `c.req.text()` read those bytes, never the stream again.
 */
import type { Context } from "hono";
import { bodyLimit } from "hono/body-limit";
import { createMiddleware } from "hono/factory";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import { requestProblemPage } from "../pages/error-pages.ts";
import { ApiError } from "./api-error.ts";
import { PageError } from "./page-error.ts";

export interface BodyRules {
  maxBytes: number;
  /** How a rejected body is answered: an HTML page (forms of the site) or the API's JSON error. */
  answer: "page" | "json";
}

const FORM_MEDIA_TYPES = ["application/x-www-form-urlencoded", "multipart/form-data"] as const;

interface Problem {
  status: ContentfulStatusCode;
  code: string;
  message: string;
  /** What the reader sees on the page, in Chinese. */
  page: { title: string; line: string };
}

function reject(rules: BodyRules, problem: Problem): never {
  if (rules.answer === "page") {
    throw new PageError(problem.status, requestProblemPage(problem.page.title, problem.page.line));
  }
  throw new ApiError(problem.status, problem.code, problem.message);
}

const formatSize = (bytes: number) =>
  bytes >= 1024 * 1024 ? `${bytes / (1024 * 1024)} MB` : `${bytes / 1024} KB`;

const tooLarge = (maxBytes: number): Problem => ({
  status: 413,
  code: "payload_too_large",
  message: `request body is larger than ${formatSize(maxBytes)}`,
  page: { title: "提交的内容太大", line: `请求内容超过了 ${formatSize(maxBytes)} 的上限，请检查后重试。` },
});

const malformed = (message: string): Problem => ({
  status: 400,
  code: "malformed_body",
  message,
  page: { title: "无法读取提交的内容", line: "提交的内容不完整或格式有误，请返回上一页重新提交。" },
});

/** The request's media type, lower-cased, without parameters ("" when absent). */
function mediaTypeOf(c: Context): string {
  return (c.req.header("Content-Type") ?? "").split(";")[0]?.trim().toLowerCase() ?? "";
}

/** Any media type but the listed ones: a 415 naming them. */
const unsupported = (accepted: readonly string[], type: string): Problem => ({
  status: 415,
  code: "unsupported_media_type",
  message: `send the body as ${accepted.join(" or ")}${type ? `, not ${type}` : " (Content-Type is missing)"}`,
  page: { title: "无法处理这种提交", line: "请通过网页上的表单提交。" },
});

/**
 * The body's bytes, at most `rules.maxBytes` of them: a Content-Length over the limit is
 * refused before reading, a chunked body as soon as it grows past it (hono's bodyLimit).
 */
async function readBytes(c: Context, rules: BodyRules): Promise<Uint8Array> {
  let bytes = new Uint8Array(0);
  const limit = bodyLimit({ maxSize: rules.maxBytes, onError: () => reject(rules, tooLarge(rules.maxBytes)) });
  await limit(c, async () => {
    bytes = new Uint8Array(await c.req.arrayBuffer());
  });
  return bytes;
}

const utf8 = new TextDecoder("utf-8", { fatal: true, ignoreBOM: false });

function decodeText(bytes: Uint8Array, rules: BodyRules): string {
  try {
    return utf8.decode(bytes);
  } catch {
    return reject(rules, malformed("request body is not valid UTF-8"));
  }
}

/** Parses JSON text, answering a syntax error with a 400. */
function checkJson(text: string, rules: BodyRules): void {
  try {
    JSON.parse(text);
  } catch {
    reject(rules, { ...malformed("request body is not valid JSON"), code: "invalid_json" });
  }
}

/**
 * Checks a form body (urlencoded or multipart) parses, from the bytes already read; hono's
 * validator parses the same bytes again for the route.
 */
async function checkForm(c: Context, type: string, bytes: Uint8Array, rules: FormRules): Promise<void> {
  if (type === "application/x-www-form-urlencoded") {
    decodeText(bytes, rules);
    return;
  }
  const form = await new Response(bytes, { headers: { "Content-Type": c.req.header("Content-Type") ?? "" } })
    .formData()
    .catch((error: unknown) => {
      // Content-Type carries the boundary; a missing boundary or a truncated part throws.
      const reason = error instanceof Error ? error.message : String(error);
      return reject(rules, malformed(`multipart body cannot be parsed: ${reason}`));
    });
  if (!rules.files) {
    for (const [name, value] of form) {
      if (typeof value !== "string") reject(rules, malformed(`form field "${name}" is a file; only text fields are accepted`));
    }
  }
}

interface FormRules extends BodyRules {
  /** Whether file fields are taken (an upload form); otherwise a file is a 400. */
  files?: boolean;
}

/** The kinds of body a route takes, each with its rules; a 415 is answered by the first one's. */
interface BodyKinds {
  /** application/json, checked to parse; kept as text (`c.req.text()`, e.g. for a signature) and validated as JSON. */
  json?: BodyRules;
  /** urlencoded or multipart form fields. */
  form?: FormRules;
  /** text/csv, as text (`c.req.text()`). */
  csv?: BodyRules;
}

const MEDIA_TYPES = { json: ["application/json"], form: FORM_MEDIA_TYPES, csv: ["text/csv"] } as const;

type BodyKind = keyof BodyKinds;

/** Whether the request's body is a form (for a route that takes JSON or a form). */
export const isFormBody = (c: Context) => (FORM_MEDIA_TYPES as readonly string[]).includes(mediaTypeOf(c));

/**
 * Reads the body once, by the rules of its kind, and checks it: UTF-8 text for JSON and
 * CSV (JSON that parses), form fields that parse. Nothing downstream reads the stream again.
 */
export function readBody(kinds: BodyKinds) {
  const listed = Object.keys(kinds) as BodyKind[];
  const accepted = listed.flatMap((kind) => MEDIA_TYPES[kind]);
  const refusal = listed[0] && kinds[listed[0]];
  if (!refusal) throw new Error("readBody needs at least one kind of body");
  return createMiddleware(async (c, next) => {
    const type = mediaTypeOf(c);
    const kind = listed.find((k) => (MEDIA_TYPES[k] as readonly string[]).includes(type));
    if (kind === "form" && kinds.form) {
      await checkForm(c, type, await readBytes(c, kinds.form), kinds.form);
    } else if (kind === "json" || kind === "csv") {
      const rules = kinds[kind] ?? refusal;
      const text = decodeText(await readBytes(c, rules), rules);
      if (kind === "json") checkJson(text, rules);
    } else {
      reject(refusal, unsupported(accepted, type));
    }
    await next();
  });
}

/** The UTF-8 text of an uploaded file (e.g. a CSV); bytes that are not UTF-8 are a 400. */
export async function fileText(file: File, rules: BodyRules): Promise<string> {
  return decodeText(new Uint8Array(await file.arrayBuffer()), rules);
}
