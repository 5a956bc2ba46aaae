/** Masthead: optional "view in browser" line, kicker, title. The agenda layout draws it on a band. */
import type { Theme } from "../theme.ts";
import { Block, fontOf, Rule, Spacer } from "./block.tsx";
import { DARK } from "./email-layout.tsx";

export interface HeaderProps {
  theme: Theme;
  /** Small line above the title: the publication and the date. */
  kicker: string;
  title: string;
  webVersionUrl?: string;
}

export function Header({ theme, kicker, title, webVersionUrl }: HeaderProps) {
  const { light, typography } = theme;
  const band = theme.layout === "agenda";
  const ink = band ? light.onBand : light.text;
  return (
    <>
      {webVersionUrl ? (
        <Block theme={theme} className="em-pad" style={{ padding: "12px 32px 0", textAlign: "right" }}>
          <a
            className={DARK.muted}
            href={webVersionUrl}
            style={{ ...fontOf(typography.body), fontSize: "14px", color: light.muted, textDecoration: "underline" }}
          >
            在浏览器中查看
          </a>
        </Block>
      ) : null}
      {band ? <Spacer theme={theme} height={12} /> : null}
      <Block
        theme={theme}
        className={band ? `em-pad ${DARK.band}` : "em-pad"}
        style={{ padding: band ? "28px 32px" : "20px 32px 8px", ...(band ? { backgroundColor: light.band } : {}) }}
      >
        <p
          className={band ? DARK.onBand : DARK.accent}
          style={{ ...fontOf(typography.body), margin: 0, fontSize: "14px", lineHeight: 1.6, letterSpacing: "0.08em", color: band ? ink : light.accent }}
        >
          {kicker}
        </p>
        <h1
          className={band ? `em-title ${DARK.onBand}` : `em-title ${DARK.text}`}
          style={{
            ...fontOf(typography.heading),
            margin: "8px 0 0",
            fontSize: `${typography.titleSize}px`,
            lineHeight: 1.35,
            fontWeight: 700,
            color: ink,
          }}
        >
          {title}
        </h1>
        {band ? null : <Rule color={light.accent} className={DARK.accentRule} width={48} height={3} margin="16px 0 0" />}
      </Block>
    </>
  );
}
