/**
 * FASTA and aligned-FASTA readers and writers, from and to strings (no file system, so the same code runs
 * in a browser). Format: a header line `>id description` starts each record, followed by sequence lines;
 * blank lines and `;` comment lines are skipped, white space inside sequence lines is ignored, and a
 * terminal `*` (stop) is stripped (the conventions of NCBI's FASTA description and of Biopython's
 * `SeqIO` "fasta" parser).
 */
import { FormatError, ValueError } from "../../errors.js";

/** One FASTA record: `id` (first word of the header), `description` (the rest), `sequence`. */
export type SequenceRecord = { id: string; description: string; sequence: string };

/** Options of `parseFasta`/`parseAlignedFasta`. */
export type ParseFastaOptions = {
  /** Name of the input in error messages (a file name); default "input". */
  source?: string;
};

/** Options of `formatFasta`/`formatAlignedFasta`. */
export type FormatFastaOptions = {
  /** Residues per sequence line; 0 writes each sequence on one line. Default 60. */
  width?: number;
};

const RESIDUE = /^[A-Za-z]$/;
const ALIGNED = /^[A-Za-z.-]$/;

/**
 * Parse FASTA text into records. Residues must be letters (either case, kept as given); an error names
 * the record, the line and the column of the first bad character.
 */
export function parseFasta(text: string, options: ParseFastaOptions = {}): SequenceRecord[] {
  return parse("parseFasta", text, RESIDUE, options.source ?? "input");
}

/**
 * Parse aligned FASTA: as `parseFasta`, but gap characters `-` and `.` are kept, and every record must
 * have the same aligned length (an error names the first record that differs).
 */
export function parseAlignedFasta(text: string, options: ParseFastaOptions = {}): SequenceRecord[] {
  const records = parse("parseAlignedFasta", text, ALIGNED, options.source ?? "input");
  checkAligned("parseAlignedFasta", records);
  return records;
}

/** Write records as FASTA, sequences wrapped at `width` (default 60) residues per line. */
export function formatFasta(records: readonly SequenceRecord[], options: FormatFastaOptions = {}): string {
  return format("formatFasta", records, RESIDUE, options);
}

/** Write aligned records (gaps `-`/`.`, all the same length) as aligned FASTA, wrapped at `width`. */
export function formatAlignedFasta(
  records: readonly SequenceRecord[],
  options: FormatFastaOptions = {},
): string {
  checkAligned("formatAlignedFasta", records);
  return format("formatAlignedFasta", records, ALIGNED, options);
}

/** Remove the gap characters `-` and `.` from an aligned sequence. */
export function ungap(aligned: string): string {
  return aligned.replace(/[.-]/g, "");
}

function parse(fn: string, text: string, allowed: RegExp, source: string): SequenceRecord[] {
  if (typeof text !== "string") throw new ValueError(`${fn}: text must be a string, but got ${typeof text}`);
  const records: SequenceRecord[] = [];
  const lines = text.split(/\r\n|\r|\n/);
  let current: { record: SequenceRecord; chunks: string[]; line: number } | null = null;
  const finish = (): void => {
    if (current === null) return;
    let sequence = current.chunks.join("");
    if (sequence.endsWith("*")) sequence = sequence.slice(0, -1);
    if (sequence.length === 0)
      throw new FormatError(
        `${fn}: record ${JSON.stringify(current.record.id)} (line ${current.line} of ${source}) must have a sequence, but got none`,
      );
    current.record.sequence = sequence;
    records.push(current.record);
  };
  for (let k = 0; k < lines.length; k++) {
    const line = lines[k];
    const lineNo = k + 1;
    if (line.trim() === "" || line.startsWith(";")) continue;
    if (line.startsWith(">")) {
      finish();
      const header = line.slice(1).trim();
      const space = header.search(/\s/);
      const id = space < 0 ? header : header.slice(0, space);
      const description = space < 0 ? "" : header.slice(space + 1).trim();
      if (id === "")
        throw new FormatError(
          `${fn}: line ${lineNo} of ${source} must be a header ">id ...", but got an empty id`,
        );
      current = { record: { id, description, sequence: "" }, chunks: [], line: lineNo };
      continue;
    }
    if (current === null)
      throw new FormatError(
        `${fn}: line ${lineNo} of ${source} must follow a ">" header, but got ${JSON.stringify(line.slice(0, 40))}`,
      );
    // A "*" may only end the record: check that nothing but blank lines follows it.
    const chunk = line.replace(/\s+/g, "");
    for (let c = 0; c < chunk.length; c++) {
      const ch = chunk[c];
      if (allowed.test(ch)) continue;
      if (ch === "*" && c === chunk.length - 1 && nextIsHeaderOrEnd(lines, k + 1)) continue;
      throw new FormatError(
        `${fn}: record ${JSON.stringify(current.record.id)} has ${JSON.stringify(ch)} on line ${lineNo} of ${source}, column ${line.indexOf(ch) + 1}; residues must be letters${allowed === ALIGNED ? " or gaps - ." : ""}`,
      );
    }
    current.chunks.push(chunk);
  }
  finish();
  return records;
}

function nextIsHeaderOrEnd(lines: string[], from: number): boolean {
  for (let k = from; k < lines.length; k++) {
    const t = lines[k].trim();
    if (t === "" || lines[k].startsWith(";")) continue;
    return t.startsWith(">");
  }
  return true;
}

function checkAligned(fn: string, records: readonly SequenceRecord[]): void {
  if (records.length === 0) return;
  const length = records[0].sequence.length;
  for (const r of records)
    if (r.sequence.length !== length)
      throw new FormatError(
        `${fn}: every aligned sequence must have length ${length} (that of ${JSON.stringify(records[0].id)}), but record ${JSON.stringify(r.id)} has length ${r.sequence.length}`,
      );
}

function format(
  fn: string,
  records: readonly SequenceRecord[],
  allowed: RegExp,
  options: FormatFastaOptions,
): string {
  const width = options.width ?? 60;
  if (!Number.isInteger(width) || width < 0)
    throw new ValueError(`${fn}: width must be an integer >= 0, but got ${width}`);
  let out = "";
  for (const r of records) {
    if (!/^\S+$/.test(r.id))
      throw new ValueError(
        `${fn}: id must be non-empty without white space, but got ${JSON.stringify(r.id)}`,
      );
    if (/[\r\n]/.test(r.description))
      throw new ValueError(`${fn}: description of ${JSON.stringify(r.id)} must be one line`);
    for (let i = 0; i < r.sequence.length; i++)
      if (!allowed.test(r.sequence[i]))
        throw new ValueError(
          `${fn}: sequence ${JSON.stringify(r.id)} has ${JSON.stringify(r.sequence[i])} at position ${i + 1}; residues must be letters${allowed === ALIGNED ? " or gaps - ." : ""}`,
        );
    out += r.description === "" ? `>${r.id}\n` : `>${r.id} ${r.description}\n`;
    const step = width === 0 ? Math.max(1, r.sequence.length) : width;
    for (let i = 0; i < r.sequence.length; i += step) out += `${r.sequence.slice(i, i + step)}\n`;
  }
  return out;
}
