/**
 * Stands in for `react-dom/server.edge` (and `react-dom/server`, which the workerd
 * condition resolves to the same file) in the Worker bundle (wrangler.toml [alias]).
 * React's entry also loads the legacy renderToString build, ~90 KiB minified, which
 * @react-email/render's edge build never calls: it renders with renderToReadableStream.
 * Same development/production switch as React's own entry (the production bundle keeps
 * one branch). CommonJS because React's builds are; paths because the package's exports
 * map does not list its cjs/ files.
 */
"use strict";

module.exports =
  process.env.NODE_ENV === "production"
    ? require("../../node_modules/react-dom/cjs/react-dom-server.edge.production.js")
    : require("../../node_modules/react-dom/cjs/react-dom-server.edge.development.js");
