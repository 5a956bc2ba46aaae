/** One results table: each figure next to its reference from the same run. */

export interface Row {
  section: string;
  figure: string;
  measured: string;
  reference: string;
  /** measured ÷ reference, where a ratio means something. */
  ratio: string;
  target: string;
  /** null: informational, no target. */
  ok: boolean | null;
}

const COLUMNS = ["section", "figure", "measured", "reference", "ratio", "target", "ok"] as const;

function cell(row: Row, column: (typeof COLUMNS)[number]): string {
  if (column === "ok") return row.ok === null ? "" : row.ok ? "yes" : "**NO**";
  return row[column].replace(/\|/g, "\\|");
}

/** A Markdown table, readable as plain text in a terminal too. */
export function markdownTable(rows: readonly Row[]): string {
  const lines = rows.map((row) => COLUMNS.map((c) => cell(row, c)));
  const widths = COLUMNS.map((c, i) => Math.max(c.length, ...lines.map((l) => l[i]!.length)));
  const format = (cells: readonly string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i]!)).join(" | ")} |`;
  return [format(COLUMNS), format(widths.map((w) => "-".repeat(w))), ...lines.map(format)].join("\n");
}
