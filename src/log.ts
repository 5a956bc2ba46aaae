/**
 * The Worker's one way to log: every line is one JSON object, `{ event, level, ...fields }`,
 * so Workers Logs (wrangler.toml [observability]) can filter by any field and `wrangler tail`
 * lines can be piped to jq. `event` is a stable kebab-case name; fields carry the ids and
 * counts. An Error in a field is written as its name, message and stack (JSON.stringify
 * alone would write `{}`).
 */
export type LogLevel = "info" | "warn" | "error";

export type LogFields = Record<string, unknown>;

/** One log line as written: exported for tests that read the lines back. */
export function logLine(event: string, level: LogLevel, fields: LogFields = {}): string {
  return JSON.stringify({ event, level, ...fields }, (_key, value: unknown) => (value instanceof Error ? describeError(value) : value));
}

function describeError(error: Error): Record<string, unknown> {
  const described: Record<string, unknown> = { name: error.name, message: error.message, stack: error.stack };
  if (error instanceof AggregateError) described.errors = error.errors;
  if (error.cause !== undefined) described.cause = error.cause;
  return described;
}

export const log = {
  info: (event: string, fields?: LogFields): void => console.log(logLine(event, "info", fields)),
  warn: (event: string, fields?: LogFields): void => console.warn(logLine(event, "warn", fields)),
  error: (event: string, fields?: LogFields): void => console.error(logLine(event, "error", fields)),
};
