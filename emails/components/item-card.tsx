/**
 * One item of a digest. The theme's layout decides the emphasis: pull quotes first
 * (`quotes`), event facts first (`agenda`) or a compact card (`list`).
 */
import { Text } from "@react-email/text";
import { Fragment } from "react";
import type { Theme } from "../theme.ts";
import { Block, fontOf, Spacer, TEXT_SEPARATOR, TextOnly } from "./block.tsx";
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

/** A table cell, not a bordered <p>: Outlook for Windows drops padding and fills on paragraphs. */
function PullQuote({ theme, text, large }: { theme: Theme; text: string; large: boolean }) {
  const { light, typography } = theme;
  return (
    <Block
      theme={theme}
      className={`${DARK.tint} ${DARK.quoteBar}`}
      style={{ padding: large ? "14px 18px" : "8px 14px", backgroundColor: light.tint, borderLeft: `4px solid ${light.accent}` }}
    >
      <p
        className={DARK.text}
        style={{
          ...fontOf(typography.quote),
          margin: 0,
          fontSize: large ? `${typography.baseSize + 3}px` : `${typography.baseSize}px`,
          lineHeight: 1.7,
          color: light.text,
        }}
      >
        {text}
      </p>
    </Block>
  );
}

function Fact({ theme, label, children }: { theme: Theme; label: string; children: string }) {
  const { light } = theme;
  return (
    <Text className={DARK.text} style={{ ...fontOf(theme.typography.body), margin: "0 0 8px", fontSize: `${theme.typography.baseSize}px`, lineHeight: 1.7, color: light.text }}>
      <strong className={DARK.accent} style={{ color: light.accent }}>
        {`${label}：`}
      </strong>
      {children}
    </Text>
  );
}

function EventFacts({ theme, event }: { theme: Theme; event: NonNullable<DigestEmailItem["event"]> }) {
  return (
    <Block theme={theme} className={DARK.tint} style={{ backgroundColor: theme.light.tint, padding: "14px 18px 6px", borderRadius: "4px" }}>
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
    </Block>
  );
}

/** `position` numbers the items in the plain-text part, where a separator line precedes each. */
export function ItemCard({ theme, item, position }: { theme: Theme; item: DigestEmailItem; position: number }) {
  const { light, typography } = theme;
  const layout = theme.layout;
  const quotes = layout === "list" ? item.highlights.slice(0, 1) : item.highlights;
  const body = { ...fontOf(typography.body), margin: "0 0 14px", fontSize: `${typography.baseSize}px`, lineHeight: typography.lineHeight, color: light.text };
  const summary = (
    <p className={DARK.text} style={body}>
      {item.summary}
    </p>
  );
  const highlights = quotes.map((quote) => (
    <Fragment key={quote}>
      <PullQuote theme={theme} text={quote} large={layout === "quotes"} />
      <Spacer theme={theme} height={14} />
    </Fragment>
  ));
  return (
    <Block
      theme={theme}
      className={`em-pad ${DARK.border}`}
      style={{
        padding: "20px 32px 8px",
        ...(layout === "list" ? { borderTop: `1px solid ${light.border}` } : {}),
      }}
    >
      {position > 1 ? <TextOnly>{TEXT_SEPARATOR}</TextOnly> : null}
      <h2 style={{ ...fontOf(typography.heading), margin: "0 0 6px", fontSize: `${typography.baseSize + 4}px`, lineHeight: 1.45 }}>
        <TextOnly inline>{`${position}. `}</TextOnly>
        <a className={DARK.text} href={item.url} style={{ ...fontOf(typography.heading), color: light.text, textDecoration: "none" }}>
          {item.title}
        </a>
      </h2>
      <p className={DARK.muted} style={{ ...fontOf(typography.body), margin: "0 0 14px", fontSize: "14px", lineHeight: 1.6, color: light.muted }}>
        {item.byline}
      </p>
      {item.event ? (
        <>
          <EventFacts theme={theme} event={item.event} />
          <Spacer theme={theme} height={16} />
        </>
      ) : null}
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
      <p style={{ ...fontOf(typography.body), margin: "0 0 12px", fontSize: `${typography.baseSize}px` }}>
        <a className={DARK.accent} href={item.url} style={{ ...fontOf(typography.body), color: light.accent, fontWeight: 700, textDecoration: "underline" }}>
          {item.event ? "查看活动详情与报名方式 →" : "在网站上阅读全文 →"}
        </a>
      </p>
    </Block>
  );
}
