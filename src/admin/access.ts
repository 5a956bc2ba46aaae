/**
 * Optional production sign-in through Cloudflare Access: when ACCESS_TEAM_DOMAIN and
 * ACCESS_AUD are set, Access puts a JWT in `Cf-Access-Jwt-Assertion` on every request
 * it let through, and a token signed by the team's keys for this application's
 * audience counts as a session. The key source is injectable so tests verify against a
 * locally generated key pair and never reach the network.
 */
import { createRemoteJWKSet, jwtVerify, type JWTVerifyGetKey } from "jose";

export const ACCESS_JWT_HEADER = "Cf-Access-Jwt-Assertion";

export interface AccessSettings {
  /** e.g. "myteam.cloudflareaccess.com" */
  teamDomain: string;
  /** The Access application's audience tag. */
  audience: string;
}

/** Where the signing keys of a team come from. */
export type AccessKeySource = (teamDomain: string) => JWTVerifyGetKey;

const remoteKeySets = new Map<string, JWTVerifyGetKey>();

/** The team's published keys (jose caches and refreshes them), one key set per team per isolate. */
export const remoteAccessKeys: AccessKeySource = (teamDomain) => {
  let keys = remoteKeySets.get(teamDomain);
  if (!keys) {
    keys = createRemoteJWKSet(new URL(`https://${teamDomain}/cdn-cgi/access/certs`));
    remoteKeySets.set(teamDomain, keys);
  }
  return keys;
};

/** Access settings from the vars, or null when Access is not configured (both must be set). */
export function accessSettings(env: Pick<Env, "ACCESS_TEAM_DOMAIN" | "ACCESS_AUD">): AccessSettings | null {
  const teamDomain = (env.ACCESS_TEAM_DOMAIN ?? "").replace(/^https?:\/\//, "").replace(/\/+$/, "");
  const audience = env.ACCESS_AUD ?? "";
  return teamDomain && audience ? { teamDomain, audience } : null;
}

/** True when the token is signed by the team, issued by it, for this audience and unexpired. */
export async function verifyAccessToken(token: string, settings: AccessSettings, keys: AccessKeySource): Promise<boolean> {
  try {
    await jwtVerify(token, keys(settings.teamDomain), {
      issuer: `https://${settings.teamDomain}`,
      audience: settings.audience,
      algorithms: ["RS256"],
    });
    return true;
  } catch {
    return false;
  }
}
