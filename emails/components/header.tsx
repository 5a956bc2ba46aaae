/** Masthead: optional "view in browser" line, kicker, title. The agenda layout draws it on an accent band. */
import { Heading } from "@react-email/heading";
import { Link } from "@react-email/link";
import { Section } from "@react-email/section";
import { Text } from "@react-email/text";
import type { Theme } from "../theme.ts";
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
  const ink = band ? light.onAccent : light.text;
  return (
    <>
      {webVersionUrl ? (
        <Section className="em-pad" style={{ padding: "12px 32px 0", textAlign: "right" }}>
          <Link className={DARK.muted} href={webVersionUrl} style={{ fontSize: "12px", color: light.muted, textDecoration: "underline" }}>
            在浏览器中查看
          </Link>
        </Section>
      ) : null}
      <Section
        className={band ? `em-pad ${DARK.band}` : "em-pad"}
        style={{
          padding: band ? "28px 32px" : "20px 32px 8px",
          ...(band ? { backgroundColor: light.accent, color: ink, marginTop: "12px" } : {}),
        }}
      >
        <Text
          className={band ? DARK.onAccent : DARK.accent}
          style={{ margin: 0, fontSize: "13px", letterSpacing: "0.08em", color: band ? ink : light.accent }}
        >
          {kicker}
        </Text>
        <Heading
          as="h1"
          className={band ? `em-title ${DARK.onAccent}` : `em-title ${DARK.text}`}
          style={{
            margin: "8px 0 0",
            fontFamily: typography.heading,
            fontSize: `${typography.titleSize}px`,
            lineHeight: 1.35,
            fontWeight: 700,
            color: ink,
          }}
        >
          {title}
        </Heading>
        {band ? null : (
          <div className={DARK.band} style={{ width: "48px", height: "3px", backgroundColor: light.accent, marginTop: "16px" }} />
        )}
      </Section>
    </>
  );
}
