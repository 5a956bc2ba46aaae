/**
 * The frame every email shares: zh-CN document (and a zh-CN wrapper, since Gmail
 * drops <html>), a <title>, colour-scheme metas, the dark and phone media queries,
 * the hidden preheader and a single column of at most 600 px (exactly 600 px in
 * Outlook for Windows, through the conditional table of ./mso.ts).
 * No external stylesheet or script: the only CSS is the <style> below and inline styles.
 */
import { Head } from "@react-email/head";
import { Html } from "@react-email/html";
import { Preview } from "@react-email/preview";
import type { ReactNode } from "react";
import type { Palette, Theme } from "../theme.ts";
import { fontOf } from "./block.tsx";
import { COLUMN_WIDTH, MSO_MARKER } from "./mso.ts";

/** Class names the dark-mode media query re-colours; inline styles carry the light palette. */
export const DARK = {
  background: "em-bg",
  surface: "em-surface",
  text: "em-text",
  muted: "em-muted",
  accent: "em-accent",
  /** Accent fill with its own text colour: buttons. */
  accentFill: "em-accent-fill",
  /** Accent fill of thin rules (no text). */
  accentRule: "em-accent-rule",
  /** The agenda header band and the text on it. */
  band: "em-band",
  onBand: "em-on-band",
  /** Fill of a rule in the border colour. */
  rule: "em-rule",
  border: "em-border",
  /** The accent bar left of a pull quote (`.em-border` would recolour it with the rest). */
  quoteBar: "em-quote-bar",
  tint: "em-tint",
} as const;

function darkModeCss(dark: Palette): string {
  return `@media (prefers-color-scheme: dark) {
  .${DARK.background} { background-color: ${dark.background} !important; }
  .${DARK.surface} { background-color: ${dark.surface} !important; }
  .${DARK.text} { color: ${dark.text} !important; }
  .${DARK.muted} { color: ${dark.muted} !important; }
  .${DARK.accent} { color: ${dark.accent} !important; }
  .${DARK.accentFill} { background-color: ${dark.accent} !important; color: ${dark.onAccent} !important; }
  .${DARK.accentRule} { background-color: ${dark.accent} !important; }
  .${DARK.band} { background-color: ${dark.band} !important; }
  .${DARK.onBand} { color: ${dark.onBand} !important; }
  .${DARK.rule} { background-color: ${dark.border} !important; }
  .${DARK.border} { border-color: ${dark.border} !important; }
  .${DARK.tint} { background-color: ${dark.tint} !important; }
  .${DARK.quoteBar} { border-left-color: ${dark.accent} !important; }
}
@media only screen and (max-width: 620px) {
  .em-pad { padding-left: 18px !important; padding-right: 18px !important; }
  .em-title { font-size: 22px !important; line-height: 1.4 !important; }
}`;
}

export interface EmailLayoutProps {
  theme: Theme;
  /** The document's <title>: what a browser tab or a client's "view source" shows. */
  title: string;
  preheader: string;
  children: ReactNode;
}

/** Where ./mso.ts puts the two halves of Outlook's fixed-width table. */
const MsoColumn = ({ half }: { half: "open" | "close" }) => <span {...{ [MSO_MARKER]: half }} />;

export function EmailLayout({ theme, title, preheader, children }: EmailLayoutProps) {
  const { light, typography } = theme;
  const body = { ...fontOf(typography.body), fontSize: `${typography.baseSize}px`, lineHeight: typography.lineHeight, color: light.text };
  return (
    <Html lang="zh-CN" dir="ltr">
      <Head>
        <title>{title}</title>
        <meta name="color-scheme" content="light dark" />
        <meta name="supported-color-schemes" content="light dark" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <style>{darkModeCss(theme.dark)}</style>
      </Head>
      <body className={DARK.background} style={{ margin: 0, padding: 0, backgroundColor: light.background, WebkitTextSizeAdjust: "100%" }}>
        {/* No `opacity` (the component's default): Outlook and Yahoo do not support it, display:none hides the line. */}
        <Preview style={{ display: "none", overflow: "hidden", lineHeight: "1px", maxHeight: 0, maxWidth: 0, msoHide: "all" }}>{preheader}</Preview>
        <div lang="zh-CN" dir="ltr" className={`${DARK.background} ${DARK.text}`} style={{ backgroundColor: light.background, ...body }}>
          <table role="presentation" width="100%" cellPadding={0} cellSpacing={0} border={0} style={{ width: "100%" }}>
            <tbody>
              <tr>
                <td className={`${DARK.background} ${DARK.text}`} align="center" style={{ padding: "24px 0", backgroundColor: light.background, ...body }}>
                  <MsoColumn half="open" />
                  <table
                    role="presentation"
                    align="center"
                    width="100%"
                    cellPadding={0}
                    cellSpacing={0}
                    border={0}
                    style={{ width: "100%", maxWidth: `${COLUMN_WIDTH}px`, margin: "0 auto" }}
                  >
                    <tbody>
                      <tr>
                        <td className={`${DARK.surface} ${DARK.text}`} align="left" style={{ backgroundColor: light.surface, borderRadius: "6px", ...body }}>
                          {children}
                        </td>
                      </tr>
                    </tbody>
                  </table>
                  <MsoColumn half="close" />
                </td>
              </tr>
            </tbody>
          </table>
        </div>
      </body>
    </Html>
  );
}
