/**
 * Stands in for `prettier/standalone` and `prettier/plugins/html` in the Worker
 * bundle (wrangler.toml [alias]). @react-email/render imports prettier statically
 * for its `pretty` option, which this app never uses; the real one is ~270 KB.
 */
export function format(): never {
  throw new Error("prettier is not bundled in the Worker: render emails without { pretty: true }");
}
