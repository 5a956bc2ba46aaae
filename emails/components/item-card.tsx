/**
 * One item of a digest. The theme's layout decides the emphasis: pull quotes first
 * (`quotes`), event facts first (`agenda`) or a compact card (`list`).
 */
import { Text } from "@react-email/text";
import { Fragment } from "react";
import type { Theme } from "../theme.ts";
import { ActionButton } from "./action-button.tsx";
import { Block, fontOf, Spacer, TEXT_SEPARATOR, TextOnly } from "./block.tsx";
import { DARK } from "./email-layout.tsx";
import { keepNames, withoutOrphan } from "./keep-together.tsx";

/** An event as of the edition's send time (or a web version's request time); see src/digests/digest-view.ts. */
export interface DigestEmailEvent {
  phase: "upcoming" | "ongoing" | "ended";
  /** 活动预告, 活动进行中 or 活动回顾. */
  label: string;
  /** e.g. 2021年7月8日—10日, or 2026年12月10日 14:00—17:00（北京时间） */
  when: string;
  /** Past tense once ended ("本活动已于…举行。"), a countdown before it starts. */
  status: string;
  venue: string | null;
  sessions: { date: string; title: string }[];
  topics: string[];
  prizes: string[];
  /** Only while registration is open and the event names a registration URL. */
  registration: { url: string; deadline: string | null } | null;
  /** The item's .ics, absolute; null once the event has ended. */
  calendarUrl: string | null;
}

export interface DigestEmailItem {
  title: string;
  /** Absolute URL of the full article on the site. */
  url: string;
  summary: string;
  /** Author, source and date, shown joined by " · ", each short one kept on one line. */
  byline: string[];
  highlights: string[];
  event?: DigestEmailEvent;
}

/** A table cell, not a bordered <p>: Outlook for Windows drops padding and fills on paragraphs. */
function PullQuote({ theme, text, large, names }: { theme: Theme; text: string; large: boolean; names: readonly string[] }) {
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
        {withoutOrphan(text, names)}
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

/** The event block: every fact once; a recap once the event has ended, else when, where and how to take part. */
function EventFacts({ theme, event }: { theme: Theme; event: DigestEmailEvent }) {
  const { light } = theme;
  return (
    <Block theme={theme} className={DARK.tint} style={{ backgroundColor: light.tint, padding: "14px 18px 6px", borderRadius: "4px" }}>
      <p className={DARK.accent} style={{ ...fontOf(theme.typography.body), margin: "0 0 8px", fontSize: "14px", fontWeight: 700, letterSpacing: "1px", color: light.accent }}>
        {event.label}
      </p>
      <p className={DARK.text} style={{ ...fontOf(theme.typography.body), margin: "0 0 8px", fontSize: `${theme.typography.baseSize}px`, lineHeight: 1.7, color: light.text }}>
        {event.status}
      </p>
      {event.phase === "ended" ? null : (
        <Fact theme={theme} label="时间">
          {event.when}
        </Fact>
      )}
      {event.venue ? (
        <Fact theme={theme} label="地点">
          {event.venue}
        </Fact>
      ) : null}
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
      {event.registration?.deadline ? (
        <Fact theme={theme} label="报名截止">
          {event.registration.deadline}
        </Fact>
      ) : null}
      {event.registration ? (
        <p style={{ margin: "8px 0 12px" }}>
          <ActionButton theme={theme} href={event.registration.url} label="立即报名" />
        </p>
      ) : null}
      {event.calendarUrl ? (
        <p style={{ ...fontOf(theme.typography.body), margin: "0 0 8px", fontSize: "14px" }}>
          <a className={DARK.accent} href={event.calendarUrl} style={{ ...fontOf(theme.typography.body), color: light.accent, textDecoration: "underline" }}>
            添加到日历
          </a>
        </p>
      ) : null}
    </Block>
  );
}

/** `position` numbers the items in the plain-text part, where a separator line precedes each. */
/** `names`: the short names of the edition (site, digest, authors, sources), never broken across lines. */
export function ItemCard({ theme, item, position, names }: { theme: Theme; item: DigestEmailItem; position: number; names: readonly string[] }) {
  const { light, typography } = theme;
  const layout = theme.layout;
  const quotes = layout === "list" ? item.highlights.slice(0, 1) : item.highlights;
  const body = { ...fontOf(typography.body), margin: "0 0 14px", fontSize: `${typography.baseSize}px`, lineHeight: typography.lineHeight, color: light.text };
  const summary = (
    <p className={DARK.text} style={body}>
      {keepNames(item.summary, names)}
    </p>
  );
  const highlights = quotes.map((quote) => (
    <Fragment key={quote}>
      <PullQuote theme={theme} text={quote} large={layout === "quotes"} names={names} />
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
        {item.byline.map((part, index) => (
          <Fragment key={part}>
            {index > 0 ? " · " : ""}
            {keepNames(part, names)}
          </Fragment>
        ))}
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
          {item.event ? (item.event.phase === "ended" ? "在网站上阅读活动回顾 →" : "在网站上查看活动详情 →") : "在网站上阅读全文 →"}
        </a>
      </p>
    </Block>
  );
}
