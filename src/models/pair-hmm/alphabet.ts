/**
 * The amino-acid alphabet of the pair HMM, in the row order of the BLOSUM/PAM tables
 * (ARNDCQEGHILKMFPSTWYV, codes 0..19), plus the IUPAC ambiguity codes the matrices define: B (N or D,
 * code 20), Z (Q or E, 21) and X (any residue, 22). U (selenocysteine) and O (pyrrolysine) are read as
 * C and K, and J (I or L) as X, as NCBI's BLAST matrices do. An ambiguous residue is the event "one
 * of its members": the model emits it with the summed probability of the members (`extendEmissions`).
 */
import { ValueError } from "../../errors.js";

/** The 20 amino acids in BLOSUM table order. */
export const AMINO_ACIDS = "ARNDCQEGHILKMFPSTWYV";

/** Size of the alphabet (20). */
export const ALPHABET_SIZE = 20;

/** Letters of the emission codes 0..22: the 20 amino acids, then B, Z, X. */
export const EMISSION_LETTERS = `${AMINO_ACIDS}BZX`;

/** Number of emission codes (20 amino acids + B, Z, X = 23); the stride of the emission tables. */
export const EMISSION_SIZE = 23;

/** Letters read as another: U→C, O→K, J→X (as the extended BLOSUM/PAM tables treat them). */
export const RESIDUE_ALIASES: Readonly<Record<string, string>> = { U: "C", O: "K", J: "X" };

/** The amino acids (codes 0..19) each emission code stands for: itself, B = {N, D}, Z = {Q, E}, X = all. */
export const CODE_MEMBERS: readonly (readonly number[])[] = [
  ...Array.from({ length: 20 }, (_, k) => [k]),
  [2, 3],
  [5, 6],
  Array.from({ length: 20 }, (_, k) => k),
];

/** Residue codes of a sequence: `[length]`, each in 0..22 (see `EMISSION_LETTERS`). */
export type Encoded = Int8Array | Int32Array;

const CODE = new Int8Array(128).fill(-1);
for (let k = 0; k < EMISSION_LETTERS.length; k++) {
  CODE[EMISSION_LETTERS.charCodeAt(k)] = k;
  CODE[EMISSION_LETTERS.toLowerCase().charCodeAt(k)] = k;
}
for (const [from, to] of Object.entries(RESIDUE_ALIASES)) {
  CODE[from.charCodeAt(0)] = CODE[to.charCodeAt(0)];
  CODE[from.toLowerCase().charCodeAt(0)] = CODE[to.charCodeAt(0)];
}

/** Code 0..22 of one residue letter (either case; U, O, J as their aliases), or -1 if unknown. */
export function residueCode(letter: string): number {
  const c = letter.charCodeAt(0);
  return letter.length === 1 && c < 128 ? CODE[c] : -1;
}

/**
 * Encode a protein string to codes `[length]` (Int8Array, 0..22); lower case accepted; B, Z, X are
 * ambiguity codes and U, O, J aliases. An unknown letter is a ValueError naming the sequence and the
 * 1-based position.
 */
export function encodeProtein(sequence: string, name = "sequence"): Int8Array {
  const out = new Int8Array(sequence.length);
  for (let i = 0; i < sequence.length; i++) {
    const c = sequence.charCodeAt(i);
    const k = c < 128 ? CODE[c] : -1;
    if (k < 0)
      throw new ValueError(
        `encodeProtein: residues must be one of ${EMISSION_LETTERS}UOJ (either case), but sequence ${JSON.stringify(name)} has ${JSON.stringify(sequence[i])} at position ${i + 1}`,
      );
    out[i] = k;
  }
  return out;
}

/** Encode to Int32Array codes `[length]` (same rules as `encodeProtein`). */
export function encodeProtein32(sequence: string, name = "sequence"): Int32Array {
  return Int32Array.from(encodeProtein(sequence, name));
}

/** Decode residue codes `[length]` back to an upper-case string (aliases come back as C, K, X). */
export function decodeProtein(codes: ArrayLike<number>): string {
  let s = "";
  for (let i = 0; i < codes.length; i++) s += EMISSION_LETTERS[codes[i]];
  return s;
}

/** Check that `codes` holds integers in 0..22 (for encoded input given directly); `fn` names the caller. */
export function checkEncoded(fn: string, arg: string, codes: ArrayLike<number>): void {
  for (let i = 0; i < codes.length; i++) {
    const k = codes[i];
    if (!(Number.isInteger(k) && k >= 0 && k < EMISSION_SIZE))
      throw new ValueError(`${fn}: ${arg} must hold residue codes 0..22, but got ${k} at position ${i + 1}`);
  }
}
