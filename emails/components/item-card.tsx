/**
 * One item of a digest. The theme's layout decides the emphasis: pull quotes first
 * (`quotes`), event facts first (`agenda`) or a compact card (`list`).
 */
import { Heading } from "@react-email/heading";
import { Link } from "@react-email/link";
import { Section } from "@react-email/section";
import { Text } from "@react-email/text";
import type { Theme } from "../theme.ts";
import { DARK } from "./email-layout.tsx";

export interface DigestEmailItem {
  title: string;
  /** Absolute URL of the full article on the site. */
  url: string;
  summary: string;
  /** "author · source · date". */
  byline: string;
  highlights: string[];
  event?: {
    /** e.g. 2021 年 7 月 8 日—10 日 */
    dates: string;
    sessions: { date: string; title: string }[];
    topics: string[];
    prizes: string[];
  };
}

function PullQuote({ theme, text, large }: { theme: Theme; text: string; large: boolean }) {
  const { light, typography } = theme;
  return (
    <Text
      className={`${DARK.tint} ${DARK.text} ${DARK.border}`}
      style={{
        margin: "0 0 14px",
        padding: large ? "14px 18px" : "8px 14px",
        backgroundColor: light.tint,
        borderLeft: `4px solid ${light.accent}`,
        borderColor: light.accent,
        fontFamily: typography.quote,
        fontSize: large ? `${typography.baseSize + 3}px` : `${typography.baseSize}px`,
        lineHeight: 1.7,
        color: light.text,
      }}
    >
      {text}
    </Text>
  );
}

function Fact({ theme, label, children }: { theme: Theme; label: string; children: string }) {
  const { light } = theme;
  return (
    <Text className={DARK.text} style={{ margin: "0 0 8px", fontSize: "14px", lineHeight: 1.7, color: light.text }}>
      <strong className={DARK.accent} style={{ color: light.accent }}>
        {`${label}：`}
      </strong>
      {children}
    </Text>
  );
}

function EventFacts({ theme, event }: { theme: Theme; event: NonNullable<DigestEmailItem["event"]> }) {
  return (
    <Section className={DARK.tint} style={{ backgroundColor: theme.light.tint, padding: "14px 18px", margin: "0 0 16px", borderRadius: "4px" }}>
      <Fact theme={theme} label="日期">
        {event.dates}
      </Fact>
      {event.sessions.map((session) => (
        <Fact key={`${session.date}${session.title}`} theme={theme} label="日程">
          {`${session.date}　${session.title}`}
        </Fact>
      ))}
      {event.topics.length > 0 ? (
        <Fact theme={theme} label="议题">
          {event.topics.join("、")}
        </Fact>
      ) : null}
      {event.prizes.length > 0 ? (
        <Fact theme={theme} label="奖品">
          {event.prizes.join("、")}
        </Fact>
      ) : null}
    </Section>
  );
}

export function ItemCard({ theme, item }: { theme: Theme; item: DigestEmailItem }) {
  const { light, typography } = theme;
  const layout = theme.layout;
  const quotes = layout === "list" ? item.highlights.slice(0, 1) : item.highlights;
  const body = { margin: "0 0 14px", fontSize: `${typography.baseSize}px`, lineHeight: typography.lineHeight, color: light.text };
  const summary = (
    <Text className={DARK.text} style={body}>
      {item.summary}
    </Text>
  );
  const highlights = quotes.map((quote) => <PullQuote key={quote} theme={theme} text={quote} large={layout === "quotes"} />);
  return (
    <Section
      className={`em-pad ${DARK.border}`}
      style={{
        padding: "20px 32px 8px",
        ...(layout === "list" ? { borderTop: `1px solid ${light.border}`, borderColor: light.border } : {}),
      }}
    >
      <Heading
        as="h2"
        style={{ margin: "0 0 6px", fontFamily: typography.heading, fontSize: `${typography.baseSize + 4}px`, lineHeight: 1.45 }}
      >
        <Link className={DARK.text} href={item.url} style={{ color: light.text, textDecoration: "none" }}>
          {item.title}
        </Link>
      </Heading>
      <Text className={DARK.muted} style={{ margin: "0 0 14px", fontSize: "13px", color: light.muted }}>
        {item.byline}
      </Text>
      {item.event ? <EventFacts theme={theme} event={item.event} /> : null}
      {layout === "quotes" ? (
        <>
          {highlights}
          {summary}
        </>
      ) : (
        <>
          {summary}
          {highlights}
        </>
      )}
      <Text style={{ margin: "0 0 12px", fontSize: "15px" }}>
        <Link className={DARK.accent} href={item.url} style={{ color: light.accent, fontWeight: 700, textDecoration: "underline" }}>
          {item.event ? "查看活动详情与报名方式 →" : "在网站上阅读全文 →"}
        </Link>
      </Text>
    </Section>
  );
}
