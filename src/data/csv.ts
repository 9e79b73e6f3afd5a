/**
 * CSV reading and writing (RFC 4180: comma-separated, double-quoted fields with "" escapes, CRLF or LF).
 * Works on strings so that the same code runs in a browser; the CLI reads the file.
 */
import { ValueError } from "../errors.js";

/** A parsed table: the header row and the data rows, all cells as strings. */
export type Table = { header: string[]; rows: string[][] };

/** Parse CSV text with a header row. `source` names the input in errors (a path, "history"). */
export function parseCsv(text: string, source = "csv"): Table {
  const records = parseRecords(text, source);
  while (records.length > 0 && isBlank(records[records.length - 1])) records.pop();
  if (records.length === 0) throw new ValueError(`${source}: file is empty (expected a header row)`);
  const header = records[0].map((h) => h.trim());
  const rows = records.slice(1);
  for (let i = 0; i < rows.length; i++) {
    if (isBlank(rows[i])) throw new ValueError(`${source}: row ${i + 2} is blank`);
    if (rows[i].length !== header.length) {
      throw new ValueError(
        `${source}: row ${i + 2} must have ${header.length} fields like the header, but has ${rows[i].length}`,
      );
    }
  }
  return { header, rows };
}

/** The cells of one column, looked up by name; the error lists the columns there are. */
export function column(table: Table, name: string, source = "csv"): string[] {
  const j = table.header.indexOf(name);
  if (j < 0) {
    throw new ValueError(
      `${source}: column ${JSON.stringify(name)} not found; columns are ${table.header.map((h) => JSON.stringify(h)).join(", ")}`,
    );
  }
  return table.rows.map((r) => r[j]);
}

/** Format rows as CSV text (header first), quoting fields that need it; ends with a newline. */
export function formatCsv(header: string[], rows: (string | number)[][]): string {
  const line = (cells: (string | number)[]) => cells.map((c) => quote(String(c))).join(",");
  return `${[line(header), ...rows.map(line)].join("\n")}\n`;
}

function quote(s: string): string {
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

function isBlank(r: string[]): boolean {
  return r.length === 1 && r[0].trim() === "";
}

function parseRecords(text: string, source: string): string[][] {
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1); // byte-order mark
  const records: string[][] = [];
  let field = "";
  let record: string[] = [];
  let i = 0;
  let line = 1;
  while (i < text.length) {
    const c = text[i];
    if (c === '"' && field === "") {
      // 1. a quoted field: read to the closing quote, "" is a literal quote
      const startLine = line;
      i++;
      for (;;) {
        if (i >= text.length)
          throw new ValueError(`${source}: line ${startLine}: quoted field is never closed`);
        if (text[i] === '"') {
          if (text[i + 1] === '"') {
            field += '"';
            i += 2;
            continue;
          }
          i++;
          break;
        }
        if (text[i] === "\n") line++;
        field += text[i++];
      }
      if (i < text.length && text[i] !== "," && text[i] !== "\n" && text[i] !== "\r") {
        throw new ValueError(`${source}: line ${line}: unexpected character after a closing quote`);
      }
      continue;
    }
    if (c === ",") {
      record.push(field);
      field = "";
    } else if (c === "\n" || c === "\r") {
      // 2. end of record (CRLF counts once)
      if (c === "\r" && text[i + 1] === "\n") i++;
      record.push(field);
      records.push(record);
      record = [];
      field = "";
      line++;
    } else {
      field += c;
    }
    i++;
  }
  if (field !== "" || record.length > 0) {
    record.push(field);
    records.push(record);
  }
  return records;
}
