/**
 * The one way routes read request bodies: a declared media type, a size limit enforced
 * while the body streams in (a Content-Length over the limit is refused before reading,
 * a chunked body as soon as it grows past it, never after buffering it all), and parsing
 * that answers a malformed body with a 4xx instead of an exception. A page route answers
 * with an HTML page (PageError), an API with the ApiError JSON shape.
 */
import type { Context } from "hono";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import { requestProblemPage } from "../pages/error-pages.ts";
import { ApiError } from "./api-error.ts";
import { PageError } from "./page-error.ts";

export interface BodyRules {
  maxBytes: number;
  /** How a rejected body is answered: an HTML page (forms of the site) or the API's JSON error. */
  answer: "page" | "json";
}

/** Form fields by name, every value of repeated fields in order (`digests=a&digests=b`). */
export type FormFields = Record<string, string[]>;

export const FORM_MEDIA_TYPES = ["application/x-www-form-urlencoded", "multipart/form-data"] as const;

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

/** Refuses any media type but the listed ones with a 415 naming them. */
export function requireMediaType(c: Context, accepted: readonly string[], rules: BodyRules): string {
  const type = mediaTypeOf(c);
  if (accepted.includes(type)) return type;
  return reject(rules, {
    status: 415,
    code: "unsupported_media_type",
    message: `send the body as ${accepted.join(" or ")}${type ? `, not ${type}` : " (Content-Type is missing)"}`,
    page: { title: "无法处理这种提交", line: "请通过网页上的表单提交。" },
  });
}

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

/** A text body of the one accepted media type (e.g. text/csv). */
export async function readTextBody(c: Context, mediaType: string, rules: BodyRules): Promise<string> {
  requireMediaType(c, [mediaType], rules);
  return decodeText(await readBytes(c, rules), rules);
}

/** Parses JSON text, answering a syntax error with a 400. */
export function parseJsonText(text: string, rules: BodyRules): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return reject(rules, { ...malformed("request body is not valid JSON"), code: "invalid_json" });
  }
}

/** An application/json body, parsed (its shape is the caller's to validate). */
export async function readJsonBody(c: Context, rules: BodyRules): Promise<unknown> {
  requireMediaType(c, ["application/json"], rules);
  return parseJsonText(decodeText(await readBytes(c, rules), rules), rules);
}

/** A form body's entries (urlencoded or multipart). Multipart is parsed by the runtime from the bytes already read. */
async function readFormEntries(c: Context, rules: BodyRules): Promise<Iterable<[string, File | string]>> {
  const type = requireMediaType(c, FORM_MEDIA_TYPES, rules);
  const bytes = await readBytes(c, rules);
  if (type === "application/x-www-form-urlencoded") return new URLSearchParams(decodeText(bytes, rules));
  try {
    // Content-Type carries the boundary; a missing boundary or a truncated part throws.
    return await new Response(bytes, { headers: { "Content-Type": c.req.header("Content-Type") ?? "" } }).formData();
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    return reject(rules, malformed(`multipart body cannot be parsed: ${reason}`));
  }
}

/** A form body of text fields; a file in it is refused. */
export async function readFormBody(c: Context, rules: BodyRules): Promise<FormFields> {
  const fields: FormFields = {};
  for (const [name, value] of await readFormEntries(c, rules)) {
    if (typeof value !== "string") reject(rules, malformed(`form field "${name}" is a file; only text fields are accepted`));
    (fields[name] ??= []).push(value);
  }
  return fields;
}

/** The UTF-8 text of the file uploaded as form field `field` (e.g. a CSV); null when the form has none. */
export async function readUploadedText(c: Context, field: string, rules: BodyRules): Promise<string | null> {
  for (const [name, value] of await readFormEntries(c, rules)) {
    if (name === field && typeof value !== "string") return decodeText(new Uint8Array(await value.arrayBuffer()), rules);
  }
  return null;
}
