/**
 * Time zones an event may name, with their UTC offset. Asia/Shanghai has had no daylight
 * saving since 1991, so one offset holds for every date an event can have here.
 * A module of its own: the Worker needs the offsets, not the build's zod schemas
 * (scripts/content/frontmatter-schema.ts), which would pull the whole of zod into the bundle.
 */
export const eventTimeZones = { "Asia/Shanghai": "+08:00" } as const;
