/**
 * Scrapes flatten Chinese punctuation to ASCII ("研究院,探索" for "研究院，探索"). Restores
 * the full-width form of , : ; ? ! ( ) and double quotes where they touch Chinese text, and
 * leaves Latin runs alone ("Guo-Jun Qi", "17:39:41", "https://…", "99.1%").
 */
const CJK = /[\p{Script=Han}\u3000-\u303F\uFF00-\uFFEF]/u;
const HAN = /\p{Script=Han}/u;
const FULL_WIDTH: Record<string, string> = { ",": "，", ":": "：", ";": "；", "?": "？", "!": "！" };
const isCjk = (c: string | undefined) => c !== undefined && CJK.test(c);

/** "(…)" next to Chinese or holding Chinese: "SysML(机器学习系统)", "「技术成就奖」(Technical Achievement Award)". */
function restoreBrackets(text: string): { text: string; changes: number } {
  let changes = 0;
  const out = text.replace(/\(([^()\n]*)\)/g, (whole, inner: string, at: number) => {
    const before = text[at - 1];
    const after = text[at + whole.length];
    // "](" is a Markdown link target, never prose.
    if (before === "]") return whole;
    if (!HAN.test(inner) && !isCjk(before) && !isCjk(after)) return whole;
    changes += 2;
    return `（${inner}）`;
  });
  return { text: out, changes };
}

/** , : ; ? ! with a Chinese character (or full-width mark) on either side. */
function restoreMarks(text: string): { text: string; changes: number } {
  let changes = 0;
  const chars = [...text];
  const out: string[] = [];
  for (let i = 0; i < chars.length; i++) {
    const c = chars[i] ?? "";
    const wide = FULL_WIDTH[c];
    if (!wide || !(isCjk(out.at(-1)) || isCjk(chars[i + 1]))) {
      out.push(c);
      continue;
    }
    out.push(wide);
    changes += 1;
    // Full-width , : ; carry their own spacing: "研究院, 探索" → "研究院，探索".
    if (",:;".includes(c)) {
      let j = i + 1;
      while (chars[j] === " ") j++;
      if (j > i + 1 && isCjk(chars[j])) i = j - 1;
    }
  }
  return { text: out.join(""), changes };
}

/** "…" around Chinese text becomes “…”. */
function restoreQuotes(text: string): { text: string; changes: number } {
  let changes = 0;
  const out = text.replace(/"([^"\n]+)"/g, (whole, inner: string) => {
    if (!HAN.test(inner)) return whole;
    changes += 2;
    return `“${inner}”`;
  });
  return { text: out, changes };
}

/** A flattened ellipsis next to Chinese ("尝试......有", "面目全非...", "好…") becomes "……". */
function restoreEllipsis(text: string): { text: string; changes: number } {
  let changes = 0;
  const out = text.replace(/\.{3,}|。{3,}|(?<!…)…(?!…)/g, (dots: string, at: number) => {
    if (!isCjk(text[at - 1]) && !isCjk(text[at + dots.length])) return dots;
    changes += 1;
    return "……";
  });
  return { text: out, changes };
}

/** The text with full-width punctuation restored, and how many marks changed. */
export function restorePunctuation(text: string): { text: string; changes: number } {
  const ellipsis = restoreEllipsis(text);
  const brackets = restoreBrackets(ellipsis.text);
  const quotes = restoreQuotes(brackets.text);
  const marks = restoreMarks(quotes.text);
  return { text: marks.text, changes: ellipsis.changes + brackets.changes + quotes.changes + marks.changes };
}
