/**
 * Stands in for `postal-mime` in the Worker bundle (wrangler.toml [alias]). The resend
 * SDK imports it statically only to parse inbound emails (`emails.receiving`), which
 * this app never does; the real parser is ~22 KiB gzip.
 */
export default class PostalMime {
  static parse(): never {
    throw new Error("postal-mime is not bundled in the Worker: inbound email parsing is not supported");
  }
}
