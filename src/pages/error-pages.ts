/** Pages answering what went wrong with a request or with the site itself. */
import { html } from "hono/html";
import { layout } from "./layout.ts";
import { messagePage } from "./subscription-pages.ts";

/** A request the site cannot take (malformed, too large, of the wrong kind). */
export const requestProblemPage = (title: string, line: string) => messagePage(title, [line]);

/** A setting the operator must fix; the reader learns that it is not their fault, the operator what to fix (folded, in the log's words). */
export const misconfiguredPage = (detail: string) =>
  layout(
    { title: "网站暂时无法提供这个页面" },
    html`<h1>网站暂时无法提供这个页面</h1>
<p>网站的配置不完整，管理员需要修正后才能恢复。请稍后再试。</p>
<details><summary>给管理员的说明</summary><code>${detail}</code></details>
<ul class="links"><li><a href="/">返回首页</a></li></ul>`,
  );

/** A path that exists, asked with a method it does not answer (405); `allowed` goes in the Allow header too. */
export const methodNotAllowedPage = (method: string, allowed: readonly string[]) =>
  messagePage("不支持这种请求方式", [`这个地址不接受 ${method} 请求，只接受 ${allowed.join("、")}。如果你是从链接或书签来的，请直接打开这个地址。`]);
