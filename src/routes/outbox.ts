/** Local outbox viewer, served only in development. */
import { html } from "hono/html";
import { factory } from "../http/app-env.ts";
import { listOutbox } from "../email/outbox-store.ts";
import { layout } from "../pages/layout.ts";

export const outbox = factory.createApp();

outbox.get("/", async (c) => {
  // Anywhere but development the outbox does not exist (it would show readers' mail).
  if (c.var.config.environment !== "development") {
    return c.notFound();
  }
  const messages = await listOutbox(c.env.DB);
  if (c.req.query("format") === "json") return c.json({ messages });
  return c.html(
    layout(
      { title: "本地发件箱" },
      html`<h1>本地发件箱</h1>
<p class="meta">未设置 RESEND_API_KEY 时，邮件存放在这里而不会发出。最新的在前，共 ${messages.length} 封。<a href="/outbox?format=json">JSON</a></p>
${messages.map(
  (message) => html`<article class="message" id="message-${message.id}">
  <h2>${message.subject}</h2>
  <p class="meta">收件人 <span class="to">${message.to}</span> · 发件人 ${message.from} · ${message.createdAt}</p>
  <details><summary>邮件头</summary><pre>${JSON.stringify(message.headers ?? {}, null, 2)}</pre></details>
  <iframe title="${message.subject}" sandbox="allow-popups allow-popups-to-escape-sandbox" srcdoc="${message.html}" style="width:100%;height:32rem;border:1px solid var(--line)"></iframe>
  <details><summary>纯文本</summary><pre class="text">${message.text}</pre></details>
</article>
`,
)}`,
    ),
  );
});
