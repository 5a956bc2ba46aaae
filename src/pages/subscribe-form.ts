/** The subscribe form shown on the home page; works without JavaScript (plain form POST). */
import { html } from "hono/html";

export const subscribeForm = () => html`<form class="subscribe" id="subscribe" method="post" action="/api/subscribe">
  <label for="subscribe-email">邮件订阅精选摘要</label>
  <input id="subscribe-email" name="email" type="email" required autocomplete="email" placeholder="you@example.com" />
  <button type="submit">订阅</button>
</form>`;
