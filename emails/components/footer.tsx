/** Sender identity, why the reader gets this mail, and the links that let them leave. */
import { Fragment } from "react";
import { parseMailFrom } from "../mail-from.ts";
import type { Theme } from "../theme.ts";
import { Block, fontOf, Rule, TEXT_LINE_ATTRIBUTE, TEXT_SEPARATOR, TextOnly } from "./block.tsx";
import { DARK } from "./email-layout.tsx";

export { parseMailFrom };

export interface FooterLink {
  label: string;
  href: string;
}

export interface FooterProps {
  theme: Theme;
  /** "Name <address>" as in MAIL_FROM. */
  mailFrom: string;
  /** Why this mail arrived, e.g. "你收到这封邮件，是因为订阅了「每周精选」。" */
  reason: string;
  links: FooterLink[];
}


export function Footer({ theme, mailFrom, reason, links }: FooterProps) {
  const { light, typography } = theme;
  const sender = parseMailFrom(mailFrom);
  const small = { ...fontOf(typography.body), fontSize: "14px", lineHeight: 1.7, color: light.muted, margin: "0 0 8px" };
  return (
    <Block theme={theme} className="em-pad" style={{ padding: "8px 32px 28px" }}>
      <Rule color={light.border} className={DARK.rule} height={1} margin="0 0 20px" />
      <TextOnly>{TEXT_SEPARATOR}</TextOnly>
      <p className={DARK.muted} style={small}>
        {reason}
      </p>
      <p className={DARK.muted} style={small}>
        {links.map((link, index) => (
          <Fragment key={link.href}>
            {index > 0 ? <span data-skip-in-text="true"> · </span> : null}
            {/* A label never breaks in two; the line breaks between links. */}
            <span {...{ [TEXT_LINE_ATTRIBUTE]: "" }} style={{ whiteSpace: "nowrap" }}>
              <a className={DARK.accent} href={link.href} style={{ ...fontOf(typography.body), color: light.accent, textDecoration: "underline" }}>
                {link.label}
              </a>
            </span>
          </Fragment>
        ))}
      </p>
      <p className={DARK.muted} style={{ ...small, margin: 0 }}>
        发件人：{sender.name}（{sender.address}）
      </p>
    </Block>
  );
}
