/** A digest edition, in any theme: the theme's tokens and layout variant decide the look. */
import { Block } from "./components/block.tsx";
import { EmailLayout } from "./components/email-layout.tsx";
import { Footer, parseMailFrom } from "./components/footer.tsx";
import { Header } from "./components/header.tsx";
import { ItemCard, type DigestEmailEvent, type DigestEmailItem } from "./components/item-card.tsx";
import { keepNames } from "./components/keep-together.tsx";
import { Prose } from "./components/prose.tsx";
import { themes, type ThemeName } from "./theme.ts";
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
  /** Items of the edition left out of this copy because they reached the reader in the last 14 days. */
  alreadySent?: number;
}

export default function DigestEmail(props: DigestEmailProps) {
  const { theme: themeName, title, dateLabel, preheader, intro, items, mailFrom, links, recipient, alreadySent } = props;
  const theme = themes[themeName];
  const site = parseMailFrom(mailFrom).name;
  // Short names a line must never split: the site, the digest, each item's author and source.
  const names = [site, title, ...items.flatMap((item) => item.byline)];
  return (
    <EmailLayout theme={theme} title={`${title} · ${dateLabel} · ${site}`} preheader={preheader}>
      <Header theme={theme} kicker={`${site} · ${dateLabel}`} title={title} webVersionUrl={recipient ? links.webVersion : undefined} />
      <Block theme={theme} className="em-pad" style={{ padding: "20px 32px 4px" }}>
        {intro.map((paragraph) => (
          <Prose key={paragraph} theme={theme}>
            {keepNames(paragraph, names)}
          </Prose>
        ))}
        {items.length === 0 ? <Prose theme={theme}>本期暂无新内容。</Prose> : null}
        {alreadySent ? <Prose theme={theme}>{`另有 ${alreadySent} 篇已在近 14 天的邮件中发给你，本期不再重复。`}</Prose> : null}
      </Block>
      {items.map((item, index) => (
        <ItemCard key={item.url} theme={theme} item={item} position={index + 1} names={names} />
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
            : [{ label: "订阅简报", href: links.subscribe }]),
          { label: "全部简报", href: links.digests },
          { label: "访问网站", href: links.site },
        ]}
      />
    </EmailLayout>
  );
}

/**
 * `npm run email` shows an edition of the interview digest. Sample props, written out: a
 * template is a leaf that src/ imports (src/digests/digest-view.ts builds the real props), so
 * it imports nothing from src/ that could import it back.
 */
const previewSite = "http://localhost:8787";
DigestEmail.PreviewProps = {
  theme: "highlights",
  title: "访谈精选",
  dateLabel: "2026 年 11 月 30 日",
  preheader: "张宏江认为，智源研究院将人工智能领域的优秀人才聚在一起，探索并成功找到一个能够产生原始创新与长期影响的领域…",
  intro: [
    "本期摘录机器之心对智源研究院理事长张宏江的专访。他谈到「智源模式」如何把优秀的青年科学家聚在一起，为什么把「大模型+大算力」作为探索通用人工智能的路径之一，以及科研资助为何不能功利。",
    "以下是访谈中的几句话，完整访谈请点击文末链接在网站上阅读。",
  ],
  items: [
    {
      title: "专访张宏江：「大模型+大算力」撑开深度学习瓶颈，中国也有做出全球顶尖研究的环境",
      url: `${previewSite}/articles/zhang-hongjiang-interview`,
      summary:
        "张宏江认为，智源研究院将人工智能领域的优秀人才聚在一起，探索并成功找到一个能够产生原始创新与长期影响的领域，即超大规模预训练模型；智源将围绕「悟道」巨模型构建生态系统，一方面不断去撑开深度学习的瓶颈，更重要的是这个探索表明，在中国同样有开放、自由、足以做出全球顶尖研究的环境。",
      byline: ["闻菲", "机器之心", "原文发表于 2021 年 10 月 18 日"],
      highlights: [
        "「我愿意将悟道 2.0 视为北京乃至中国人工智能发展的一座里程碑，它的成功表明，在中国同样有能够做出全球顶级研究的环境。」",
        "「只要将优秀的人聚在一起，建立一个开放和自由的环境，他们自然会发现有价值的问题并产出有影响的成果，甚至开创新的领域。」",
        "「投钱给科学是做公益，不能功利。」",
      ],
    },
  ],
  mailFrom: "AI 前沿精选 <digest@example.com>",
  links: {
    site: `${previewSite}/`,
    digests: `${previewSite}/digests`,
    webVersion: `${previewSite}/digests/interview-highlights/editions/next`,
    subscribe: `${previewSite}/?digest=interview-highlights#subscribe`,
  },
  recipient: { unsubscribe: `${previewSite}/unsubscribe?token=preview`, preferences: `${previewSite}/preferences?token=preview` },
} satisfies DigestEmailProps;
