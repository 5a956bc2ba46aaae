/**
 * Which callback URLs the hub will fetch. In production a callback must be https and must
 * not name a private, loopback, link-local or otherwise non-public address, so a
 * subscription cannot turn the hub into a way to reach internal services. What is checked
 * is the URL itself: literal IPv4 and IPv6 addresses and local names ("localhost",
 * "*.localhost", "*.local", "*.internal", single-label names). A public-looking name that
 * resolves to a private address cannot be checked here (Workers have no DNS API offline);
 * a Worker's fetch reaches only the public Internet, which is the remaining guard.
 * Development allows any http(s) callback, e.g. http://127.0.0.1:9000/ for a local subscriber.
 */

/** Longest callback or topic URL accepted (characters). */
export const MAX_URL_LENGTH = 2000;

const LOCAL_NAME = /(^|\.)(localhost|local|internal|localdomain|home\.arpa)$/;

function privateIpv4(host: string): boolean | null {
  const parts = host.split(".");
  if (parts.length !== 4 || !parts.every((p) => /^\d{1,3}$/.test(p))) return null;
  const [a, b] = parts.map(Number) as [number, number, number, number];
  return (
    a === 0 || // "this network"
    a === 10 ||
    a === 127 || // loopback
    (a === 100 && b >= 64 && b <= 127) || // carrier-grade NAT
    (a === 169 && b === 254) || // link-local
    (a === 172 && b >= 16 && b <= 31) ||
    (a === 192 && b === 168) ||
    (a === 192 && b === 0) || // IETF protocol assignments
    (a === 198 && (b === 18 || b === 19)) || // benchmarking
    a >= 224 // multicast, reserved, broadcast
  );
}

/** URL.hostname gives IPv6 in brackets, already normalised (e.g. "[::1]", "[::ffff:a00:1]"). */
function privateIpv6(host: string): boolean | null {
  if (!host.startsWith("[")) return null;
  const address = host.slice(1, -1).toLowerCase();
  if (address === "::" || address === "::1") return true;
  const mapped = /^::ffff:([0-9a-f]{1,4}):([0-9a-f]{1,4})$/.exec(address);
  if (mapped) {
    const high = parseInt(mapped[1]!, 16);
    const low = parseInt(mapped[2]!, 16);
    return privateIpv4(`${high >> 8}.${high & 255}.${low >> 8}.${low & 255}`);
  }
  const first = parseInt(address.split(":")[0] || "0", 16);
  return (
    (first & 0xfe00) === 0xfc00 || // unique local fc00::/7
    (first & 0xffc0) === 0xfe80 || // link-local fe80::/10
    (first & 0xff00) === 0xff00 || // multicast
    address.startsWith("64:ff9b:") || // NAT64 (embeds an IPv4 address)
    address.startsWith("::") // IPv4-compatible and other reserved forms
  );
}

/** Null when the hub may fetch the callback, else a sentence saying why not. */
export function callbackProblem(callback: string, environment: "development" | "production"): string | null {
  if (callback.length > MAX_URL_LENGTH) return `hub.callback is longer than ${MAX_URL_LENGTH} characters`;
  let url: URL;
  try {
    url = new URL(callback);
  } catch {
    return "hub.callback is not an absolute URL";
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") return "hub.callback must be an http(s) URL";
  if (url.username || url.password) return "hub.callback must not carry credentials";
  if (url.hash) return "hub.callback must not have a fragment";
  if (environment === "development") return null;
  if (url.protocol !== "https:") return "hub.callback must be an https URL";
  const host = url.hostname.toLowerCase().replace(/\.$/, "");
  const literal = privateIpv4(host) ?? privateIpv6(host);
  if (literal === true) return "hub.callback must not point at a private, loopback or link-local address";
  if (literal === null && (LOCAL_NAME.test(host) || !host.includes("."))) return "hub.callback must name a public host";
  return null;
}
