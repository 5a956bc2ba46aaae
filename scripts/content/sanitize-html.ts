/**
 * The HTML an item may carry, checked by the content build: the HTML rendered from an item's
 * Markdown goes through sanitize-html with one allow-list of tags, attributes and URL schemes,
 * and whatever the sanitizer would drop is refused rather than silently removed, so the
 * author learns which construct broke the rule. The feeds have no Content-Security-Policy and
 * many feed readers render item HTML as it is: nothing outside this list may reach them.
 *
 * What counts as dropped is decided by the sanitizer, not by patterns here: the input and the
 * sanitizer's output are parsed with the sanitizer's own parser (htmlparser2) and compared
 * element by element. Build time only, like compile.ts: the Worker never imports it.
 */
import { Parser } from "htmlparser2";
import sanitizeHtml, { type IOptions } from "sanitize-html";

/** What Markdown (GFM) renders, and the figure markup of compile.ts. */
const ALLOWED_TAGS = [
  ...["p", "br", "hr", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "pre", "ul", "ol", "li"],
  ...["a", "em", "strong", "del", "code", "sup", "sub"],
  ...["table", "thead", "tbody", "tr", "th", "td", "figure", "figcaption"],
];

/** http, https and mailto; a relative URL (a path on this site, a #fragment) has no scheme and is allowed. */
const ALLOWED_SCHEMES = ["http", "https", "mailto"];

const OPTIONS: IOptions = {
  allowedTags: ALLOWED_TAGS,
  allowedAttributes: { a: ["href", "title"], ol: ["start"], th: ["align"], td: ["align"], figure: ["class"], code: ["class"] },
  allowedClasses: { figure: ["figure"], code: ["language-*"] },
  allowedSchemes: ALLOWED_SCHEMES,
  allowedSchemesAppliedToAttributes: ["href"],
  // `//host/path` leaves the site without saying how: write the scheme.
  allowProtocolRelative: false,
  disallowedTagsMode: "discard",
};

/** One thing the parser met: an element with its attributes, or markup that is not an element. */
interface Construct {
  name: string;
  attributes: Record<string, string>;
  /** How the construct is named in a build error. */
  shown: string;
}

const MAX_SHOWN = 80;
const clip = (text: string) => (text.length > MAX_SHOWN ? `${text.slice(0, MAX_SHOWN)}…` : text);
const showAttribute = (name: string, value: string) => `${name}=${JSON.stringify(clip(value))}`;
const showElement = (name: string, attributes: Record<string, string>) =>
  `<${[name, ...Object.entries(attributes).map(([a, v]) => showAttribute(a, v))].join(" ")}>`;

function constructsOf(html: string): Construct[] {
  const found: Construct[] = [];
  const other = (shown: string) => found.push({ name: "", attributes: {}, shown: clip(shown) });
  const parser = new Parser({
    onopentag: (name, attributes) => found.push({ name, attributes, shown: showElement(name, attributes) }),
    oncomment: (data) => other(`<!--${data}-->`),
    onprocessinginstruction: (_name, data) => other(`<${data}>`),
  });
  parser.write(html);
  parser.end();
  return found;
}

/** What the sanitizer took away from `kept`, the element of the input it left in its output. */
function removedAttributes(input: Construct, kept: Construct): string[] {
  return Object.entries(input.attributes)
    .filter(([name, value]) => kept.attributes[name] !== value)
    .map(([name, value]) =>
      name === "href"
        ? `link ${showAttribute(name, value)} on <${input.name}> (allowed: ${ALLOWED_SCHEMES.join(", ")} and relative URLs)`
        : `attribute ${showAttribute(name, value)} on <${input.name}>`,
    );
}

export interface SanitizedHtml {
  /** The sanitizer's output: what the item carries. */
  html: string;
  /** Each construct outside the allow-list, named; empty when the input passed untouched. */
  refused: string[];
}

/**
 * Sanitizes `html` and names what the sanitizer removed. The sanitizer never adds an element,
 * so walking both element lists in order pairs each kept element with its input.
 */
export function sanitizeItemHtml(html: string): SanitizedHtml {
  const clean = sanitizeHtml(html, OPTIONS);
  const input = constructsOf(html);
  const output = constructsOf(clean);
  const refused: string[] = [];
  let next = 0;
  for (const construct of input) {
    const kept = output[next];
    if (construct.name !== "" && kept?.name === construct.name) {
      refused.push(...removedAttributes(construct, kept));
      next += 1;
    } else {
      refused.push(construct.name === "" ? `markup ${construct.shown}` : `element ${construct.shown}`);
    }
  }
  return { html: clean, refused };
}
