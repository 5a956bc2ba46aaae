/** The report curation prints on stderr: what went in and out, what was removed and why, what to check. */
import type { InputFormat } from "./decode.ts";
import type { Removal } from "./removal.ts";
import type { SentenceCheck } from "./sentences.ts";

export const RULES = {
  chrome: "删除页面杂项（导航、登录、分享、关注、评论、页脚）",
  metadata: "提取元数据（标题、作者、来源、时间、转载声明）",
  punctuation: "恢复全角标点",
  "figure-captions": "配图说明归位",
  "paragraph-split": "拆开粘连的段落",
  headings: "识别小标题",
  pieces: "拆出附带的另一篇",
  "cjk-latin-spacing": "中英文之间加空格",
  "safe-markdown": "只留文本和安全的 Markdown（转义 <，去掉脚本链接）",
} as const;

export type RuleId = keyof typeof RULES;

export interface Report {
  file: string;
  format: InputFormat;
  charset: string;
  bytes: number;
  items: { file: string; title: string; todos: string[] }[];
  sentences: SentenceCheck;
  removed: Removal[];
  rules: Record<RuleId, number>;
  checks: string[];
}

const FORMAT_NAMES: Record<InputFormat, string> = { html: "HTML 网页", text: "纯文本抓取", markdown: "已有的 Markdown 条目" };

export function formatReport(report: Report): string {
  const { sentences } = report;
  const lines = [
    `curate: ${report.file}（${FORMAT_NAMES[report.format]}，${report.charset}，${report.bytes} 字节）`,
    `条目：${report.items.length}`,
    ...report.items.map((item, i) => `  ${i + 1}. ${item.file}  ${item.title}`),
    `句子：输入 ${sentences.in}，输出 ${sentences.out}，${sentences.missing.length === 0 && sentences.added.length === 0 ? "一一对应" : "不一致！"}`,
    ...sentences.missing.map((s) => `  缺少：${s}`),
    ...sentences.added.map((s) => `  多出：${s}`),
    `删除：${report.removed.length} 处`,
    ...report.removed.map((r) => `  ${r.line ? `第 ${r.line} 行 ` : ""}“${r.text}”：${r.reason}`),
    "规则（改动次数）：",
    ...(Object.keys(RULES) as RuleId[]).map((id) => `  ${id.padEnd(18)} ${String(report.rules[id]).padStart(4)}  ${RULES[id]}`),
    `需要人工检查：${report.checks.length === 0 ? "无" : ""}`,
    ...report.checks.map((c) => `  - ${c}`),
  ];
  return `${lines.join("\n")}\n`;
}
