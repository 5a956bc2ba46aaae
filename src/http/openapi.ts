/**
 * The operator API as an OpenAPI 3.1 document, generated from the zod schemas the
 * routes validate with (src/http/operator-schemas.ts): never a hand-kept copy of them.
 * Built once per isolate, on the first request for it.
 */
import * as z from "zod/mini";
import { publication } from "../feeds/publication.ts";
import { IMPORT_MAX_BYTES, sendRequest, subscriberListQuery } from "./operator-schemas.ts";

type JsonSchema = Record<string, unknown>;

/** JSON Schema of what a client sends (input side: before defaults and transforms). */
export const requestSchema = (schema: z.ZodMiniType): JsonSchema => z.toJSONSchema(schema, { io: "input" }) as JsonSchema;

function queryParameters(schema: z.ZodMiniObject): JsonSchema[] {
  const json = requestSchema(schema) as { properties?: Record<string, JsonSchema>; required?: string[] };
  return Object.entries(json.properties ?? {}).map(([name, property]) => ({
    name,
    in: "query",
    required: json.required?.includes(name) ?? false,
    schema: property,
  }));
}

const pathParameter = (name: string, description: string) => ({ name, in: "path", required: true, description, schema: { type: "string" } });

const errorResponse = (description: string) => ({
  description,
  content: { "application/json": { schema: { $ref: "#/components/schemas/Error" } } },
});

const jsonResponse = (description: string) => ({ description, content: { "application/json": { schema: { type: "object" } } } });

/** What every operation may answer about the token itself (src/http/admin-auth.ts). */
const tokenResponses = {
  "401": errorResponse("missing or wrong bearer token"),
  "429": errorResponse("`too_many_failed_attempts`: this client failed too often (API and console together); see `Retry-After`"),
  "503": errorResponse("`weak_secret`: in production, ADMIN_TOKEN or SIGNING_SECRET is shorter than 32 bytes or a development default"),
};

export function buildOperatorApiDocument(): JsonSchema {
  return {
    openapi: "3.1.0",
    info: {
      title: `${publication.title} operator API`,
      version: "1",
      description: "Subscribers, digest sends and feed readers. Every operation needs `Authorization: Bearer <ADMIN_TOKEN>`. The console at /admin uses the same operations.",
    },
    security: [{ operatorToken: [] }],
    components: {
      securitySchemes: { operatorToken: { type: "http", scheme: "bearer", description: "the ADMIN_TOKEN secret" } },
      schemas: {
        Error: {
          type: "object",
          required: ["error"],
          properties: {
            error: { type: "object", required: ["code", "message"], properties: { code: { type: "string" }, message: { type: "string" } } },
          },
        },
      },
    },
    paths: {
      "/api/subscribers": {
        get: {
          operationId: "listSubscribers",
          summary: "Subscribers by id, one page at a time",
          parameters: queryParameters(subscriberListQuery),
          responses: { "200": jsonResponse("`{ subscribers, nextCursor }`"), "400": errorResponse("a query parameter is wrong"), ...tokenResponses },
        },
      },
      "/api/subscribers.csv": {
        get: {
          operationId: "exportSubscribers",
          summary: "Every subscriber as CSV",
          responses: { "200": { description: "CSV with header email,status,digests,consent_at,consent_source,created_at", content: { "text/csv": { schema: { type: "string" } } } }, ...tokenResponses },
        },
      },
      "/api/subscribers/import": {
        post: {
          operationId: "importSubscribers",
          summary: "Import consented subscribers from CSV",
          requestBody: {
            required: true,
            content: { "text/csv": { schema: { type: "string", description: "header `email,consent[,digests]`", maxLength: IMPORT_MAX_BYTES } } },
          },
          responses: {
            "200": jsonResponse("`{ rows, created, existing, skippedUnsubscribed, skippedSuppressed, skipped: [{ line, status }], rejected: [{ line, reason, readerReason }] }` (`readerReason`: the same in Chinese, CSV names and values in backticks): only new addresses are created"),
            "400": errorResponse("the CSV or its header is malformed"),
            ...tokenResponses,
            "413": errorResponse(`larger than ${IMPORT_MAX_BYTES / (1024 * 1024)} MB, or more rows than one request may write`),
            "415": errorResponse("not text/csv"),
            "503": errorResponse("interrupted: `notImportedFromLine` and the `report` say what was written; send the same CSV again"),
          },
        },
      },
      "/api/subscribers/{email}": {
        delete: {
          operationId: "eraseSubscriber",
          summary: "Erase a subscriber and their history",
          parameters: [pathParameter("email", "the subscriber's address")],
          responses: { "204": { description: "erased" }, ...tokenResponses, "404": errorResponse("no such subscriber") },
        },
      },
      "/api/sends": {
        post: {
          operationId: "send",
          summary: "Open and send today's edition, describe it (dryRun) or send one test copy (testTo)",
          requestBody: { required: true, content: { "application/json": { schema: requestSchema(sendRequest) } } },
          responses: {
            "200": jsonResponse("dry run or test copy"),
            "202": jsonResponse("`{ edition, recipients }`: the edition is being sent"),
            "400": errorResponse("a field is wrong"),
            ...tokenResponses,
            "404": errorResponse("unknown digest"),
            "409": errorResponse("today's edition already opened, or nothing new (send force: true)"),
          },
        },
      },
      "/api/sends/{edition}": {
        get: {
          operationId: "getEdition",
          summary: "An edition's status, delivery counts, failures per kind (permanent, temporary) and who failed why",
          parameters: [pathParameter("edition", "edition id, e.g. weekly-2026-11-29")],
          responses: { "200": jsonResponse("`{ edition, status, error, counts, failedByKind, bounced, complained, failures: [{ email, reason, kind }], … }`"), ...tokenResponses, "404": errorResponse("no such edition") },
        },
      },
      "/api/sends/{edition}/retry-failed": {
        post: {
          operationId: "retryFailed",
          summary: "Send the edition again to its temporarily failed recipients only (permanent failures are never retried)",
          parameters: [pathParameter("edition", "edition id")],
          responses: {
            "200": jsonResponse("nothing to retry (no temporary failure): `{ edition, recipients: 0 }`"),
            "202": jsonResponse("`{ edition, recipients }` requeued"),
            ...tokenResponses,
            "404": errorResponse("no such edition"),
            "409": errorResponse("the edition is still being queued"),
          },
        },
      },
      "/api/sends/{edition}/resume": {
        post: {
          operationId: "resumeEdition",
          summary: "Re-enqueue an interrupted send at once, under its original idempotency keys",
          parameters: [pathParameter("edition", "edition id")],
          responses: {
            "200": jsonResponse("nothing was waiting: `{ edition, requeued, failedStale, fanOutResumed, status }`"),
            "202": jsonResponse("`{ edition, requeued: { batches, recipients }, failedStale, fanOutResumed, status }`"),
            ...tokenResponses,
            "404": errorResponse("no such edition"),
          },
        },
      },
      "/api/feeds/audience": {
        get: {
          operationId: "feedAudience",
          summary: "RSS readers per day (30 days), by reader service and feed on the newest day, and live WebSub subscriptions",
          responses: {
            "200": jsonResponse(
              "`{ daily: [{ day, readers, serviceSubscribers, otherClients }], latest: { day, readers, services: [{ service, subscribers }], otherClients, feeds: [{ feed, readers }] }, websub: { subscriptions, topics: [{ topic, subscriptions }] } }`",
            ),
            ...tokenResponses,
          },
        },
      },
    },
  };
}

let built: string | null = null;

/** The document as JSON text, built on first use. */
export function operatorApiJson(): string {
  built ??= JSON.stringify(buildOperatorApiDocument());
  return built;
}
