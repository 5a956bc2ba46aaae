/**
 * Packages the Worker never calls are aliased to stubs in wrangler.toml [alias], and the
 * test pool reads that file: these imports resolve exactly as in the deployed bundle.
 */
// @ts-expect-error: html-to-text ships no types.
import { convert } from "html-to-text";
import PostalMime from "postal-mime";
import { createElement } from "react";
import * as reactDomServer from "react-dom/server.edge";
import * as sax from "sax";
import { describe, expect, it } from "vitest";

describe("bundle stubs", () => {
  it("postal-mime is the stub: inbound parsing fails loudly instead of half-working", () => {
    expect(() => PostalMime.parse("From: a@example.com\r\n\r\nhi")).toThrow(/postal-mime is not bundled/);
  });

  it("html-to-text is the stub: text parts come from emailPlainText", () => {
    expect(() => convert("<p>x</p>")).toThrow(/html-to-text is not bundled/);
  });

  it("react-dom/server.edge renders whole documents as React Email reads them; the legacy string renderer is not bundled", async () => {
    expect("renderToString" in reactDomServer).toBe(false);
    const stream = await reactDomServer.renderToReadableStream(createElement("p", { lang: "zh-CN" }, "你好，", "世界"));
    await stream.allReady;
    expect(await new Response(stream).text()).toBe('<p lang="zh-CN">你好，<!-- -->世界</p>');
  });

  it("sax is the stub: XML parsing fails loudly", () => {
    expect(() => sax.parser(true, {})).toThrow(/sax is not bundled/);
  });
});
