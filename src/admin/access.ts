/**
 * Optional production sign-in through Cloudflare Access: when ACCESS_TEAM_DOMAIN and
 * ACCESS_AUD are set, Access puts a JWT in `Cf-Access-Jwt-Assertion` on every request
 * it let through, and a token signed by the team's keys for this application's
 * audience counts as a session. Verified with hono's verifyWithJwks (WebCrypto, no JOSE
 * library in the bundle). The key source is injectable so tests verify against a locally
 * generated key pair and never reach the network.
 */
import { verifyWithJwks } from "hono/jwt";

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
  alg?: string;
}

/** Where the signing keys of a team come from: the `keys` of its JWKS. */
export type AccessKeySource = (teamDomain: string) => Promise<AccessJwk[]>;

/** How long fetched keys are trusted before they are fetched again (Access rotates every ~6 weeks, publishing the next key ahead). */
export const ACCESS_KEYS_TTL_MS = 10 * 60 * 1000;

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
  return isRecord(value) && ["kty", "kid", "n", "e", "alg"].every((name) => value[name] === undefined || typeof value[name] === "string");
}

export const remoteAccessKeys: AccessKeySource = createRemoteAccessKeys();

/** Access settings from the vars, or null when Access is not configured (both must be set). */
export function accessSettings(env: Pick<Env, "ACCESS_TEAM_DOMAIN" | "ACCESS_AUD">): AccessSettings | null {
  const teamDomain = (env.ACCESS_TEAM_DOMAIN ?? "").replace(/^https?:\/\//, "").replace(/\/+$/, "");
  const audience = env.ACCESS_AUD ?? "";
  return teamDomain && audience ? { teamDomain, audience } : null;
}

/**
 * True when the token is signed by one of the team's keys (RS256, the only algorithm Access
 * signs with), issued by the team, for this audience, and within its times. hono's
 * verifyWithJwks checks signature, kid, algorithm, issuer, audience, exp, nbf and iat;
 * Access always sets exp, so a token without one is refused here.
 */
export async function verifyAccessToken(token: string, settings: AccessSettings, keys: AccessKeySource): Promise<boolean> {
  try {
    const rsaKeys = (await keys(settings.teamDomain)).filter((key): key is AccessJwk & { kty: "RSA" } => key.kty === "RSA");
    const claims = await verifyWithJwks(token, {
      keys: rsaKeys,
      allowedAlgorithms: ["RS256"],
      verification: { iss: `https://${settings.teamDomain}`, aud: settings.audience },
    });
    return typeof claims.exp === "number";
  } catch {
    return false;
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
