/**
 * Chrome of the operator console: zh-CN document, a wide layout with tables and SVG
 * plots, light and dark palettes as CSS variables, and no inline script (the console's
 * only script is the same-origin /admin/assets/console.js, under a strict CSP).
 */
import { html, raw } from "hono/html";
import { digests } from "../../digests/catalog.ts";
import type { Edition } from "../../digests/editions-store.ts";
import type { DeliveryStatus } from "../../delivery/ledger-store.ts";
import { formatBeijingTime } from "../../text/beijing-time.ts";
import type { Html } from "../../pages/layout.ts";
import type { SubscriberStatus } from "../../subscribers/store.ts";

export const CONSOLE_TITLE = "运营控制台";
export const CONSOLE_SCRIPT_PATH = "/admin/assets/console.js";

export const SUBSCRIBER_STATUS_LABELS: Record<SubscriberStatus, string> = {
  pending: "待确认",
  active: "已订阅",
  unsubscribed: "已退订",
  suppressed: "已屏蔽",
};

/** Where consent was given, as the stored sources say it; any other text (an imported export's own) is shown as code. */
const CONSENT_SOURCE_LABELS: Record<string, string> = { "web form": "网页订阅表单", api: "订阅接口", "csv import": "CSV 导入" };

export const consentSourceLabel = (source: string | null): Html | string =>
  source === null ? "—" : (CONSENT_SOURCE_LABELS[source] ?? html`<code>${source}</code>`);

const EDITION_STATUS_LABELS: Record<Edition["status"], string> = { sending: "发送中", sent: "已发送", stopped: "已中止" };

/** An edition's state as an operator reads it: a finished edition with failures is 部分失败, with their count. */
export function editionStatusLabel(status: Edition["status"], counts: { failed: number }): string {
  if (status === "sent" && counts.failed > 0) return `部分失败（${formatCount(counts.failed)} 位未送达）`;
  return EDITION_STATUS_LABELS[status];
}

export const DELIVERY_STATUS_LABELS: Record<Exclude<DeliveryStatus, "sending">, string> = {
  queued: "排队中",
  sent: "已发送",
  failed: "失败",
  skipped: "已跳过",
};

const STYLE = `
:root{color-scheme:light dark;--bg:#fbfbfa;--fg:#1d1d1f;--muted:#62646a;--line:#d9d9de;--panel:#ffffff;--accent:#0b5cad;--danger:#b3261e;--ok:#1e7b34;
--plot-1:#1f6fd1;--plot-2:#1e8a4c;--plot-3:#c0631a;--plot-4:#b3261e;--plot-axis:#8a8d93;--plot-limit:#b3261e}
@media (prefers-color-scheme:dark){:root{--bg:#17181b;--fg:#e8e8ea;--muted:#a4a6ad;--line:#3a3c42;--panel:#202226;--accent:#7db4ff;--danger:#ff8a80;--ok:#7bd88f;
--plot-1:#7db4ff;--plot-2:#7bd88f;--plot-3:#ffb870;--plot-4:#ff8a80;--plot-axis:#6f727a;--plot-limit:#ff8a80}}
*{box-sizing:border-box}
body{margin:0;background:var(--bg);color:var(--fg);font:15px/1.6 -apple-system,BlinkMacSystemFont,"PingFang SC","Hiragino Sans GB","Noto Sans CJK SC","Source Han Sans SC","Microsoft YaHei","WenQuanYi Micro Hei",system-ui,sans-serif}
a{color:var(--accent)}
header.console{display:flex;flex-wrap:wrap;gap:.4rem 1.2rem;align-items:center;padding:.7rem 1.5rem;border-bottom:1px solid var(--line);background:var(--panel)}
header.console .name{font-weight:700;margin-right:auto;color:inherit;text-decoration:none}
header.console form{margin:0}
main{max-width:76rem;margin:0 auto;padding:0 1.5rem 3rem}
h1{font-size:1.5rem;margin:1.4rem 0 .6rem}h2{font-size:1.15rem;margin:1.8rem 0 .6rem}
.meta{color:var(--muted);font-size:.9rem}
/* A column holds a plot (min-width 34rem) in its panel: two columns only where both fit whole. */
.grid{display:grid;grid-template-columns:repeat(auto-fit,minmax(min(100%,37rem),1fr));gap:1.2rem;align-items:start}
.panel{background:var(--panel);border:1px solid var(--line);border-radius:8px;padding:1rem}
.cards{display:flex;flex-wrap:wrap;gap:.8rem}a.card{color:inherit;text-decoration:none}a.card:hover{border-color:var(--accent)}.card{background:var(--panel);border:1px solid var(--line);border-radius:8px;padding:.6rem 1rem;min-width:8rem}
.card b{display:block;font-size:1.5rem}.cards+.cards{margin-top:.8rem}
figure{margin:0}
table{border-collapse:collapse;width:100%;margin-bottom:1rem;font-size:.9rem;font-variant-numeric:tabular-nums}
th,td{border-bottom:1px solid var(--line);padding:.3rem .5rem;text-align:left;vertical-align:top}td.n,th.n{text-align:right}
figure{overflow-x:auto}.plot{width:100%;height:auto;max-width:640px;min-width:34rem;font-size:15px}.plot-label{fill:var(--muted)}.plot-grid{stroke:var(--line)}
.plot-threshold{stroke-dasharray:4 3;stroke-width:2}.plot circle:hover{r:6}
form.inline{display:inline}
input,select,button,textarea{font:inherit;padding:.35rem .6rem;border:1px solid var(--line);border-radius:6px;background:var(--panel);color:var(--fg)}
input,select,button,textarea{min-height:44px;max-width:100%}
input[type=checkbox],input[type=radio]{min-height:0;width:1.25rem;height:1.25rem;margin:0;accent-color:var(--accent)}
label:has(>input[type=checkbox]),label:has(>input[type=radio]){display:inline-flex;align-items:center;gap:.6rem;min-height:44px;cursor:pointer}
button:disabled,button[aria-disabled=true]{background:var(--line);border-color:var(--line);color:var(--muted);cursor:not-allowed;opacity:.8}
th{white-space:nowrap}
@media (max-width:48rem){
header.console{padding:.5rem 1rem}header.console a{display:inline-flex;align-items:center;min-height:44px}
main{padding:0 1rem 3rem}
table{display:block;overflow-x:auto;max-width:100%}
th,td{white-space:nowrap}td.prose{white-space:normal;min-width:14rem}
.grid{grid-template-columns:minmax(0,1fr)}
.filters label,.filters input,.filters select{width:100%}
}
button{cursor:pointer;background:var(--accent);color:var(--bg);border-color:var(--accent)}
button.danger{background:var(--danger);border-color:var(--danger)}button.secondary{background:var(--panel);color:var(--accent)}
.notice{padding:.6rem 1rem;border-radius:6px;border:1px solid var(--ok);margin:1rem 0}.notice.error{border-color:var(--danger)}
.over{color:var(--danger);font-weight:600}
iframe.preview{width:100%;height:36rem;border:1px solid var(--line);border-radius:6px;background:#fff}
pre.text{white-space:pre-wrap;max-height:36rem;overflow:auto;background:var(--panel);border:1px solid var(--line);border-radius:6px;padding:.8rem;font-size:.85rem}
progress{width:100%;height:1rem}
.filters{display:flex;flex-wrap:wrap;gap:.5rem;align-items:end}.filters label{display:flex;flex-direction:column;font-size:.85rem;color:var(--muted)}
`;

export interface ConsolePage {
  title: string;
  /** Signed-in pages show the navigation and sign-out. */
  signedIn?: boolean;
  /** Extra <head> content, e.g. a no-script refresh while an edition is sending. */
  head?: Html;
}

export function consoleLayout(page: ConsolePage, content: Html): Html {
  const signedIn = page.signedIn ?? true;
  return html`<!doctype html>
<html lang="zh-CN">
<head>
<meta charset="utf-8" />
<meta name="viewport" content="width=device-width, initial-scale=1" />
<meta name="robots" content="noindex" />
<title>${page.title} · ${CONSOLE_TITLE}</title>
<style>${raw(STYLE)}</style>
${page.head ?? ""}
<script src="${CONSOLE_SCRIPT_PATH}" defer></script>
</head>
<body>
<header class="console">
  <a class="name" href="/admin">${CONSOLE_TITLE}</a>
  ${
    signedIn
      ? html`<a href="/admin">概览</a>
  ${digests.map((digest) => html`<a href="/admin/digests/${digest.id}">${digest.title}${digest.ended ? "（已结束）" : ""}</a>`)}
  <a href="/admin/subscribers">订阅者</a>
  <a href="/api/openapi.json">API 文档（OpenAPI）</a>
  <form method="post" action="/admin/logout"><button class="secondary" type="submit">退出登录</button></form>
  <form method="post" action="/admin/logout-everywhere"><button class="secondary" type="submit">全部设备退出</button></form>`
      : ""
  }
</header>
<main>
${content}
</main>
</body>
</html>`;
}

export const formatCount = (n: number): string => n.toLocaleString("zh-CN");

/** 0.0031 → "0.31%". */
export const formatRate = (rate: number): string => `${(rate * 100).toFixed(2)}%`;

export const beijing = (iso: string | null): string => (iso ? formatBeijingTime(iso) : "—");

/** Text whose `backticked` parts (CSV column names and values, addresses, ids) are shown as code. */
export const withCode = (text: string): Html =>
  html`${text.split(/`([^`]*)`/).map((part, index) => (index % 2 === 1 ? html`<code>${part}</code>` : part))}`;

export function notice(text: string | null | undefined, kind: "ok" | "error" = "ok"): Html | string {
  if (!text) return "";
  return html`<p class="notice ${kind === "error" ? "error" : ""}" role="${kind === "error" ? "alert" : "status"}">${withCode(text)}</p>`;
}

/** A page that only says what happened (403, 404, 429, 501…). */
export function messagePage(title: string, text: string, signedIn = true): Html {
  return consoleLayout({ title, signedIn }, html`<h1>${title}</h1>
<p>${text}</p>
<p><a href="/admin">返回概览</a></p>`);
}
