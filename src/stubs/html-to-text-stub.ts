/**
 * Stands in for `html-to-text` in the Worker bundle (wrangler.toml [alias]).
 * @react-email/render imports it statically for `render(…, { plainText: true })` and
 * `toPlainText`, which this app never calls: text parts come from email-plain-text.ts.
 * The real one and its HTML parser are ~50 KiB gzip.
 */
export function convert(): never {
  throw new Error("html-to-text is not bundled in the Worker: derive text parts with emailPlainText (src/email/email-plain-text.ts)");
}
