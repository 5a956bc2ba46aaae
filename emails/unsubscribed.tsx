/** Confirms an unsubscribe and offers the way back. Nothing else is sent afterwards. */
import { ActionButton } from "./components/action-button.tsx";
import { Block } from "./components/block.tsx";
import { EmailLayout } from "./components/email-layout.tsx";
import { Footer, parseMailFrom } from "./components/footer.tsx";
import { Header } from "./components/header.tsx";
import { Prose } from "./components/prose.tsx";
import { themes } from "./theme.ts";
import { spaceCjkLatin } from "../src/text/cjk-spacing.ts";

export interface UnsubscribedProps {
  siteUrl: string;
  mailFrom: string;
  resubscribeUrl: string;
}

const theme = themes.classic;

export function unsubscribedSubject(mailFrom: string): string {
  return `你已退订「${parseMailFrom(mailFrom).name}」`;
}

export default function Unsubscribed({ siteUrl, mailFrom, resubscribeUrl }: UnsubscribedProps) {
  const site = parseMailFrom(mailFrom).name;
  return (
    <EmailLayout theme={theme} title={unsubscribedSubject(mailFrom)} preheader={spaceCjkLatin(`你已退订${site}，之后不会再收到简报邮件。`)}>
      <Header theme={theme} kicker={site} title="你已退订" />
      <Block theme={theme} className="em-pad" style={{ padding: "16px 32px 8px" }}>
        <Prose theme={theme}>{spaceCjkLatin(`你不会再收到${site}的简报邮件，这是我们发给你的最后一封信。`)}</Prose>
        <Prose theme={theme}>如果是误操作，点击「重新订阅」即可恢复。</Prose>
        <Block theme={theme} style={{ padding: "4px 0 20px" }}>
          <ActionButton theme={theme} href={resubscribeUrl} label="重新订阅" />
        </Block>
      </Block>
      <Footer
        theme={theme}
        mailFrom={mailFrom}
        reason="这是一封退订确认邮件，你的邮箱已从所有简报的收件人中移除。"
        links={[{ label: "访问网站", href: `${siteUrl}/` }]}
      />
    </EmailLayout>
  );
}

Unsubscribed.PreviewProps = {
  siteUrl: "http://localhost:8787",
  mailFrom: "AI 前沿精选 <digest@example.com>",
  resubscribeUrl: "http://localhost:8787/#subscribe",
} satisfies UnsubscribedProps;
