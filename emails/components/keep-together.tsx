/**
 * Line breaks a reader should never see in an email, where `text-wrap` is not supported:
 * a short name split across lines (机器之心 as 机器／之心), and a pull quote's last line
 * holding one character and the closing marks (「…不能功／利。」). Both are kept together
 * with a `white-space: nowrap` span, which every client honours; the plain-text part is
 * unchanged (a span adds no text).
 */
import { Fragment, type ReactNode } from "react";

/** Names longer than this may wrap like any text: a nowrap run must never overflow a phone's line. */
const SHORT_NAME = 12;

const together = (text: string, key: string | number) => (
  <span key={key} style={{ whiteSpace: "nowrap" }}>
    {text}
  </span>
);

const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/** `text` with every occurrence of one of the short `names` unbreakable. */
export function keepNames(text: string, names: readonly string[]): ReactNode {
  const short = [...new Set(names)].filter((name) => name.length >= 2 && name.length <= SHORT_NAME).sort((a, b) => b.length - a.length);
  if (short.length === 0) return text;
  const parts = text.split(new RegExp(`(${short.map(escapeRegExp).join("|")})`, "u"));
  return parts.map((part, index) => (index % 2 === 1 ? together(part, index) : <Fragment key={index}>{part}</Fragment>));
}

/**
 * A pull quote whose last two characters stay on one line with the marks after them, so
 * the last line never holds a single character ("…不能功" + "利。」" → "…不能" + "功利。」").
 */
export function withoutOrphan(text: string, names: readonly string[] = []): ReactNode {
  const match = /[^\s，。！？；：、」』）”]{2}[，。！？；：、」』）”…—]*$/u.exec(text);
  if (!match || match.index === 0) return keepNames(text, names);
  return (
    <>
      {keepNames(text.slice(0, match.index), names)}
      {together(match[0], "end")}
    </>
  );
}
