/**
 * Typed view of the Worker's vars and secrets. In development every secret has a
 * local default so `npm start` works with no account; in production a missing
 * secret is an error, never a silent default.
 */
export interface Config {
  environment: "development" | "production";
  /** Base URL for absolute links, without a trailing slash. */
  siteUrl: string;
  mailFrom: string;
  /** Reply-To of every email; null (REPLY_TO empty) sends none, so replies go to the sender. */
  replyTo: string | null;
  resend: { apiKey: string; baseUrl?: string } | null;
  resendWebhookSecret: string | null;
  signingSecret: string;
  adminToken: string;
  /** How long one request to the provider may take before it is abandoned and retried (PROVIDER_TIMEOUT_SECONDS, 30 s). */
  providerTimeoutMs: number;
  /** At most this many provider requests in flight per queue invocation (PROVIDER_MAX_IN_FLIGHT); null: the platform's six. */
  maxInFlight: number | null;
  /** Batches of 100 recipients written per fan-out step (FANOUT_PAGE_BATCHES); null: the ledger's default. */
  fanOutPageBatches: number | null;
  /** Items in a subscription feed and in each archive page (RFC 5005). */
  feedPageSize: number;
  /** Days an edition keeps the record of who it was sent to (LEDGER_RETENTION_DAYS). */
  ledgerRetentionDays: number;
}

export const DEFAULT_FEED_PAGE_SIZE = 20;
/** LEDGER_RETENTION_DAYS when unset. */
export const DEFAULT_LEDGER_RETENTION_DAYS = 90;
/** Shorter would drop the record while bounces are still attributed to the edition (7 days) and its sends still replayable. */
const MIN_LEDGER_RETENTION_DAYS = 8;

/** A var set to something the Worker cannot use; the message says what is expected. */
export class InvalidSettingError extends Error {
  constructor(name: string, value: string, expected: string) {
    super(`${name} is "${value}": expected ${expected}`);
    this.name = "InvalidSettingError";
  }
}

/** A whole-number var within [min, max], or its default when unset. */
function wholeNumber(name: string, value: string | undefined, fallback: number, min: number, max: number, expected: string): number {
  if (!value) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < min || n > max) throw new InvalidSettingError(name, value, expected);
  return n;
}

/** A positive number from an optional var (`whole`: an integer ≥ 1); `fallback` when empty. The message names the var. */
function positiveVar(name: string, value: string | undefined, fallback: number, whole = true): number {
  if (value === undefined || value.trim() === "") return fallback;
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0 || (whole && (!Number.isInteger(n) || n < 1))) {
    throw new Error(`${name} must be ${whole ? "a whole number ≥ 1" : "a number of seconds > 0"}, got "${value}"`);
  }
  return n;
}

/** A secret or var the Worker cannot do without here; the message says how to set it. */
export class MissingSettingError extends Error {
  constructor(name: string, howToSet = `run \`wrangler secret put ${name}\``) {
    super(`${name} is not set: ${howToSet}`);
    this.name = "MissingSettingError";
  }
}

/** Documented local defaults (README): only ever used when ENVIRONMENT is "development". */
export const DEV_SIGNING_SECRET = "local-development-signing-secret";
export const DEV_ADMIN_TOKEN = "dev-admin-token";

/**
 * Secrets and the site URL are read lazily (getters), so a route that needs none of
 * them keeps working when one is missing; a route that needs it fails loudly.
 */
export function getConfig(env: Env, requestOrigin?: string): Config {
  const environment = env.ENVIRONMENT === "development" ? "development" : "production";
  const secret = (name: "SIGNING_SECRET" | "ADMIN_TOKEN", devDefault: string) => {
    const value = env[name];
    if (value) return value;
    if (environment === "development") return devDefault;
    throw new MissingSettingError(name);
  };
  return {
    environment,
    // In production links come from SITE_URL only: the Host header is whatever the client
    // sent, and a link built from it would point readers at a forged origin. Development
    // may follow the request, and cron and queue work (no request) the local default.
    get siteUrl() {
      const developmentBase = requestOrigin || "http://localhost:8787";
      const base = env.SITE_URL || (environment === "development" ? developmentBase : "");
      if (!base) throw new MissingSettingError("SITE_URL", "set it in wrangler.toml [vars] to the site's public URL");
      return base.replace(/\/+$/, "");
    },
    mailFrom: env.MAIL_FROM,
    replyTo: env.REPLY_TO.trim() || null,
    resend: env.RESEND_API_KEY
      ? { apiKey: env.RESEND_API_KEY, ...(env.RESEND_BASE_URL ? { baseUrl: env.RESEND_BASE_URL } : {}) }
      : null,
    resendWebhookSecret: env.RESEND_WEBHOOK_SECRET || null,
    get providerTimeoutMs() {
      return positiveVar("PROVIDER_TIMEOUT_SECONDS", env.PROVIDER_TIMEOUT_SECONDS, 30, false) * 1000;
    },
    get maxInFlight() {
      return env.PROVIDER_MAX_IN_FLIGHT?.trim() ? positiveVar("PROVIDER_MAX_IN_FLIGHT", env.PROVIDER_MAX_IN_FLIGHT, 1) : null;
    },
    get fanOutPageBatches() {
      return env.FANOUT_PAGE_BATCHES?.trim() ? positiveVar("FANOUT_PAGE_BATCHES", env.FANOUT_PAGE_BATCHES, 1) : null;
    },
    get signingSecret() {
      return secret("SIGNING_SECRET", DEV_SIGNING_SECRET);
    },
    get adminToken() {
      return secret("ADMIN_TOKEN", DEV_ADMIN_TOKEN);
    },
    get feedPageSize() {
      return wholeNumber("FEED_PAGE_SIZE", env.FEED_PAGE_SIZE, DEFAULT_FEED_PAGE_SIZE, 1, 1000, "a whole number from 1 to 1000");
    },
    get ledgerRetentionDays() {
      const min = MIN_LEDGER_RETENTION_DAYS;
      return wholeNumber("LEDGER_RETENTION_DAYS", env.LEDGER_RETENTION_DAYS, DEFAULT_LEDGER_RETENTION_DAYS, min, Infinity, `a whole number of days, at least ${min}`);
    },
  };
}

/** The shortest ADMIN_TOKEN and SIGNING_SECRET production accepts (256 bits). */
export const MIN_SECRET_BYTES = 32;

/**
 * In production, why the operator routes cannot be served (naming the setting), or null
 * when ADMIN_TOKEN and SIGNING_SECRET are both long enough and neither is a development
 * default. Only the operator routes ask: a weak secret must not take the site down, only
 * keep the operator's door from being guessed.
 */
export function weakOperatorSecret(config: Config): string | null {
  if (config.environment === "development") return null;
  const defaults = [DEV_ADMIN_TOKEN, DEV_SIGNING_SECRET];
  const settings = [
    ["ADMIN_TOKEN", config.adminToken],
    ["SIGNING_SECRET", config.signingSecret],
  ] as const;
  for (const [name, value] of settings) {
    const weakness = defaults.includes(value)
      ? "is a development default"
      : new TextEncoder().encode(value).byteLength < MIN_SECRET_BYTES
        ? `is shorter than ${MIN_SECRET_BYTES} bytes`
        : null;
    if (weakness) {
      return `${name} ${weakness}: operator routes stay closed in production until it is a random secret of at least ${MIN_SECRET_BYTES} bytes (e.g. \`openssl rand -base64 48 | wrangler secret put ${name}\`)`;
    }
  }
  return null;
}
