/** Double opt-in: the reader confirms the subscription before any digest is sent. */
import { ActionButton } from "./components/action-button.tsx";
import { Block, fontOf } from "./components/block.tsx";
import { DARK, EmailLayout } from "./components/email-layout.tsx";
import { Footer, parseMailFrom } from "./components/footer.tsx";
import { Header } from "./components/header.tsx";
import { Prose } from "./components/prose.tsx";
import { themes } from "./theme.ts";
import { spaceCjkLatin } from "../src/text/cjk-spacing.ts";

export interface ConfirmSubscriptionProps {
  confirmUrl: string;
  siteUrl: string;
  mailFrom: string;
  /** Titles of the digests the reader asked for. */
  digestTitles: string[];
}

const theme = themes.classic;

export function confirmSubject(mailFrom: string): string {
  return `请确认订阅「${parseMailFrom(mailFrom).name}」`;
}

export default function ConfirmSubscription({ confirmUrl, siteUrl, mailFrom, digestTitles }: ConfirmSubscriptionProps) {
  const site = parseMailFrom(mailFrom).name;
  return (
    <EmailLayout theme={theme} title={confirmSubject(mailFrom)} preheader={spaceCjkLatin(`点击「确认订阅」开始接收${site}的简报，链接 48 小时内有效。`)}>
      <Header theme={theme} kicker={site} title="请确认你的订阅" />
      <Block theme={theme} className="em-pad" style={{ padding: "16px 32px 8px" }}>
        <Prose theme={theme}>{spaceCjkLatin(`有人（希望是你）用这个邮箱订阅了${site}的以下简报：`)}</Prose>
        <Prose theme={theme}>{digestTitles.map((title) => `「${title}」`).join("、")}</Prose>
        <Prose theme={theme}>请点击「确认订阅」，确认之后才会收到简报邮件。</Prose>
        <Block theme={theme} style={{ padding: "4px 0 20px" }}>
          <ActionButton theme={theme} href={confirmUrl} label="确认订阅" />
        </Block>
        <Prose theme={theme} muted>
          链接 48 小时内有效。按钮无法点击时，请把这个地址复制到浏览器：
          <br />
          <a className={DARK.accent} href={confirmUrl} style={{ ...fontOf(theme.typography.body), color: theme.light.accent, wordBreak: "break-all" }}>
            {confirmUrl}
          </a>
        </Prose>
      </Block>
      <Footer
        theme={theme}
        mailFrom={mailFrom}
        reason="如果这不是你本人的操作，忽略这封邮件即可：不确认就不会收到任何简报。"
        links={[{ label: "访问网站", href: `${siteUrl}/` }]}
      />
    </EmailLayout>
  );
}

ConfirmSubscription.PreviewProps = {
  confirmUrl: "http://localhost:8787/confirm?token=preview-token",
  siteUrl: "http://localhost:8787",
  mailFrom: "AI 前沿精选 <digest@example.com>",
  digestTitles: ["访谈精选", "WAIC AI 开发者论坛", "每周精选"],
} satisfies ConfirmSubscriptionProps;
