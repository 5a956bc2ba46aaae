/**
 * The one model of Resend's POST /emails/batch behind both fakes: the tests' in-isolate
 * fetch (test/helpers/fake-resend.ts, workerd) and the benchmark's HTTP server
 * (bench/fake-resend.ts, Node). Strict where the real API is: a bearer key, 1 to 100
 * emails each with from, to and subject, a sliding one-second rate window announced in
 * ratelimit-* headers and enforced with 429 + retry-after, an Idempotency-Key that
 * replays its first answer (and refuses the key with another payload), and
 * `x-batch-validation: permissive` answering per-email errors. Plain TypeScript with
 * no runtime imports; the time comes from the adapter, so a test's clock drives it.
 */

const MAX_BATCH = 100;
const WINDOW_MS = 1000;

export interface ProviderEmail {
  from: string;
  to: string | string[];
  /** Resend's API field for Reply-To; absent when none was given. */
  reply_to?: string;
  subject: string;
  html?: string;
  text?: string;
  headers?: Record<string, string>;
  tags?: { name: string; value: string }[];
  /** A stored template's id or alias and its variables, instead of html and text. */
  template?: { id: string; variables?: Record<string, string | number> };
}

/** A template as the provider stores it (POST /templates, then POST /templates/:id/publish). */
interface StoredTemplate {
  id: string;
  alias: string | null;
  html: string;
  text: string;
  variables: string[];
  published: boolean;
}

/** Resend's rules for variable keys: ASCII letters, digits and underscores, at most 50, none reserved. */
const VARIABLE_KEY = /^[A-Za-z0-9_]{1,50}$/;
const RESERVED_VARIABLES = new Set(["FIRST_NAME", "LAST_NAME", "EMAIL", "UNSUBSCRIBE_URL", "RESEND_UNSUBSCRIBE_URL", "contact", "this"]);
const TEMPLATE_PATH = /^\/templates\/([^/]+)\/publish$/;

export type Fault =
  /** 429 with this retry-after (seconds). */
  | { kind: "rate-limited"; retryAfterSeconds: number }
  /** 500: nothing sent. */
  | { kind: "server-error" }
  /** The batch is accepted and sent, then the connection drops before the answer arrives (the adapter drops it). */
  | { kind: "lost-response" }
  /** 429 daily_quota_exceeded / monthly_quota_exceeded. */
  | { kind: "quota"; name: "daily_quota_exceeded" | "monthly_quota_exceeded" }
  /** The provider never answers and sends nothing: the adapter holds the request until the caller gives up. */
  | { kind: "hang" };

export interface BatchRequest {
  method: string;
  /** Path of the URL, e.g. `/emails/batch`. */
  path: string;
  authorization: string | null;
  idempotencyKey: string | null;
  permissive: boolean;
  body: string;
}

export interface BatchAnswer {
  status: number;
  body: unknown;
  headers: Record<string, string>;
  /** What the provider did: accepted (and sent), replayed or refused (conflict) a known key, 429, or any other refusal. */
  outcome: "accepted" | "replayed" | "conflict" | "rate-limited" | "rejected";
  /** Emails in the request (0 when it was not read that far). */
  emails: number;
  /** The emails sent by this request, in order (accepted only). */
  delivered: ProviderEmail[];
  /** A template call (create, publish) rather than a batch. */
  template: boolean;
}

export interface FakeProviderOptions {
  /** The rate limit, announced and enforced per sliding second. */
  requestsPerSecond: number;
  /** The only key accepted as `Bearer <apiKey>`. */
  apiKey: string;
  /** Milliseconds since the epoch, from the adapter's clock. */
  now: () => number;
}

const apiError = (status: number, name: string, message: string, headers: Record<string, string> = {}) => ({
  status,
  body: { statusCode: status, name, message },
  headers,
});

/** Why a batch would be refused (422), or null when it is valid. */
function batchProblem(emails: unknown): string | null {
  if (!Array.isArray(emails)) return "body must be a JSON array of emails";
  if (emails.length === 0 || emails.length > MAX_BATCH) return `a batch holds 1 to ${MAX_BATCH} emails, got ${emails.length}`;
  for (const email of emails as Partial<ProviderEmail>[]) {
    const to = email.to;
    const recipients = typeof to === "string" || (Array.isArray(to) && to.every((t) => typeof t === "string"));
    if (typeof email.from !== "string" || typeof email.subject !== "string" || !recipients) return "each email needs from, to and subject";
    if (email.template && (email.html !== undefined || email.text !== undefined)) return "template cannot be combined with html or text";
  }
  return null;
}

/** The template's variables filled in ({{{KEY}}}, inserted as given). */
function fill(content: string, variables: Record<string, string | number>): string {
  return content.replace(/\{\{\{([A-Za-z0-9_]+)\}\}\}/g, (_, key: string) => String(variables[key] ?? ""));
}

function parse(body: string): unknown {
  try {
    return JSON.parse(body);
  } catch {
    return undefined;
  }
}

export function recipientsOf(email: ProviderEmail): string[] {
  return typeof email.to === "string" ? [email.to] : email.to;
}

export class FakeProvider {
  /** Addresses the provider refuses (422 for that address; in permissive mode only that email fails). */
  readonly refusedAddresses = new Map<string, string>();
  private readonly windowStarts: number[] = [];
  private readonly idempotent = new Map<string, { body: string; answer: unknown }>();
  /** Stored templates, by id and by alias. */
  private readonly templates = new Map<string, StoredTemplate>();
  /** An account that may not store templates: every create is refused (422). */
  refuseTemplates = false;
  private nextId = 1;

  /** Every template deleted, as an operator might in the dashboard. */
  deleteTemplates(): void {
    this.templates.clear();
  }

  /** How many templates were created (each once, however many senders asked). */
  get templateCount(): number {
    return new Set(this.templates.values()).size;
  }

  constructor(private readonly options: FakeProviderOptions) {}

  /** Answers one request; `fault` scripts this answer (a lost response is the adapter's to drop). */
  answer(request: BatchRequest, fault?: Fault): BatchAnswer {
    const done = (answer: { status: number; body: unknown; headers: Record<string, string> }, outcome: BatchAnswer["outcome"], emails = 0) => ({
      ...answer,
      outcome,
      emails,
      delivered: [],
      template: false,
    });
    const isTemplateCall = request.method === "POST" && (request.path === "/templates" || TEMPLATE_PATH.test(request.path));
    if (request.method !== "POST" || (request.path !== "/emails/batch" && !isTemplateCall)) {
      return done(apiError(404, "not_found", `the fake serves POST /emails/batch and /templates only, not ${request.method} ${request.path}`), "rejected");
    }
    if (request.authorization !== `Bearer ${this.options.apiKey}`) {
      return done(apiError(401, "invalid_api_key", "API key is invalid"), "rejected");
    }
    if (isTemplateCall) {
      const limit = this.admit(this.options.now());
      if (limit.retryAfterMs !== null) {
        const headers = { ...limit.headers, "retry-after": String(Math.max(1, Math.ceil(limit.retryAfterMs / 1000))) };
        return { ...done(apiError(429, "rate_limit_exceeded", `Too many requests: ${this.options.requestsPerSecond} per second`, headers), "rate-limited"), template: true };
      }
      const answer = request.path === "/templates" ? this.createTemplate(request.body) : this.publishTemplate(request.path);
      return { ...done({ ...answer, headers: { ...limit.headers, ...answer.headers } }, answer.status === 200 ? "accepted" : "rejected"), template: true };
    }
    if (fault?.kind === "server-error") return done(apiError(500, "internal_server_error", "Something went wrong"), "rejected");
    if (fault?.kind === "hang") return done(apiError(504, "hang", "the adapter never sends this answer"), "rejected");
    if (fault?.kind === "quota") return done(apiError(429, fault.name, "You have reached your sending quota"), "rejected");
    const limit = this.admit(this.options.now());
    if (fault?.kind === "rate-limited" || limit.retryAfterMs !== null) {
      const retryAfter = fault?.kind === "rate-limited" ? fault.retryAfterSeconds : Math.max(1, Math.ceil((limit.retryAfterMs ?? 0) / 1000));
      const headers = { ...limit.headers, "retry-after": String(retryAfter) };
      return done(apiError(429, "rate_limit_exceeded", `Too many requests: ${this.options.requestsPerSecond} per second`, headers), "rate-limited");
    }

    const previous = request.idempotencyKey ? this.idempotent.get(request.idempotencyKey) : undefined;
    if (previous) {
      if (previous.body !== request.body) {
        return done(apiError(409, "invalid_idempotent_request", "Same idempotency key used with a different payload", limit.headers), "conflict");
      }
      return done({ status: 200, body: previous.answer, headers: limit.headers }, "replayed");
    }

    const parsed = parse(request.body);
    const count = Array.isArray(parsed) ? parsed.length : 0;
    const problem = batchProblem(parsed);
    if (problem) return done(apiError(422, "validation_error", problem, limit.headers), "rejected", count);
    const emails = parsed as ProviderEmail[];
    const errors = emails.flatMap((email, index) => {
      const reason = recipientsOf(email).map((to) => this.refusedAddresses.get(to)).find((r) => r !== undefined);
      return reason ? [{ index, message: reason }] : [];
    });
    if (errors.length > 0 && !request.permissive) {
      return done(apiError(422, "validation_error", errors[0]?.message ?? "", limit.headers), "rejected", count);
    }

    const unusable = emails.map((email) => this.templateProblem(email)).find((problem) => problem !== null);
    if (unusable) return done(apiError(422, "validation_error", unusable, limit.headers), "rejected", count);
    const delivered = emails.filter((_, index) => !errors.some((e) => e.index === index));
    const data = delivered.map(() => ({ id: `email-${this.nextId++}` }));
    const answer = request.permissive ? { data, errors } : { data };
    if (request.idempotencyKey) this.idempotent.set(request.idempotencyKey, { body: request.body, answer });
    return { status: 200, body: answer, headers: limit.headers, outcome: "accepted", emails: count, delivered, template: false };
  }

  /** POST /templates: a draft, under an alias no other template has. */
  private createTemplate(body: string): { status: number; body: unknown; headers: Record<string, string> } {
    if (this.refuseTemplates) return apiError(422, "validation_error", "templates are not available on this account");
    const input = parse(body) as { name?: unknown; alias?: unknown; html?: unknown; text?: unknown; variables?: { key?: unknown }[] } | undefined;
    if (typeof input?.name !== "string" || typeof input.html !== "string") return apiError(422, "validation_error", "a template needs name and html");
    const keys = (input.variables ?? []).map((v) => String(v.key));
    const badKey = keys.find((key) => !VARIABLE_KEY.test(key) || RESERVED_VARIABLES.has(key));
    if (badKey !== undefined) return apiError(422, "validation_error", `variable key "${badKey}" is not allowed`);
    const content = `${input.html}${typeof input.text === "string" ? input.text : ""}`;
    const undeclared = [...content.matchAll(/\{\{\{([A-Za-z0-9_]+)\}\}\}/g)].map((m) => m[1] ?? "").find((key) => !keys.includes(key));
    if (undeclared !== undefined) return apiError(422, "validation_error", `Variable '${undeclared}' is used in the template but not defined in the variables list`);
    const alias = typeof input.alias === "string" ? input.alias : null;
    if (alias !== null && this.templates.has(alias)) return apiError(409, "validation_error", `a template with alias "${alias}" already exists`);
    const template: StoredTemplate = { id: `tmpl_${this.nextId++}`, alias, html: input.html, text: typeof input.text === "string" ? input.text : "", variables: keys, published: false };
    this.templates.set(template.id, template);
    if (alias !== null) this.templates.set(alias, template);
    return { status: 200, body: { id: template.id, object: "template" }, headers: {} };
  }

  /** POST /templates/:idOrAlias/publish. */
  private publishTemplate(path: string): { status: number; body: unknown; headers: Record<string, string> } {
    const template = this.templates.get(decodeURIComponent(TEMPLATE_PATH.exec(path)?.[1] ?? ""));
    if (!template) return apiError(404, "not_found", "Template not found");
    template.published = true;
    return { status: 200, body: { id: template.id, object: "template" }, headers: {} };
  }

  /** Why an email's template cannot be sent (unknown, a draft, a variable missing), or null. */
  private templateProblem(email: ProviderEmail): string | null {
    if (!email.template) return null;
    const template = this.templates.get(email.template.id);
    if (!template) return `template "${email.template.id}" not found`;
    if (!template.published) return `template "${email.template.id}" is a draft: publish it first`;
    const missing = template.variables.find((key) => email.template?.variables?.[key] === undefined);
    return missing === undefined ? null : `variable "${missing}" has no value and no fallback`;
  }

  /** The email as its reader gets it: a template's content with the email's variables filled in (on demand: a benchmark only counts recipients). */
  asReceived(email: ProviderEmail): ProviderEmail {
    const template = email.template ? this.templates.get(email.template.id) : undefined;
    if (!template || !email.template) return email;
    const { template: _, ...rest } = email;
    const variables = email.template.variables ?? {};
    return { ...rest, html: fill(template.html, variables), text: fill(template.text, variables) };
  }

  /** Admits the request into the sliding window, or says how long until it would be. */
  private admit(now: number): { headers: Record<string, string>; retryAfterMs: number | null } {
    while (this.windowStarts.length > 0 && (this.windowStarts[0] ?? 0) <= now - WINDOW_MS) this.windowStarts.shift();
    const limit = this.options.requestsPerSecond;
    const admitted = this.windowStarts.length < limit;
    if (admitted) this.windowStarts.push(now);
    const resetMs = this.windowStarts.length > 0 ? (this.windowStarts[0] ?? now) + WINDOW_MS - now : 0;
    const headers = {
      "ratelimit-limit": String(limit),
      "ratelimit-remaining": String(Math.max(0, limit - this.windowStarts.length)),
      "ratelimit-reset": String(Math.ceil(resetMs / 1000)),
    };
    return { headers, retryAfterMs: admitted ? null : resetMs };
  }
}
