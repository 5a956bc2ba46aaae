/**
 * An edition's content stored at the provider: each rendered variant (one per set of
 * items its readers get) becomes one template, named after the edition and a hash of the
 * content (src/email/provider-templates.ts), so every isolate and every retry names the
 * same one, and a batch carries only each reader's links.
 */
import { asTemplate, LINK_VARIABLES, type RenderedDigest } from "../digests/render-digest.ts";
import type { Config } from "../config.ts";
import type { ProviderRequest, Refusal } from "../email/provider-batch.ts";
import { ensureTemplate, type TemplateSpec } from "../email/provider-templates.ts";
import { sha256Hex } from "../text/sha256.ts";
import { log } from "../log.ts";

const specs = new WeakMap<RenderedDigest, Promise<TemplateSpec>>();

async function templateSpec(editionId: string, rendered: RenderedDigest): Promise<TemplateSpec> {
  const { html, text } = asTemplate(rendered);
  const hash = (await sha256Hex(`${html}\n${text}`)).slice(0, 16);
  return { alias: `${editionId}-${hash}`, name: `${editionId} ${hash}`, html, text, variables: Object.values(LINK_VARIABLES) };
}

/**
 * The template alias of each variant among `variants`, or the refusal to retry the batch
 * on (429, timeout, 5xx). A variant the provider will not store is left out: its copies
 * go with their content inline, as before templates.
 */
export async function storeEditionTemplates(
  resend: NonNullable<Config["resend"]>,
  editionId: string,
  variants: readonly RenderedDigest[],
  request: Omit<ProviderRequest, "idempotencyKey">,
): Promise<Map<RenderedDigest, string> | Refusal> {
  const aliases = new Map<RenderedDigest, string>();
  for (const variant of new Set(variants)) {
    let pending = specs.get(variant);
    if (!pending) {
      pending = templateSpec(editionId, variant);
      specs.set(variant, pending);
    }
    const spec = await pending;
    const problem = await ensureTemplate(resend, spec, request);
    if (problem === null) aliases.set(variant, spec.alias);
    else if (problem.kind === "rejected") log.warn("template-refused", { edition: editionId, alias: spec.alias, reason: problem.reason });
    else return problem;
  }
  return aliases;
}
