/** The console's sign-in form: the operator token, posted to /admin/login. */
import { html } from "hono/html";
import type { Html } from "../../pages/layout.ts";
import { consoleLayout, notice } from "./admin-layout.ts";

export function loginPage(error: string | null, accessEnabled: boolean): Html {
  return consoleLayout(
    { title: "登录", signedIn: false },
    html`<h1>登录运营控制台</h1>
${notice(error, "error")}
<form method="post" action="/admin/login" class="panel">
  <p><label>运营令牌（<code>ADMIN_TOKEN</code>）<br /><input type="password" name="token" autocomplete="current-password" required size="40" /></label></p>
  <p><button type="submit">登录</button></p>
  <p class="meta">登录后会话有效 12 小时。${accessEnabled ? "已启用 Cloudflare Access：通过 Access 访问时无需令牌。" : ""}</p>
</form>`,
  );
}
