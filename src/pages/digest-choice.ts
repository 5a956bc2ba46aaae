/**
 * The digests as a list of checkboxes, each with its title, its schedule in words, its
 * description and, for all but the main digest, what it adds to the main one: shared by
 * the subscribe form and the preferences page.
 */
import { html } from "hono/html";
import type { Digest } from "../digests/catalog.ts";
import { scheduleInWords } from "../digests/describe-schedule.ts";
import type { Html } from "./layout.ts";

/** The main digest first: the others are described by what they add to it. */
const mainFirst = (catalog: readonly Digest[]) => [...catalog].sort((a, b) => Number(b.main) - Number(a.main));

export const digestChoice = (catalog: readonly Digest[], checked: readonly string[]): Html =>
  html`${mainFirst(catalog).map(
    (digest) => html`<label class="choice"><input type="checkbox" name="digests" value="${digest.id}"${
      checked.includes(digest.id) ? html` checked` : ""
    } /><span><strong>${digest.title}</strong><span class="schedule">${scheduleInWords(digest)}</span>${
      digest.description ? html`<span class="description">${digest.description}</span>` : ""
    }${digest.adds ? html`<span class="description">加订：${digest.adds}</span>` : ""}</span></label>
`,
  )}`;
