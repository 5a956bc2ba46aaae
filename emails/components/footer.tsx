/** Sender identity, why the reader gets this mail, and the links that let them leave. */
import { Hr } from "@react-email/hr";
import { Link } from "@react-email/link";
import { Section } from "@react-email/section";
import { Text } from "@react-email/text";
import { parseMailFrom } from "../mail-from.ts";
import type { Theme } from "../theme.ts";
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
  const { light } = theme;
  const sender = parseMailFrom(mailFrom);
  const small = { fontSize: "13px", lineHeight: 1.7, color: light.muted, margin: "0 0 8px" };
  return (
    <Section className="em-pad" style={{ padding: "0 32px 28px" }}>
      <Hr className={DARK.border} style={{ borderColor: light.border, margin: "8px 0 20px" }} />
      <Text className={DARK.muted} style={small}>
        {reason}
      </Text>
      <Text className={DARK.muted} style={small}>
        {links.map((link, index) => (
          <span key={link.href}>
            {index > 0 ? " · " : ""}
            <Link className={DARK.accent} href={link.href} style={{ color: light.accent, textDecoration: "underline" }}>
              {link.label}
            </Link>
          </span>
        ))}
      </Text>
      <Text className={DARK.muted} style={{ ...small, margin: 0 }}>
        发件人：{sender.name}（{sender.address}）
      </Text>
    </Section>
  );
}
