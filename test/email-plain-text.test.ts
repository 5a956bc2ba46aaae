/**
 * The text part of every email comes from emailPlainText, which replaced html-to-text
 * (kept out of the Worker bundle). It must give what html-to-text gave with
 * @react-email/render's selectors and ours: the reference runs here, installed a second
 * time as `html-to-text-reference` (an npm alias of the same version) because the bare name
 * is aliased to a stub (wrangler.toml [alias]).
 */
import { plainTextSelectors } from "@react-email/render";
import { describe, expect, it } from "vitest";
// @ts-expect-error: html-to-text ships no types; only `convert(html, options)` is used.
import { convert } from "html-to-text-reference";
import { themeNames } from "../emails/theme.ts";
import { items } from "../src/content/collection.ts";
import { digests } from "../src/digests/catalog.ts";
import { emailPlainText } from "../src/email/email-plain-text.ts";
import { renderDigest } from "../src/digests/render-digest.ts";
import { renderConfirmation, renderUnsubscribed } from "../src/email/render-transactional.ts";
import { selectItems } from "../src/digests/select.ts";

/** The options src/digests/email-renderer.ts passed to toPlainText before. */
const HTML_TO_TEXT_OPTIONS = {
  wordwrap: false,
  selectors: [
    ...plainTextSelectors,
    { selector: "h1", options: { uppercase: false } },
    { selector: "h2", options: { uppercase: false } },
    { selector: "h3", options: { uppercase: false } },
    { selector: "table", format: "block" },
    { selector: "tr", format: "block" },
    { selector: "td", format: "block" },
    { selector: "[data-text-line]", format: "block" },
  ],
};

function reference(html: string): string {
  const text: string = convert(html, HTML_TO_TEXT_OPTIONS);
  return text.replace(/^[ \t\u00a0]+$/gm, "").replace(/\n{3,}/g, "\n\n").trim();
}

const site = { url: "http://example.com", mailFrom: "AI 前沿精选 <digest@example.com>" };
const edition = { id: "2026-11-30-weekly", date: "2026-11-30" };

describe("emailPlainText", () => {
  it("gives html-to-text's text for every digest in every theme, before and after its events, and the transactional emails", async () => {
    const htmls: string[] = [];
    for (const digest of digests) {
      for (const theme of [undefined, ...themeNames]) {
        // 2020: the WAIC forum is still ahead (countdown, calendar); 2026: a recap.
        for (const now of [new Date("2020-11-30T00:00:00Z"), new Date("2026-11-30T00:00:00Z")]) {
          htmls.push((await renderDigest(digest, selectItems(digest, items, null), edition, site, now, theme ? { theme } : {})).html);
        }
      }
      htmls.push((await renderDigest(digest, [], edition, site, new Date())).html);
    }
    htmls.push((await renderConfirmation({ confirmUrl: `${site.url}/confirm?a=1&b="2"`, siteUrl: site.url, mailFrom: site.mailFrom, digestTitles: ["每周精选"] })).html);
    htmls.push((await renderUnsubscribed({ siteUrl: site.url, mailFrom: site.mailFrom, resubscribeUrl: `${site.url}/#subscribe` })).html);
    expect(htmls.length).toBeGreaterThan(20);
    for (const html of htmls) expect(emailPlainText(html)).toBe(reference(html));
  });

  const cases: [string, string, string][] = [
    ["only the body, no comments or styles", "<html><head><title>T</title></head><body><!--[if mso]><p>mso</p><![endif]--><style>p{color:red}</style><p>a</p></body></html>", "a"],
    ["blocks and line breaks", "<body><h1>标题</h1><p>一<br/>二</p><div>x</div><div>y</div><table><tbody><tr><td>c1</td></tr><tr><td>c2</td></tr></tbody></table></body>", "标题\n\n一\n二\n\nx\ny\n\nc1\n\nc2"],
    ["whitespace collapses, &nbsp; stays, spacer lines go", "<body><p>  a \n\t b\u200bc  </p><p>&nbsp;</p><p>d&nbsp;e</p></body>", "a b c\n\nd\u00a0e"],
    ["entities React writes, and numeric ones", "<body><p>&amp;&lt;&gt;&quot;&#x27;&#8212;&#x4e2d;&nbsp;x</p></body>", "&<>\"'—中\u00a0x"],
    [
      "links: label and address, the address once, mailto dropped, no href",
      '<body><p><a href="https://x.test/a?b=1&amp;c=2">读 <strong>全文</strong></a></p><p><a href="https://x.test/">https://x.test/</a></p><p><a href="mailto:ops@x.test">写信</a></p><p><a href="https://x.test/e"><img alt="i" src="i.png"/></a></p><p><a>无链接</a></p></body>',
      "读 全文 https://x.test/a?b=1&c=2\n\nhttps://x.test/\n\n写信 ops@x.test\n\nhttps://x.test/e\n\n无链接",
    ],
    ["skipped elements and text lines", '<body><div data-skip-in-text="true">preheader <a href="https://x.test/">x</a></div><p><span data-text-line="">a</span><span data-skip-in-text="true"> · </span><span data-text-line="">b</span></p></body>', "a\n\nb"],
    ["text-only elements are kept although hidden", '<body><p>正文</p><div style="display:none">----</div><p>下一项</p></body>', "正文\n\n----\n\n下一项"],
  ];
  it.each(cases)("%s", (_name, html, expected) => {
    expect(emailPlainText(html)).toBe(expected);
    expect(emailPlainText(html)).toBe(reference(html));
  });

  it("leaves named entities React never writes as they are (no entity table in the bundle)", () => {
    expect(emailPlainText("<body><p>&copy; 2026</p></body>")).toBe("&copy; 2026");
  });
});
