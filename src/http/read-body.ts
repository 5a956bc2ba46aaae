/**
 * The one way routes read request bodies: `readBody({ json, form, csv })`, a middleware
 * listed after the path. A declared media type (another is a 415), a size limit enforced
 * while the body streams in (a Content-Length over the limit is refused before reading,
 * a chunked body as soon as it grows past it, never after buffering it all), and parsing
 * that answers a malformed body with a 4xx instead of an exception. A page route answers
 * with an HTML page (PageError), an API with the ApiError JSON shape.
 *
 * What it read goes into HonoRequest's body cache, so hono's `validator("json" | "form")`
 * that runs next (src/http/validate.ts) and `c.req.text()` never touch the stream.
 */
import type { Context } from "hono";
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

/** The body's bytes, at most `rules.maxBytes` of them, read chunk by chunk. */
async function readBytes(c: Context, rules: BodyRules): Promise<Uint8Array> {
  const declared = c.req.header("Content-Length");
  if (declared !== undefined && Number(declared) > rules.maxBytes) reject(rules, tooLarge(rules.maxBytes));
  const body = c.req.raw.body;
  if (!body) return new Uint8Array(0);
  const reader = body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > rules.maxBytes) {
      // Stop the sender: nothing past the limit is read.
      await reader.cancel().catch(() => undefined);
      reject(rules, tooLarge(rules.maxBytes));
    }
    chunks.push(value);
  }
  const bytes = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.byteLength;
  }
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

/** A form body as FormData (urlencoded or multipart). Multipart is parsed by the runtime from the bytes already read. */
async function parseForm(c: Context, type: string, bytes: Uint8Array, rules: FormRules): Promise<FormData> {
  if (type === "application/x-www-form-urlencoded") {
    const fields = new FormData();
    for (const [name, value] of new URLSearchParams(decodeText(bytes, rules))) fields.append(name, value);
    return fields;
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
  return form;
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

/**
 * HonoRequest keeps promises in its body cache (its own reads store `raw.text()` there and
 * `c.req.json()` chains on it), though the cache's type names plain values: stored as hono does.
 */
function cache<K extends "text" | "formData">(c: Context, key: K, value: K extends "text" ? string : FormData): void {
  Object.assign(c.req.bodyCache, { [key]: Promise.resolve(value) });
}

/** Whether the request's body is a form (for a route that takes JSON or a form). */
export const isFormBody = (c: Context) => (FORM_MEDIA_TYPES as readonly string[]).includes(mediaTypeOf(c));

/**
 * Reads the body once, by the rules of its kind, into the request's body cache: text for
 * JSON and CSV, FormData for forms. Nothing downstream reads the stream again.
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
      const form = await parseForm(c, type, await readBytes(c, kinds.form), kinds.form);
      cache(c, "formData", form);
    } else if (kind === "json" || kind === "csv") {
      const rules = kinds[kind] ?? refusal;
      const text = decodeText(await readBytes(c, rules), rules);
      if (kind === "json") checkJson(text, rules);
      cache(c, "text", text);
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
