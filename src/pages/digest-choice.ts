/**
 * The digests as a list of checkboxes, each with its title, its schedule in words and its
 * description: shared by the subscribe form and the preferences page.
 */
import { html } from "hono/html";
import type { Digest } from "../digests/catalog.ts";
import { scheduleInWords } from "../digests/describe-schedule.ts";
import type { Html } from "./layout.ts";

export const digestChoice = (catalog: readonly Digest[], checked: readonly string[]): Html =>
  html`${catalog.map(
    (digest) => html`<label class="choice"><input type="checkbox" name="digests" value="${digest.id}"${
      checked.includes(digest.id) ? html` checked` : ""
    } /><span><strong>${digest.title}</strong><span class="schedule">${scheduleInWords(digest)}</span>${
      digest.description ? html`<span class="description">${digest.description}</span>` : ""
    }</span></label>
`,
  )}`;
