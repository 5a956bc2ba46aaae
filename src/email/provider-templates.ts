/**
 * Content the provider stores once: a Resend template (created, then published) under an
 * alias the caller derives from the content, so every sender that needs the same content
 * names the same template. A digest batch then carries per email only its reader's
 * variables: about 1.2 KB instead of the whole 25 KB edition, so a batch of 100 is
 * ~120 KB, not 2.5 MB, and building and sending request bodies no longer bounds the send rate.
 *
 * Safe with any number of senders: a second create of the alias is refused and publishing
 * again changes nothing, so both converge on one published template. Each call goes
 * through the provider's window like any other request (it counts against the limit).
 */
import type { Config } from "../config.ts";
import { refusal, resendClient, timedOut, windowedCall, type ProviderRequest, type Refusal } from "./provider-batch.ts";

export interface TemplateSpec {
  /** Derived from the content: the same content always has the same alias. */
  alias: string;
  /** What the provider's dashboard lists. */
  name: string;
  html: string;
  text: string;
  /** Keys of the {{{KEY}}} variables in html and text; each is required at send time. */
  variables: readonly string[];
}

/**
 * Aliases asked for in this isolate, per account, with the answer: a success or a refusal (the provider
 * will not store it: asking again per batch would only spend requests) is remembered; a
 * 429, a timeout or a 5xx is forgotten, so the next batch tries again.
 */
const published = new Map<string, Promise<Refusal | null>>();
const PUBLISHED_MEMORY = 64;

const memoryKey = (resend: NonNullable<Config["resend"]>, alias: string) => `${resend.baseUrl ?? ""} ${resend.apiKey} ${alias}`;

/**
 * Forgets that these aliases were published: a batch naming them was refused, perhaps
 * because the template is gone (deleted in the provider's dashboard), so the next batch
 * creates and publishes them again.
 */
export function forgetTemplates(resend: NonNullable<Config["resend"]>, aliases: Iterable<string>): void {
  for (const alias of aliases) published.delete(memoryKey(resend, alias));
}

/** Resolves once the template is published (null), or with why it could not be. */
export function ensureTemplate(
  resend: NonNullable<Config["resend"]>,
  spec: TemplateSpec,
  request: Omit<ProviderRequest, "idempotencyKey">,
): Promise<Refusal | null> {
  const key = memoryKey(resend, spec.alias);
  let ready = published.get(key);
  if (!ready) {
    ready = createAndPublish(resend, spec, request);
    published.set(key, ready);
    void ready.then((problem) => problem && problem.kind !== "rejected" && published.delete(key));
    if (published.size > PUBLISHED_MEMORY) published.delete(published.keys().next().value ?? "");
  }
  return ready;
}

async function createAndPublish(
  resend: NonNullable<Config["resend"]>,
  { alias, name, html, text, variables }: TemplateSpec,
  request: Omit<ProviderRequest, "idempotencyKey">,
): Promise<Refusal | null> {
  const client = await resendClient(resend);
  const now = () => request.window.clock.now().getTime();
  const keys = variables.map((key) => ({ key, type: "string" as const }));
  const created = await windowedCall(request, async (signal) => client.templates.create({ name, alias, html, text, variables: keys }, { signal }));
  if (created === null) return timedOut(request.timeoutMs);
  if (created.error) {
    const problem = refusal(created.error, created.headers, now());
    // A refusal may mean the alias exists (another sender created it): publishing it is what is left to do.
    if (problem.kind !== "rejected") return problem;
  }
  const publishing = await windowedCall(request, (signal) => client.templates.publish(alias, { signal }));
  if (publishing === null) return timedOut(request.timeoutMs);
  return publishing.error ? refusal(publishing.error, publishing.headers, now()) : null;
}
