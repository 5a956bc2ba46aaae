/** The one slug rule of items and digests: lower-case a-z and 0-9 words joined by single dashes (they are URL segments). */
import { z } from "zod";

export const slug = z.string().regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, "a lower-case slug of a-z, 0-9 and single dashes");
