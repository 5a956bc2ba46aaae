/**
 * The subscribe form: which of the digests still offered (an ended one is not) and the
 * address. One digest is checked by default: the main one, or the one a link names
 * (`/?digest=weekly#subscribe`, as in a forwarded email); the others say what they add.
 * Works without JavaScript (plain form POST). `digests-offered` tells the route that the
 * reader saw the choice, so no box checked is a mistake to point out, not "every digest".
 */
import { html } from "hono/html";
import { mainDigest, offeredDigests, type Digest } from "../digests/catalog.ts";
import { digestChoice } from "./digest-choice.ts";

export const DIGESTS_OFFERED_FIELD = "digests-offered";

export interface SubscribeFormValues {
  email: string;
  digests: readonly string[];
}

export const subscribeForm = (
  catalog: readonly Digest[] = offeredDigests,
  values: SubscribeFormValues = { email: "", digests: mainDigest ? [mainDigest.id] : [] },
) => html`<form class="subscribe" id="subscribe" method="post" action="/api/subscribe">
  <h2>邮件订阅</h2>
  <p class="meta">精选简报按时发到你的邮箱。先发确认邮件，确认后才会开始发送；每封邮件都能一键退订。</p>
  <input type="hidden" name="${DIGESTS_OFFERED_FIELD}" value="1" />
  <fieldset>
    <legend>选择简报</legend>
    ${digestChoice(catalog, values.digests)}
  </fieldset>
  <label class="field" for="subscribe-email">你的邮箱</label>
  <div class="row">
    <input id="subscribe-email" name="email" type="email" required autocomplete="email" inputmode="email" placeholder="例如 name@qq.com" value="${values.email}" />
    <button class="primary" type="submit">订阅</button>
  </div>
</form>`;
