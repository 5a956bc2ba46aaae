/**
 * Email themes as data: colours, typography and a layout variant. Templates read
 * these tokens and never hard-code a colour, so a new theme is a new entry here.
 *
 * Dark mode: clients that honour `prefers-color-scheme` (Apple Mail, Outlook.com)
 * get the `dark` palette through a media query. Gmail ignores it and force-inverts
 * light emails, so the light palette avoids pure white and pure black (inverted
 * they turn into harsh pure black / white) and keeps text on accent fills at a
 * contrast that still holds once Gmail darkens or lightens the fill.
 */

export const CJK_SANS =
  '"PingFang SC", "Hiragino Sans GB", "Microsoft YaHei", "Noto Sans CJK SC", "Source Han Sans SC", sans-serif';
export const CJK_SERIF = '"Songti SC", "STSong", "Noto Serif CJK SC", "Source Han Serif SC", SimSun, serif';

/**
 * Outlook for Windows (Word engine) picks the font of Chinese text from
 * `mso-fareast-font-family`, not from `font-family`; without it, text in nested
 * tables falls back to 宋体/Times. One Windows font per stack.
 */
export const MSO_FAREAST_FONT: Record<string, string> = {
  [CJK_SANS]: '"Microsoft YaHei"',
  [CJK_SERIF]: "SimSun",
};

export interface Palette {
  /** Page behind the 600 px column. */
  background: string;
  /** The column itself. */
  surface: string;
  text: string;
  muted: string;
  accent: string;
  /** Text drawn on an accent fill (buttons). */
  onAccent: string;
  /** Fill of the agenda layout's header band: the accent in light mode, a deep shade in dark mode (never a pale block). */
  band: string;
  /** Kicker and title on the band. */
  onBand: string;
  border: string;
  /** Fill behind pull quotes and event facts. */
  tint: string;
}

/**
 * How a theme lays out a digest:
 * - `quotes`: the items' highlights as large pull quotes, the headline item first;
 * - `agenda`: a coloured header band and event facts (dates, sessions, topics, prizes) up front;
 * - `list`: compact cards, one per item, for digests of many items.
 */
export type LayoutVariant = "quotes" | "agenda" | "list";

export interface Theme {
  name: string;
  /** Shown on /digests and in previews. */
  label: string;
  light: Palette;
  dark: Palette;
  typography: {
    body: string;
    heading: string;
    /** Font of pull quotes. */
    quote: string;
    baseSize: number;
    titleSize: number;
    lineHeight: number;
  };
  layout: LayoutVariant;
}

/**
 * Every (text colour, background) pair the templates draw, for the contrast test
 * (WCAG AA: 4.5:1, 3:1 for large text). Body, meta lines and links on the column;
 * quotes and event facts on the tint; button labels on the accent; the agenda
 * header on its band.
 */
export const TEXT_ON_BACKGROUND: readonly { text: keyof Palette; on: keyof Palette; large?: true }[] = [
  { text: "text", on: "surface" },
  { text: "muted", on: "surface" },
  { text: "accent", on: "surface" },
  { text: "text", on: "tint" },
  { text: "accent", on: "tint" },
  { text: "onAccent", on: "accent" },
  { text: "onBand", on: "band" },
];

export const themeNames = ["highlights", "event", "classic"] as const;
export type ThemeName = (typeof themeNames)[number];

export const themes: Record<ThemeName, Theme> = {
  highlights: {
    name: "highlights",
    label: "金句（暖色纸面，大号引文）",
    light: {
      background: "#f3ede4",
      surface: "#fdfaf5",
      text: "#2b2118",
      muted: "#6f6257",
      accent: "#a8322d",
      onAccent: "#fffaf3",
      border: "#e4d9ca",
      tint: "#f7efe4",
      band: "#a8322d",
      onBand: "#fffaf3",
    },
    dark: {
      background: "#1c1814",
      surface: "#26201b",
      text: "#f1e9df",
      muted: "#bfb2a4",
      accent: "#f08a7e",
      onAccent: "#1c1814",
      border: "#3d342c",
      tint: "#2f2822",
      band: "#5c2621",
      onBand: "#fbeee8",
    },
    typography: { body: CJK_SANS, heading: CJK_SERIF, quote: CJK_SERIF, baseSize: 16, titleSize: 28, lineHeight: 1.75 },
    layout: "quotes",
  },
  event: {
    name: "event",
    label: "活动（深蓝题头，日程与奖项）",
    light: {
      background: "#e9eef6",
      surface: "#fbfcfe",
      text: "#14213d",
      muted: "#4f5d75",
      accent: "#1f4fa8",
      onAccent: "#f7f9fd",
      border: "#d3dceb",
      tint: "#eef3fb",
      band: "#1f4fa8",
      onBand: "#f7f9fd",
    },
    dark: {
      background: "#0f1522",
      surface: "#172033",
      text: "#e6ecf7",
      muted: "#a9b6cc",
      accent: "#8fb3ff",
      onAccent: "#0f1522",
      border: "#2a3752",
      tint: "#1e2940",
      band: "#1d3461",
      onBand: "#eef3fc",
    },
    typography: { body: CJK_SANS, heading: CJK_SANS, quote: CJK_SANS, baseSize: 16, titleSize: 26, lineHeight: 1.7 },
    layout: "agenda",
  },
  classic: {
    name: "classic",
    label: "清单（素雅列表）",
    light: {
      background: "#eef1ef",
      surface: "#fcfdfc",
      text: "#1d2521",
      muted: "#5b6761",
      accent: "#1f6f5c",
      onAccent: "#f6fbf9",
      border: "#d8e0dc",
      tint: "#f0f5f3",
      band: "#1f6f5c",
      onBand: "#f6fbf9",
    },
    dark: {
      background: "#121715",
      surface: "#1a2220",
      text: "#e3ebe7",
      muted: "#a7b5ae",
      accent: "#6fd1b5",
      onAccent: "#121715",
      border: "#2c3834",
      tint: "#202a27",
      band: "#1b4a3e",
      onBand: "#e8f5f0",
    },
    typography: { body: CJK_SANS, heading: CJK_SANS, quote: CJK_SANS, baseSize: 16, titleSize: 24, lineHeight: 1.7 },
    layout: "list",
  },
};
