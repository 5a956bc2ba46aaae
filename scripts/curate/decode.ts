/**
 * Bytes → text. Saved pages come in any charset (GBK/GB18030 news sites are common), so the
 * charset is taken from a BOM, then from <meta charset> / http-equiv, and otherwise detected:
 * valid UTF-8 first, then GB18030 (a superset of GBK). Every failure is a CurationError.
 */
import { CurationError } from "./curation-error.ts";

export const MAX_INPUT_BYTES = 8 * 1024 * 1024;

export type InputFormat = "html" | "markdown" | "text";

export interface DecodedInput {
  text: string;
  charset: string;
  format: InputFormat;
}

const BINARY_MAGIC = [
  [0x25, 0x50, 0x44, 0x46], // %PDF
  [0x89, 0x50, 0x4e, 0x47], // PNG
  [0x50, 0x4b, 0x03, 0x04], // ZIP, DOCX
  [0xff, 0xd8, 0xff], // JPEG
  [0x47, 0x49, 0x46, 0x38], // GIF
];

function startsWith(bytes: Uint8Array, prefix: number[]): boolean {
  return prefix.every((b, i) => bytes[i] === b);
}

function bomCharset(bytes: Uint8Array): string | undefined {
  if (startsWith(bytes, [0xef, 0xbb, 0xbf])) return "utf-8";
  if (startsWith(bytes, [0xff, 0xfe])) return "utf-16le";
  if (startsWith(bytes, [0xfe, 0xff])) return "utf-16be";
  return undefined;
}

function looksBinary(bytes: Uint8Array): boolean {
  if (BINARY_MAGIC.some((magic) => startsWith(bytes, magic))) return true;
  return bytes.subarray(0, 8192).includes(0);
}

/** The charset a page declares in its first 4 KB (<meta charset>, http-equiv or an XML declaration). */
function declaredCharset(bytes: Uint8Array): string | undefined {
  const head = new TextDecoder("latin1").decode(bytes.subarray(0, 4096));
  const meta = /<meta[^>]*?charset\s*=\s*["']?\s*([\w.:-]+)/i.exec(head) ?? /<\?xml[^>]*encoding\s*=\s*["']([\w.:-]+)/i.exec(head);
  return meta?.[1]?.toLowerCase();
}

function tryDecode(bytes: Uint8Array, charset: string): string | undefined {
  try {
    return new TextDecoder(charset, { fatal: true, ignoreBOM: false }).decode(bytes);
  } catch {
    return undefined;
  }
}

function isKnownCharset(charset: string): boolean {
  try {
    new TextDecoder(charset);
    return true;
  } catch {
    return false;
  }
}

function detectFormat(text: string): InputFormat {
  if (/^---\n[\s\S]*?\n---\n/.test(text)) return "markdown";
  if (/<(!doctype html|html|head|body|article|div|p)[\s>]/i.test(text.slice(0, 4096))) return "html";
  return "text";
}

/** Control characters other than tab and line breaks: many of them mean the bytes were not text. */
function controlShare(text: string): number {
  const controls = text.match(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFD]/g)?.length ?? 0;
  return controls / text.length;
}

export function decodeInput(bytes: Uint8Array, maxBytes = MAX_INPUT_BYTES): DecodedInput {
  if (bytes.length === 0) throw new CurationError("输入是空文件");
  if (bytes.length > maxBytes) throw new CurationError(`输入有 ${bytes.length} 字节，超过上限 ${maxBytes} 字节`);
  const bom = bomCharset(bytes);
  if (!bom && looksBinary(bytes)) throw new CurationError("输入是二进制文件，不是网页或文本");

  const declared = bom ?? declaredCharset(bytes);
  if (declared && !isKnownCharset(declared)) throw new CurationError(`不认识网页声明的字符集 "${declared}"`);
  const candidates = declared ? [declared, "utf-8"] : ["utf-8", "gb18030"];
  for (const charset of candidates) {
    const decoded = tryDecode(bytes, charset);
    if (decoded === undefined) continue;
    const text = decoded.replace(/^\uFEFF/, "").replace(/\r\n?/g, "\n");
    if (!text.trim()) throw new CurationError("输入只有空白");
    if (controlShare(text) > 0.01) throw new CurationError("输入含大量控制字符，不是网页或文本");
    return { text, charset, format: detectFormat(text) };
  }
  throw new CurationError(
    declared ? `内容不是有效的 ${declared} 编码（网页声明的字符集）` : "无法识别字符集：内容既不是 UTF-8 也不是 GBK/GB18030",
  );
}
