/** Plain-text tables for the terminal: right-aligned numbers, left-aligned text. */

/** Format a number for a table: `digits` significant digits, exponent only for extreme magnitudes. */
export function formatNumber(x: number, digits = 4): string {
  if (!Number.isFinite(x)) return Number.isNaN(x) ? "NaN" : x > 0 ? "inf" : "-inf";
  if (Number.isInteger(x) && Math.abs(x) < 1e9) return String(x);
  const a = Math.abs(x);
  if (a !== 0 && (a >= 1e6 || a < 1e-4)) return x.toExponential(digits - 1);
  return x.toPrecision(digits);
}

/** Render rows under a header as aligned columns. */
export function formatTable(columns: string[], rows: (string | number)[][]): string {
  const cells = rows.map((r) => r.map((c) => (typeof c === "number" ? formatNumber(c) : c)));
  const widths = columns.map((c, j) => Math.max(c.length, ...cells.map((r) => (r[j] ?? "").length)));
  const numeric = columns.map((_, j) => rows.length > 0 && rows.every((r) => typeof r[j] === "number"));
  const line = (r: string[]) =>
    r
      .map((c, j) => (numeric[j] ? c.padStart(widths[j]) : c.padEnd(widths[j])))
      .join("  ")
      .trimEnd();
  return [line(columns), line(widths.map((w) => "-".repeat(w))), ...cells.map(line)].join("\n");
}

/** A number for JSON output: non-finite values (an honest +Infinity KL) become the strings "Infinity", "NaN". */
export function jsonNumber(x: number): number | string {
  return Number.isFinite(x) ? x : String(x);
}
