/** GET /api/openapi.json: the operator API's OpenAPI 3.1 document (public: it holds no data, only the API's shape). */
import { factory } from "../http/app-env.ts";
import { operatorApiJson } from "../http/openapi.ts";

export const openapi = factory.createApp();

openapi.get("/", (c) => c.body(operatorApiJson(), 200, { "Content-Type": "application/json; charset=utf-8", "Cache-Control": "public, max-age=300" }));
