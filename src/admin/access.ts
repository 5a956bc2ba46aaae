/**
 * Optional production sign-in through Cloudflare Access: when ACCESS_TEAM_DOMAIN and
 * ACCESS_AUD are set, Access puts a JWT in `Cf-Access-Jwt-Assertion` on every request
 * it let through, and a token signed by the team's keys for this application's
 * audience counts as a session. Verified with WebCrypto (RS256 is all Access signs
 * with), no JOSE library in the bundle. The key source is injectable so tests verify
 * against a locally generated key pair and never reach the network.
 */
import { fromBase64Url } from "../text/base64url.ts";

export const ACCESS_JWT_HEADER = "Cf-Access-Jwt-Assertion";

export interface AccessSettings {
  /** e.g. "myteam.cloudflareaccess.com" */
  teamDomain: string;
  /** The Access application's audience tag. */
  audience: string;
}

/** One public key of a JWKS, as Access publishes it: RSA (modulus n, exponent e) with its key id. */
export interface AccessJwk {
  kty?: string;
  kid?: string;
  n?: string;
  e?: string;
}

/** Where the signing keys of a team come from: the `keys` of its JWKS. */
export type AccessKeySource = (teamDomain: string) => Promise<AccessJwk[]>;

/** How long fetched keys are trusted before they are fetched again (Access rotates every ~6 weeks, publishing the next key ahead). */
export const ACCESS_KEYS_TTL_MS = 10 * 60 * 1000;
/** Clock skew allowed on exp, nbf and iat. */
const CLOCK_TOLERANCE_S = 10;

/**
 * The team's published keys from `https://<team>/cdn-cgi/access/certs`, one cached copy
 * per team per isolate for ACCESS_KEYS_TTL_MS. A failed fetch is not cached.
 */
export function createRemoteAccessKeys(fetcher: typeof fetch = fetch, now: () => number = Date.now): AccessKeySource {
  const cache = new Map<string, { keys: Promise<AccessJwk[]>; fetchedAt: number }>();
  return (teamDomain) => {
    const cached = cache.get(teamDomain);
    if (cached && now() - cached.fetchedAt < ACCESS_KEYS_TTL_MS) return cached.keys;
    const keys = fetchKeySet(fetcher, `https://${teamDomain}/cdn-cgi/access/certs`);
    cache.set(teamDomain, { keys, fetchedAt: now() });
    keys.catch(() => cache.delete(teamDomain));
    return keys;
  };
}

async function fetchKeySet(fetcher: typeof fetch, url: string): Promise<AccessJwk[]> {
  const response = await fetcher(url, { headers: { accept: "application/json" } });
  if (!response.ok) throw new Error(`Access certs ${url} answered ${response.status}`);
  const body: unknown = await response.json();
  const keys = isRecord(body) ? body.keys : undefined;
  if (!Array.isArray(keys)) throw new Error(`Access certs ${url} has no "keys" array`);
  return keys.filter(isJwk);
}

function isJwk(value: unknown): value is AccessJwk {
  return isRecord(value) && ["kty", "kid", "n", "e"].every((name) => value[name] === undefined || typeof value[name] === "string");
}

export const remoteAccessKeys: AccessKeySource = createRemoteAccessKeys();

/** Access settings from the vars, or null when Access is not configured (both must be set). */
export function accessSettings(env: Pick<Env, "ACCESS_TEAM_DOMAIN" | "ACCESS_AUD">): AccessSettings | null {
  const teamDomain = (env.ACCESS_TEAM_DOMAIN ?? "").replace(/^https?:\/\//, "").replace(/\/+$/, "");
  const audience = env.ACCESS_AUD ?? "";
  return teamDomain && audience ? { teamDomain, audience } : null;
}

/** True when the token is signed by the team, issued by it, for this audience and unexpired. */
export async function verifyAccessToken(
  token: string,
  settings: AccessSettings,
  keys: AccessKeySource,
  nowMs: number = Date.now(),
): Promise<boolean> {
  try {
    const parts = token.split(".");
    if (parts.length !== 3) return false;
    const [headerPart, payloadPart, signaturePart] = parts as [string, string, string];
    const header = decodeJson(headerPart);
    const claims = decodeJson(payloadPart);
    const signature = fromBase64Url(signaturePart);
    if (!header || !claims || !signature || header.alg !== "RS256" || typeof header.kid !== "string") return false;
    if (!claimsHold(claims, settings, nowMs / 1000)) return false;
    const jwk = (await keys(settings.teamDomain)).find((key) => key.kid === header.kid && key.kty === "RSA");
    if (!jwk?.n || !jwk.e) return false;
    const key = await crypto.subtle.importKey("jwk", { kty: "RSA", n: jwk.n, e: jwk.e }, { name: "RSASSA-PKCS1-v1_5", hash: "SHA-256" }, false, ["verify"]);
    const signed = new TextEncoder().encode(`${headerPart}.${payloadPart}`);
    return await crypto.subtle.verify("RSASSA-PKCS1-v1_5", key, signature, signed);
  } catch {
    return false;
  }
}

/** Issuer, audience and times (exp required, as Access always sets it). */
function claimsHold(claims: Record<string, unknown>, settings: AccessSettings, now: number): boolean {
  const { iss, aud, exp, nbf, iat } = claims;
  const audiences = Array.isArray(aud) ? aud : [aud];
  return (
    iss === `https://${settings.teamDomain}` &&
    audiences.includes(settings.audience) &&
    typeof exp === "number" &&
    now < exp + CLOCK_TOLERANCE_S &&
    (nbf === undefined || (typeof nbf === "number" && now >= nbf - CLOCK_TOLERANCE_S)) &&
    (iat === undefined || (typeof iat === "number" && now >= iat - CLOCK_TOLERANCE_S))
  );
}

function decodeJson(part: string): Record<string, unknown> | null {
  const bytes = fromBase64Url(part);
  if (!bytes) return null;
  const value: unknown = JSON.parse(new TextDecoder().decode(bytes));
  return isRecord(value) ? value : null;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
