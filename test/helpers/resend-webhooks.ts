/** Resend webhooks as the provider sends them: signed payloads of bounces and complaints, posted to the Worker. */
import { env } from "cloudflare:test";
import { call } from "../subscribe-helpers.ts";

/** Signs like Resend (Svix / Standard Webhooks): HMAC-SHA-256 over `${id}.${timestamp}.${body}`, key = base64 after "whsec_". */
async function sign(secret: string, id: string, timestamp: number, body: string): Promise<string> {
  const keyBytes = Uint8Array.from(atob(secret.replace(/^whsec_/, "")), (c) => c.charCodeAt(0));
  const key = await crypto.subtle.importKey("raw", keyBytes, { name: "HMAC", hash: "SHA-256" }, false, ["sign"]);
  const mac = await crypto.subtle.sign("HMAC", key, new TextEncoder().encode(`${id}.${timestamp}.${body}`));
  return `v1,${btoa(String.fromCharCode(...new Uint8Array(mac)))}`;
}

export const now = () => Math.floor(Date.now() / 1000);
let eventCounter = 0;
export const freshEventId = () => `msg_${Date.now()}_${++eventCounter}`;

export function bounced(to: string, type = "Permanent") {
  return {
    type: "email.bounced",
    created_at: new Date().toISOString(),
    data: {
      created_at: new Date().toISOString(),
      email_id: "4ef9a417-02e9-4d39-ad75-9611e0fcc33c",
      from: "AI 前沿精选 <digest@example.com>",
      to: [to],
      subject: "每周精选",
      bounce: { message: "The recipient's mailbox does not exist.", subType: type === "Permanent" ? "General" : "MailboxFull", type },
    },
  };
}

export function complained(to: string) {
  return {
    type: "email.complained",
    created_at: new Date().toISOString(),
    data: { created_at: new Date().toISOString(), email_id: "e1", from: "x@example.com", to: [to], subject: "每周精选" },
  };
}

export async function deliver(
  payload: unknown,
  options: { id?: string; timestamp?: number; secret?: string; tamper?: (body: string) => string } = {},
) {
  const body = JSON.stringify(payload);
  const id = options.id ?? freshEventId();
  const timestamp = options.timestamp ?? now();
  const signature = await sign(options.secret ?? env.RESEND_WEBHOOK_SECRET, id, timestamp, body);
  return call("/webhooks/resend", {
    method: "POST",
    headers: {
      "Content-Type": "application/json",
      "svix-id": id,
      "svix-timestamp": String(timestamp),
      "svix-signature": signature,
    },
    body: options.tamper ? options.tamper(body) : body,
  });
}

