/** CSV (RFC 4180) reading and writing for the operator's import and export. Pure. */

export interface CsvRecord {
  /** 1-based line on which the record starts (a quoted field may span lines). */
  line: number;
  fields: string[];
}

/** Splits CSV text into records; blank lines are skipped. Throws on an unterminated quote. */
export function parseCsv(text: string): CsvRecord[] {
  const records: CsvRecord[] = [];
  let fields: string[] = [];
  let field = "";
  let quoted = false;
  let line = 1;
  let recordLine = 1;
  const endRecord = () => {
    fields.push(field);
    if (fields.length > 1 || fields[0] !== "") records.push({ line: recordLine, fields });
    fields = [];
    field = "";
  };
  const body = text.startsWith("\uFEFF") ? text.slice(1) : text;
  for (let i = 0; i < body.length; i++) {
    const char = body[i];
    if (quoted) {
      if (char === '"' && body[i + 1] === '"') {
        field += '"';
        i++;
      } else if (char === '"') {
        quoted = false;
      } else {
        if (char === "\n") line++;
        field += char;
      }
    } else if (char === '"' && field === "") {
      quoted = true;
    } else if (char === ",") {
      fields.push(field);
      field = "";
    } else if (char === "\n" || char === "\r") {
      if (char === "\r" && body[i + 1] === "\n") i++;
      endRecord();
      line++;
      recordLine = line;
    } else {
      field += char;
    }
  }
  if (quoted) throw new Error(`line ${recordLine}: a quoted field is never closed`);
  endRecord();
  return records;
}

/**
 * Formula neutralisation: a value starting with =, +, -, @, a tab or a carriage return
 * is written with a leading apostrophe so spreadsheets do not run it as a formula. So
 * that the mark is never ambiguous, a value that itself starts with an apostrophe gets
 * one too; `unescapeFormula` removes exactly one leading apostrophe, always.
 */
const NEEDS_MARK = /^[=+\-@\t\r']/;

function csvField(value: string): string {
  const safe = NEEDS_MARK.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

/** The value a field written by `toCsv` stood for. */
export function unescapeFormula(field: string): string {
  return field.startsWith("'") ? field.slice(1) : field;
}

export function toCsv(header: string[], rows: string[][]): string {
  return [header, ...rows].map((row) => row.map(csvField).join(",")).join("\r\n") + "\r\n";
}
