/**
 * A 1200×630 share card (Open Graph's large image): the brand, a kicker (what the page
 * is), the title in up to three lines, and a footer line. Drawn by satori (text becomes
 * paths, so the PNG needs no font on the reader's side) and rasterised by resvg.
 */
import { Resvg } from "@resvg/resvg-js";
import satori from "satori";
import { cardFonts, type CardFont } from "./card-fonts.ts";

export interface ShareCard {
  kicker: string;
  title: string;
  footer: string;
}

export const CARD_WIDTH = 1200;
export const CARD_HEIGHT = 630;

const BRAND = "AI 前沿精选";
const INK = "#ffffff";
const SOFT = "#cfe0f5";

const family = (fonts: CardFont[]) => fonts.map((font) => font.name).join(", ");

const BLUE = "#0b5cad";

/** The brand mark: 精 in a rounded square; white on the card, blue as the favicon. */
function brandMark(size: number, bold: CardFont[], onWhite = false) {
  return (
    <div
      style={{
        display: "flex",
        alignItems: "center",
        justifyContent: "center",
        width: size,
        height: size,
        borderRadius: size * 0.22,
        background: onWhite ? BLUE : "#ffffff",
        color: onWhite ? "#ffffff" : BLUE,
        fontFamily: family(bold),
        fontSize: size * 0.66,
        fontWeight: 700,
        lineHeight: 1,
      }}
    >
      精
    </div>
  );
}

/** The favicon as SVG: the brand mark with its glyph as paths, so it looks the same in every browser. */
export async function renderIconSvg(): Promise<string> {
  const bold = cardFonts("精", 700);
  return satori(brandMark(64, bold, true), { width: 64, height: 64, fonts: bold });
}

/** A square PNG of an SVG icon, `size` pixels wide. */
export const renderIconPng = (svg: string, size: number): Buffer =>
  new Resvg(svg, { fitTo: { mode: "width", value: size } }).render().asPng();

export async function renderShareCard(card: ShareCard): Promise<Buffer> {
  const bold = cardFonts(`${BRAND}精${card.kicker}${card.title}`, 700);
  const regular = cardFonts(card.footer, 400);
  const svg = await satori(
    <div
      style={{
        display: "flex",
        flexDirection: "column",
        width: CARD_WIDTH,
        height: CARD_HEIGHT,
        padding: "64px 80px",
        backgroundImage: "linear-gradient(135deg, #0b3d7a 0%, #0b5cad 60%, #1677d2 100%)",
        color: INK,
      }}
    >
      <div style={{ display: "flex", alignItems: "center", gap: 20 }}>
        {brandMark(64, bold)}
        <div style={{ display: "flex", fontFamily: family(bold), fontSize: 36, fontWeight: 700 }}>{BRAND}</div>
      </div>
      <div style={{ display: "flex", marginTop: 56, fontFamily: family(bold), fontSize: 30, fontWeight: 700, color: SOFT }}>
        {card.kicker}
      </div>
      <div
        style={{
          display: "block",
          width: CARD_WIDTH - 160,
          marginTop: 16,
          fontFamily: family(bold),
          fontSize: card.title.length > 40 ? 52 : 60,
          fontWeight: 700,
          lineHeight: 1.35,
          lineClamp: 3,
          wordBreak: "break-all",
        }}
      >
        {card.title}
      </div>
      <div style={{ display: "flex", position: "absolute", left: 80, bottom: 56, fontFamily: family(regular), fontSize: 28, color: SOFT }}>
        {card.footer}
      </div>
    </div>,
    { width: CARD_WIDTH, height: CARD_HEIGHT, fonts: [...bold, ...regular] },
  );
  return new Resvg(svg).render().asPng();
}
