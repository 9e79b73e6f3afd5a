/**
 * Stockholm 1.0 multiple-alignment reader and writer, from and to strings. Format (Pfam/Rfam/HMMER,
 * https://en.wikipedia.org/wiki/Stockholm_format and HMMER's User Guide): a `# STOCKHOLM 1.0` header;
 * `#=GF <tag> <text>` (file), `#=GS <seq> <tag> <text>` (sequence), `#=GR <seq> <tag> <chars>` (per
 * residue column) and `#=GC <tag> <chars>` (per column) annotation; `<name> <aligned>` sequence lines,
 * possibly interleaved in blank-line-separated blocks; `//` ends the alignment.
 *
 * Posterior-probability lines `#=GR <seq> PP` use HMMER's code (`p7_alidisplay_EncodePostProb` in
 * EddyRivasLab/hmmer `src/p7_alidisplay.c`, commit 85d4ba96f687ed560ea9d81ca42037806b0dab13): p < 0.05
 * is '0', 0.05 <= p < 0.15 is '1', ..., 0.85 <= p < 0.95 is '9', p >= 0.95 is '*', that is
 * `p + 0.05 >= 1 ? '*' : floor((p + 0.05) * 10)`; gap columns carry '.' as in hmmalign output.
 */
import { FormatError, ValueError } from "../../errors.js";

/** One aligned sequence: `name` and its aligned row `aligned` (gaps `-` or `.`). */
export type AlignedSequence = { name: string; aligned: string };

/** A Stockholm alignment; every `aligned`, GR and GC string has the alignment's length. */
export type StockholmAlignment = {
  sequences: AlignedSequence[];
  /** `#=GF` lines in order, e.g. `{ tag: "ID", text: "Globin" }`. */
  gf: { tag: string; text: string }[];
  /** `#=GS` lines in order, e.g. `{ name: "HBA_HUMAN/1-141", tag: "AC", text: "P69905.2" }`. */
  gs: { name: string; tag: string; text: string }[];
  /** `#=GR` per-residue annotation: sequence name → tag → one character per column. */
  gr: Record<string, Record<string, string>>;
  /** `#=GC` per-column annotation: tag → one character per column (e.g. `SS_cons`, `RF`, `PP_cons`). */
  gc: Record<string, string>;
};

/** Options of `formatStockholm`. */
export type FormatStockholmOptions = {
  /** Columns per block; 0 (default) writes one block, as Pfam seed files do. */
  width?: number;
  /**
   * Posterior probabilities per sequence name, one per residue (non-gap) `[residues]` in [0, 1]: written
   * as `#=GR <name> PP` lines, replacing any PP annotation already present.
   */
  posteriors?: Record<string, ArrayLike<number>>;
};

/** HMMER's one-character code of a posterior probability p in [0, 1]: '0'-'9' by decile, '*' for p >= 0.95. */
export function encodePosteriorProbability(p: number): string {
  if (!(Number.isFinite(p) && p >= -1e-9 && p <= 1 + 1e-9))
    throw new ValueError(`encodePosteriorProbability: p must be in [0, 1], but got ${p}`);
  return p + 0.05 >= 1 ? "*" : String(Math.max(0, Math.floor((p + 0.05) * 10)));
}

/** A `#=GR PP` line `[columns]` for an aligned row: residue k gets the code of `posteriors[k]`, gaps '.'. */
export function posteriorLine(aligned: string, posteriors: ArrayLike<number>, name = "sequence"): string {
  let out = "";
  let k = 0;
  for (let c = 0; c < aligned.length; c++) {
    const ch = aligned[c];
    if (ch === "-" || ch === ".") out += ".";
    else {
      if (k >= posteriors.length) break;
      out += encodePosteriorProbability(posteriors[k++]);
    }
  }
  const residues = aligned.replace(/[.-]/g, "").length;
  if (posteriors.length !== residues)
    throw new ValueError(
      `posteriorLine: posteriors must have one entry per residue (${residues}) of ${JSON.stringify(name)}, but got ${posteriors.length}`,
    );
  return out;
}

/** Parse every alignment (each ending in `//`) in Stockholm text. */
export function parseStockholmAll(text: string): StockholmAlignment[] {
  const fn = "parseStockholm";
  if (typeof text !== "string") throw new ValueError(`${fn}: text must be a string, but got ${typeof text}`);
  const lines = text.split(/\r\n|\r|\n/);
  const out: StockholmAlignment[] = [];
  let aln: StockholmAlignment | null = null;
  let order: Map<string, number> = new Map();
  let rows: string[] = [];
  let start = 0;
  for (let k = 0; k < lines.length; k++) {
    const line = lines[k];
    const lineNo = k + 1;
    const trimmed = line.trim();
    if (aln === null) {
      if (trimmed === "") continue;
      if (!/^# STOCKHOLM 1\.\d+\s*$/.test(line))
        throw new FormatError(
          `${fn}: line ${lineNo} must be the header "# STOCKHOLM 1.0", but got ${JSON.stringify(line.slice(0, 40))}`,
        );
      aln = { sequences: [], gf: [], gs: [], gr: {}, gc: {} };
      order = new Map();
      rows = [];
      start = lineNo;
      continue;
    }
    if (trimmed === "") continue;
    if (trimmed === "//") {
      out.push(finish(fn, aln, rows, start));
      aln = null;
      continue;
    }
    if (line.startsWith("#=GF")) {
      const m = /^#=GF\s+(\S+)(?:\s+(.*))?$/.exec(line);
      if (m === null)
        throw new FormatError(
          `${fn}: line ${lineNo} must be "#=GF <tag> <text>", but got ${JSON.stringify(line)}`,
        );
      aln.gf.push({ tag: m[1], text: (m[2] ?? "").trimEnd() });
    } else if (line.startsWith("#=GS")) {
      const m = /^#=GS\s+(\S+)\s+(\S+)(?:\s+(.*))?$/.exec(line);
      if (m === null)
        throw new FormatError(
          `${fn}: line ${lineNo} must be "#=GS <seq> <tag> <text>", but got ${JSON.stringify(line)}`,
        );
      aln.gs.push({ name: m[1], tag: m[2], text: (m[3] ?? "").trimEnd() });
    } else if (line.startsWith("#=GR")) {
      const m = /^#=GR\s+(\S+)\s+(\S+)\s+(\S+)\s*$/.exec(line);
      if (m === null)
        throw new FormatError(
          `${fn}: line ${lineNo} must be "#=GR <seq> <tag> <annotation>", but got ${JSON.stringify(line)}`,
        );
      if (!Object.hasOwn(aln.gr, m[1])) aln.gr[m[1]] = {};
      const perSeq = aln.gr[m[1]];
      perSeq[m[2]] = (Object.hasOwn(perSeq, m[2]) ? perSeq[m[2]] : "") + m[3];
    } else if (line.startsWith("#=GC")) {
      const m = /^#=GC\s+(\S+)\s+(\S+)\s*$/.exec(line);
      if (m === null)
        throw new FormatError(
          `${fn}: line ${lineNo} must be "#=GC <tag> <annotation>", but got ${JSON.stringify(line)}`,
        );
      aln.gc[m[1]] = (Object.hasOwn(aln.gc, m[1]) ? aln.gc[m[1]] : "") + m[2];
    } else if (line.startsWith("#")) {
      // A free comment line: ignored, as Stockholm readers do.
    } else {
      const m = /^(\S+)\s+(\S+)\s*$/.exec(line);
      if (m === null)
        throw new FormatError(
          `${fn}: line ${lineNo} must be "<name> <aligned sequence>", but got ${JSON.stringify(line.slice(0, 60))}`,
        );
      const bad = /[^A-Za-z.*~-]/.exec(m[2]);
      if (bad !== null)
        throw new FormatError(
          `${fn}: sequence ${JSON.stringify(m[1])} on line ${lineNo} has ${JSON.stringify(bad[0])}; residues must be letters or gaps - .`,
        );
      const index = order.get(m[1]);
      if (index === undefined) {
        order.set(m[1], rows.length);
        rows.push(m[2]);
        aln.sequences.push({ name: m[1], aligned: "" });
      } else rows[index] += m[2];
    }
  }
  if (aln !== null)
    throw new FormatError(
      `${fn}: the alignment starting on line ${start} must end with "//", but the text ended`,
    );
  return out;
}

/** Parse Stockholm text holding exactly one alignment. */
export function parseStockholm(text: string): StockholmAlignment {
  const all = parseStockholmAll(text);
  if (all.length !== 1)
    throw new FormatError(`parseStockholm: text must hold one alignment, but got ${all.length}`);
  return all[0];
}

function finish(fn: string, aln: StockholmAlignment, rows: string[], start: number): StockholmAlignment {
  if (rows.length === 0)
    throw new FormatError(`${fn}: the alignment starting on line ${start} must have sequences, but got none`);
  const length = rows[0].length;
  aln.sequences.forEach((s, i) => {
    s.aligned = rows[i];
    if (rows[i].length !== length)
      throw new FormatError(
        `${fn}: every aligned sequence must have length ${length} (that of ${JSON.stringify(aln.sequences[0].name)}), but ${JSON.stringify(s.name)} has length ${rows[i].length}`,
      );
  });
  checkAnnotations(fn, aln, length);
  return aln;
}

function checkAnnotations(fn: string, aln: StockholmAlignment, length: number): void {
  const names = new Set(aln.sequences.map((s) => s.name));
  for (const [name, tags] of Object.entries(aln.gr)) {
    if (!names.has(name))
      throw new FormatError(
        `${fn}: #=GR names sequence ${JSON.stringify(name)}, which is not in the alignment`,
      );
    for (const [tag, chars] of Object.entries(tags))
      if (chars.length !== length)
        throw new FormatError(
          `${fn}: #=GR ${name} ${tag} must have length ${length}, but got ${chars.length}`,
        );
  }
  for (const [tag, chars] of Object.entries(aln.gc))
    if (chars.length !== length)
      throw new FormatError(`${fn}: #=GC ${tag} must have length ${length}, but got ${chars.length}`);
}

/**
 * Write an alignment as Stockholm 1.0 in the Pfam layout: GF lines, GS lines, then per block the
 * sequences each followed by their GR lines, then the GC lines; `//` at the end.
 */
export function formatStockholm(aln: StockholmAlignment, options: FormatStockholmOptions = {}): string {
  const fn = "formatStockholm";
  const width = options.width ?? 0;
  if (!Number.isInteger(width) || width < 0)
    throw new ValueError(`${fn}: width must be an integer >= 0, but got ${width}`);
  if (aln.sequences.length === 0) throw new ValueError(`${fn}: alignment must have sequences, but got none`);
  const length = aln.sequences[0].aligned.length;
  const seen = new Set<string>();
  for (const s of aln.sequences) {
    if (!/^\S+$/.test(s.name))
      throw new ValueError(
        `${fn}: names must be non-empty without white space, but got ${JSON.stringify(s.name)}`,
      );
    if (seen.has(s.name))
      throw new ValueError(`${fn}: names must be unique, but ${JSON.stringify(s.name)} repeats`);
    seen.add(s.name);
    if (s.aligned.length !== length)
      throw new ValueError(
        `${fn}: every aligned sequence must have length ${length}, but ${JSON.stringify(s.name)} has length ${s.aligned.length}`,
      );
    if (!/^[A-Za-z.*~-]+$/.test(s.aligned))
      throw new ValueError(`${fn}: sequence ${JSON.stringify(s.name)} must hold letters and gaps only`);
  }
  // 1. Merge posteriors into the GR annotation as PP lines.
  const gr: Record<string, Record<string, string>> = {};
  for (const [name, tags] of Object.entries(aln.gr)) gr[name] = { ...tags };
  for (const [name, pp] of Object.entries(options.posteriors ?? {})) {
    const s = aln.sequences.find((x) => x.name === name);
    if (s === undefined)
      throw new ValueError(`${fn}: posteriors name ${JSON.stringify(name)}, which is not in the alignment`);
    gr[name] = { ...(gr[name] ?? {}), PP: posteriorLine(s.aligned, pp, name) };
  }
  checkAnnotations(fn, { ...aln, gr }, length);
  // 2. Left margin wide enough for every label.
  let margin = 0;
  for (const s of aln.sequences) {
    margin = Math.max(margin, s.name.length);
    for (const tag of Object.keys(gr[s.name] ?? {}))
      margin = Math.max(margin, `#=GR ${s.name} ${tag}`.length);
  }
  for (const tag of Object.keys(aln.gc)) margin = Math.max(margin, `#=GC ${tag}`.length);
  const pad = (label: string): string => label.padEnd(margin + 1);
  let out = "# STOCKHOLM 1.0\n";
  for (const { tag, text } of aln.gf) out += `#=GF ${tag}${text === "" ? "" : ` ${text}`}\n`;
  for (const { name, tag, text } of aln.gs) out += `#=GS ${name} ${tag}${text === "" ? "" : ` ${text}`}\n`;
  if (aln.gf.length + aln.gs.length > 0) out += "\n";
  // 3. Blocks of `step` columns.
  const step = width === 0 ? length : width;
  for (let c0 = 0; c0 < length || c0 === 0; c0 += step) {
    if (c0 > 0) out += "\n";
    for (const s of aln.sequences) {
      out += `${pad(s.name)}${s.aligned.slice(c0, c0 + step)}\n`;
      for (const [tag, chars] of Object.entries(gr[s.name] ?? {}))
        out += `${pad(`#=GR ${s.name} ${tag}`)}${chars.slice(c0, c0 + step)}\n`;
    }
    for (const [tag, chars] of Object.entries(aln.gc))
      out += `${pad(`#=GC ${tag}`)}${chars.slice(c0, c0 + step)}\n`;
    if (step === 0) break;
  }
  return `${out}//\n`;
}
