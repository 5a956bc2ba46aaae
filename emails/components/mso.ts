/**
 * Outlook for Windows (Word engine) ignores `max-width`, so the 600 px column needs
 * a fixed-width table that only Outlook sees, written as conditional comments.
 * React cannot emit comments: the layout renders an empty marker element where each
 * half goes, and the renderer (src/email/email-renderer.ts) expands the markers.
 */
import type { CSSProperties } from "react";

declare module "react" {
  interface CSSProperties {
    /** Font of Chinese text in Outlook for Windows. */
    msoFareastFontFamily?: string;
    /** Hides an element from Outlook for Windows, which ignores `display: none`. */
    msoHide?: "all";
    /** With `exactly`, Outlook for Windows keeps a cell's line-height (thin rules stay thin). */
    msoLineHeightRule?: "exactly";
  }
}

export type { CSSProperties };

/** Attribute of the marker elements; its value is a key of MSO_COLUMN. */
export const MSO_MARKER = "data-mso-column";

export const COLUMN_WIDTH = 600;

const MSO_COLUMN = {
  open:
    `<!--[if mso]><table role="presentation" align="center" width="${COLUMN_WIDTH}" cellpadding="0" cellspacing="0" border="0" ` +
    `style="width:${COLUMN_WIDTH}px"><tr><td width="${COLUMN_WIDTH}" style="width:${COLUMN_WIDTH}px"><![endif]-->`,
  close: "<!--[if mso]></td></tr></table><![endif]-->",
} as const;

const MARKER = new RegExp(`<span ${MSO_MARKER}="(open|close)"></span>`, "g");

/** Replaces the layout's markers with Outlook's conditional fixed-width table. */
export function expandMsoConditionals(html: string): string {
  return html.replace(MARKER, (_, half: keyof typeof MSO_COLUMN) => MSO_COLUMN[half]);
}
