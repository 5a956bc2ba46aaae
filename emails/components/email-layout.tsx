/**
 * The frame every email shares: zh-CN document, colour-scheme metas, the dark and
 * phone media queries, the hidden preheader and a single column of at most 600 px.
 * No external stylesheet or script: the only CSS is the <style> below and inline styles.
 */
import { Body } from "@react-email/body";
import { Container } from "@react-email/container";
import { Head } from "@react-email/head";
import { Html } from "@react-email/html";
import { Preview } from "@react-email/preview";
import type { ReactNode } from "react";
import type { Palette, Theme } from "../theme.ts";

/** Class names the dark-mode media query re-colours; inline styles carry the light palette. */
export const DARK = {
  background: "em-bg",
  surface: "em-surface",
  text: "em-text",
  muted: "em-muted",
  accent: "em-accent",
  band: "em-band",
  /** Text drawn on an accent fill: its own inline colour must flip with the fill. */
  onAccent: "em-on-accent",
  border: "em-border",
  tint: "em-tint",
} as const;

function darkModeCss(dark: Palette): string {
  return `@media (prefers-color-scheme: dark) {
  .${DARK.background}, body.${DARK.background} > table > tbody > tr > td { background-color: ${dark.background} !important; }
  .${DARK.surface} { background-color: ${dark.surface} !important; }
  .${DARK.text} { color: ${dark.text} !important; }
  .${DARK.muted} { color: ${dark.muted} !important; }
  .${DARK.accent} { color: ${dark.accent} !important; }
  .${DARK.band} { background-color: ${dark.accent} !important; color: ${dark.onAccent} !important; }
  .${DARK.onAccent} { color: ${dark.onAccent} !important; }
  .${DARK.border} { border-color: ${dark.border} !important; }
  .${DARK.tint} { background-color: ${dark.tint} !important; }
}
@media only screen and (max-width: 620px) {
  .em-pad { padding-left: 18px !important; padding-right: 18px !important; }
  .em-title { font-size: 22px !important; line-height: 1.4 !important; }
}`;
}

export interface EmailLayoutProps {
  theme: Theme;
  preheader: string;
  children: ReactNode;
}

export function EmailLayout({ theme, preheader, children }: EmailLayoutProps) {
  const { light, typography } = theme;
  return (
    <Html lang="zh-CN" dir="ltr">
      <Head>
        <meta name="color-scheme" content="light dark" />
        <meta name="supported-color-schemes" content="light dark" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <style>{darkModeCss(theme.dark)}</style>
      </Head>
      <Preview>{preheader}</Preview>
      <Body
        className={DARK.background}
        style={{
          backgroundColor: light.background,
          margin: 0,
          padding: "24px 0",
          fontFamily: typography.body,
          fontSize: `${typography.baseSize}px`,
          lineHeight: typography.lineHeight,
          color: light.text,
          WebkitTextSizeAdjust: "100%",
        }}
      >
        <Container
          className={DARK.surface}
          style={{ maxWidth: "600px", width: "100%", backgroundColor: light.surface, borderRadius: "6px" }}
        >
          {children}
        </Container>
      </Body>
    </Html>
  );
}
