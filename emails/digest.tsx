/** A digest edition, in any theme: the theme's tokens and layout variant decide the look. */
import { Block } from "./components/block.tsx";
import { EmailLayout } from "./components/email-layout.tsx";
import { Footer, parseMailFrom } from "./components/footer.tsx";
import { Header } from "./components/header.tsx";
import { ItemCard, type DigestEmailEvent, type DigestEmailItem } from "./components/item-card.tsx";
import { Prose } from "./components/prose.tsx";
import { themes, type ThemeName } from "./theme.ts";
import { items as collection } from "../src/content/collection.ts";
import { beijingDate } from "../src/text/beijing-time.ts";
import { digests, getDigest } from "../src/digests/catalog.ts";
import { digestEmailProps } from "../src/digests/digest-view.ts";
import { selectItems } from "../src/digests/select.ts";
import { spaceCjkLatin } from "../src/text/cjk-spacing.ts";

export type { DigestEmailEvent, DigestEmailItem };

export interface DigestEmailProps {
  theme: ThemeName;
  title: string;
  /** The edition's date, e.g. 2026 年 11 月 30 日. */
  dateLabel: string;
  preheader: string;
  /** Paragraphs of the digest's introduction. */
  intro: string[];
  items: DigestEmailItem[];
  mailFrom: string;
  /** All absolute. */
  links: { site: string; digests: string; webVersion: string; subscribe: string };
  /** The recipient's own links (absolute); null in the public web version, which offers "subscribe" instead. */
  recipient: { unsubscribe: string; preferences: string } | null;
}

export default function DigestEmail(props: DigestEmailProps) {
  const { theme: themeName, title, dateLabel, preheader, intro, items, mailFrom, links, recipient } = props;
  const theme = themes[themeName];
  const site = parseMailFrom(mailFrom).name;
  return (
    <EmailLayout theme={theme} title={`${title} · ${dateLabel} · ${site}`} preheader={preheader}>
      <Header theme={theme} kicker={`${site} · ${dateLabel}`} title={title} webVersionUrl={recipient ? links.webVersion : undefined} />
      <Block theme={theme} className="em-pad" style={{ padding: "20px 32px 4px" }}>
        {intro.map((paragraph) => (
          <Prose key={paragraph} theme={theme}>
            {paragraph}
          </Prose>
        ))}
        {items.length === 0 ? <Prose theme={theme}>本期暂无新内容。</Prose> : null}
      </Block>
      {items.map((item, index) => (
        <ItemCard key={item.url} theme={theme} item={item} position={index + 1} />
      ))}
      <Footer
        theme={theme}
        mailFrom={mailFrom}
        reason={
          spaceCjkLatin(recipient ? `你收到这封邮件，是因为你订阅了${site}的「${title}」。` : `这是${site}「${title}」的网页版。`)
        }
        links={[
          ...(recipient
            ? [
                { label: "退订", href: recipient.unsubscribe },
                { label: "管理订阅", href: recipient.preferences },
                // A reader of a forwarded copy gets the subscribe form, not the forwarder's links.
                { label: "被转发？订阅", href: links.subscribe },
              ]
            : [{ label: "订阅摘要", href: links.subscribe }]),
          { label: "全部摘要", href: links.digests },
          { label: "访问网站", href: links.site },
        ]}
      />
    </EmailLayout>
  );
}

/** `npm run email` shows the next edition of the interview digest, built from the real content. */
const previewSite = { url: "http://localhost:8787", mailFrom: "AI 前沿精选 <digest@example.com>" };
const previewDigest = getDigest("interview-highlights") ?? digests[0];
DigestEmail.PreviewProps = previewDigest
  ? digestEmailProps(
      previewDigest,
      selectItems(previewDigest, collection, null),
      { id: "next", date: beijingDate(new Date()) },
      previewSite,
      new Date(),
      { unsubscribeUrl: `${previewSite.url}/unsubscribe?token=preview`, preferencesUrl: `${previewSite.url}/preferences?token=preview` },
    )
  : undefined;
