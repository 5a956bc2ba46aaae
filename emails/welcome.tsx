/**
 * Sent once a reader confirms: the subscription is live, when the first email comes, and
 * the latest edition of each digest (its web version) to read now. Digests with
 * `welcome: false` (content/digests/*.yaml) are left out; none left, no welcome email.
 */
import { ActionButton } from "./components/action-button.tsx";
import { Block } from "./components/block.tsx";
import { EmailLayout } from "./components/email-layout.tsx";
import { Footer, parseMailFrom } from "./components/footer.tsx";
import { Header } from "./components/header.tsx";
import { Prose } from "./components/prose.tsx";
import { themes } from "./theme.ts";
import { spaceCjkLatin } from "../src/text/cjk-spacing.ts";

export interface WelcomeDigest {
  title: string;
  /** The schedule in words, e.g. 每周一 08:00（北京时间）. */
  schedule: string;
  /** Web version of the digest's latest edition; null before its first edition. */
  latestEditionUrl: string | null;
}

export interface WelcomeProps {
  siteUrl: string;
  mailFrom: string;
  digests: WelcomeDigest[];
  /** When the first digest email comes, e.g. 12 月 7 日（周一）08:00（北京时间）收到第一封「每周精选」; null when unknown. */
  firstEmail: string | null;
  preferencesUrl: string;
  unsubscribeUrl: string;
}

const theme = themes.classic;

export function welcomeSubject(mailFrom: string): string {
  return `欢迎订阅「${parseMailFrom(mailFrom).name}」`;
}

export default function Welcome({ siteUrl, mailFrom, digests, firstEmail, preferencesUrl, unsubscribeUrl }: WelcomeProps) {
  const site = parseMailFrom(mailFrom).name;
  const firstLine = firstEmail ? `你将在 ${firstEmail}。` : "你订阅的简报一有新内容就会按计划发出。";
  return (
    <EmailLayout theme={theme} title={welcomeSubject(mailFrom)} preheader={spaceCjkLatin(`订阅已生效。${firstLine}`)}>
      <Header theme={theme} kicker={site} title="欢迎订阅" />
      <Block theme={theme} className="em-pad" style={{ padding: "16px 32px 8px" }}>
        <Prose theme={theme}>{spaceCjkLatin(`你的订阅已生效，感谢订阅${site}。${firstLine}`)}</Prose>
        {digests.map((digest) => (
          <Block key={digest.title} theme={theme} style={{ padding: "4px 0 12px" }}>
            <Prose theme={theme}>
              <strong>「{digest.title}」</strong> {digest.schedule}
            </Prose>
            {digest.latestEditionUrl ? (
              <Block theme={theme} style={{ padding: "0 0 8px" }}>
                <ActionButton theme={theme} href={digest.latestEditionUrl} label={`阅读最近一期「${digest.title}」`} />
              </Block>
            ) : (
              <Prose theme={theme} muted>
                第一期发出后会直接送到你的邮箱。
              </Prose>
            )}
          </Block>
        ))}
      </Block>
      <Footer
        theme={theme}
        mailFrom={mailFrom}
        reason="你收到这封邮件，是因为你刚刚确认了订阅。每封简报邮件的末尾都有退订和管理订阅的链接。"
        links={[
          { label: "管理订阅", href: preferencesUrl },
          { label: "退订", href: unsubscribeUrl },
          { label: "访问网站", href: `${siteUrl}/` },
        ]}
      />
    </EmailLayout>
  );
}

Welcome.PreviewProps = {
  siteUrl: "http://localhost:8787",
  mailFrom: "AI 前沿精选 <digest@example.com>",
  digests: [
    { title: "每周精选", schedule: "每周一 08:00（北京时间）", latestEditionUrl: "http://localhost:8787/digests/weekly/editions/weekly-2026-11-30" },
    { title: "访谈精选", schedule: "每周五 09:00（北京时间）", latestEditionUrl: null },
  ],
  firstEmail: "12 月 7 日（周一）08:00（北京时间）收到第一封「每周精选」",
  preferencesUrl: "http://localhost:8787/preferences?token=preview",
  unsubscribeUrl: "http://localhost:8787/unsubscribe?token=preview",
} satisfies WelcomeProps;
