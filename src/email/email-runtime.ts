/**
 * Everything React Email needs at render time, re-exported statically so the
 * bundler keeps only these names. email-renderer.ts imports this module lazily.
 * Templates import each component from its own package (@react-email/html, @react-email/text, …),
 * never the @react-email/components barrel: a lazily loaded module's `export *`
 * keeps every component of the barrel (Tailwind, code blocks, Markdown: ~1 MB).
 * @react-email/render is the same single copy that @react-email/components pins.
 */
export { createElement } from "react";
export { render } from "@react-email/render";
export { expandMsoConditionals } from "../../emails/components/mso.ts";
