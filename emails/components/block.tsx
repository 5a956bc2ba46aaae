/**
 * Table-based building blocks that Outlook for Windows (Word engine) lays out like
 * every other client: padding and backgrounds sit on cells (Word ignores them on
 * <table> and <div>), every text cell names its font, rules are table cells.
 */
import type { ReactNode } from "react";
import { MSO_FAREAST_FONT, type Theme } from "../theme.ts";
import type { CSSProperties } from "./mso.ts";

/** font-family plus the font Outlook for Windows uses for Chinese text. */
export function fontOf(stack: string): CSSProperties {
  const farEast = MSO_FAREAST_FONT[stack];
  return farEast ? { fontFamily: stack, msoFareastFontFamily: farEast } : { fontFamily: stack };
}

const tableAttributes = { role: "presentation", cellPadding: 0, cellSpacing: 0, border: 0 } as const;

export interface BlockProps {
  theme: Theme;
  /** Style of the cell: padding, background, borders. */
  style?: CSSProperties;
  className?: string;
  children: ReactNode;
}

/** A full-width row whose single cell carries the padding, the fill and the body font. */
export function Block({ theme, style, className, children }: BlockProps) {
  return (
    <table {...tableAttributes} width="100%" style={{ width: "100%" }}>
      <tbody>
        <tr>
          <td className={className} style={{ ...fontOf(theme.typography.body), ...style }}>
            {children}
          </td>
        </tr>
      </tbody>
    </table>
  );
}

/** Vertical space as a cell of fixed height: Outlook for Windows ignores margins on tables. */
export function Spacer({ theme, height }: { theme: Theme; height: number }) {
  return (
    <Block theme={theme} style={{ height: `${height}px`, fontSize: 0, lineHeight: 0, msoLineHeightRule: "exactly" }}>
      &nbsp;
    </Block>
  );
}

/** A horizontal rule as a filled cell: `<hr>` and bordered `<div>`s come out in Outlook's own colours and sizes. */
export function Rule({ color, className, width, height, margin }: { color: string; className: string; width?: number; height: number; margin: string }) {
  return (
    <table {...tableAttributes} width={width ?? "100%"} style={{ width: width ? `${width}px` : "100%", margin }}>
      <tbody>
        <tr>
          <td
            className={className}
            height={height}
            style={{ height: `${height}px`, fontSize: 0, lineHeight: 0, msoLineHeightRule: "exactly", backgroundColor: color }}
          >
            &nbsp;
          </td>
        </tr>
      </tbody>
    </table>
  );
}

/** The line between items, and before the footer, in the plain-text part. */
/** An element with this attribute stands on a line of its own in the plain-text part (src/email/email-plain-text.ts). */
export const TEXT_LINE_ATTRIBUTE = "data-text-line";

export const TEXT_SEPARATOR = "-".repeat(40);

/**
 * Text only the plain-text part shows (item numbers, separators): the text conversion
 * ignores CSS, every client hides it (`mso-hide` for Outlook for Windows).
 */
export function TextOnly({ inline, children }: { inline?: boolean; children: string }) {
  const hidden = { display: "none", maxHeight: 0, overflow: "hidden", msoHide: "all" } as const;
  return inline ? <span style={hidden}>{children}</span> : <div style={hidden}>{children}</div>;
}
