/** Pages answering what went wrong with a request or with the site itself. */
import { messagePage } from "./subscription-pages.ts";

/** A request the site cannot take (malformed, too large, of the wrong kind). */
export const requestProblemPage = (title: string, line: string) => messagePage(title, [line]);

/** A setting the operator must fix; the reader learns that it is not their fault. */
export const misconfiguredPage = (detail: string) =>
  messagePage("网站暂时无法提供这个页面", ["网站的配置不完整，管理员需要修正后才能恢复。请稍后再试。", `（${detail}）`]);

/** A path that exists, asked with a method it does not answer (405); `allowed` goes in the Allow header too. */
export const methodNotAllowedPage = (method: string, allowed: readonly string[]) =>
  messagePage("不支持这种请求方式", [`这个地址不接受 ${method} 请求，只接受 ${allowed.join("、")}。如果你是从链接或书签来的，请直接打开这个地址。`]);
