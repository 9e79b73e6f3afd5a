/**
 * Errors raised by Novelist. Messages follow `fn: arg must be X, but got Y` so that a user sees the
 * argument, what was expected and what was given, without a stack.
 */

/** Bad input: a value of the right type but the wrong content (NaN, negative, mismatched length). */
export class ValueError extends Error {
  override name = "ValueError";
}

/** Something that was read (a file, a checkpoint) is not in the expected format. */
export class FormatError extends Error {
  override name = "FormatError";
}

/** A numerical procedure failed (non-finite loss, singular matrix). */
export class NumericalError extends Error {
  override name = "NumericalError";
}

/** Describe a value compactly for an error message: numbers, short arrays, strings, shapes. */
export function describe(value: unknown): string {
  if (typeof value === "string")
    return JSON.stringify(value.length > 60 ? `${value.slice(0, 57)}...` : value);
  if (typeof value === "number" || typeof value === "boolean" || value == null) return String(value);
  if (ArrayLikeNumbers(value)) {
    const xs = Array.from(value as ArrayLike<number>);
    const head = xs.slice(0, 6).map((x) => String(x));
    return `[${head.join(", ")}${xs.length > 6 ? `, ... (${xs.length} values)` : ""}]`;
  }
  try {
    const s = JSON.stringify(value);
    return s.length > 80 ? `${s.slice(0, 77)}...` : s;
  } catch {
    return String(value);
  }
}

function ArrayLikeNumbers(v: unknown): boolean {
  return Array.isArray(v) || ArrayBuffer.isView(v);
}
