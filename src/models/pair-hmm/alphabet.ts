/**
 * The 20-letter amino-acid alphabet of the pair HMM, in the row order of the BLOSUM/PAM tables
 * (ARNDCQEGHILKMFPSTWYV), and encoding of protein strings to residue codes 0..19.
 */
import { ValueError } from "../../errors.js";

/** The 20 amino acids in BLOSUM table order. */
export const AMINO_ACIDS = "ARNDCQEGHILKMFPSTWYV";

/** Size of the alphabet (20). */
export const ALPHABET_SIZE = 20;

/** Residue codes of a sequence: `[length]`, each in 0..19. */
export type Encoded = Int8Array | Int32Array;

const CODE = new Int8Array(128).fill(-1);
for (let k = 0; k < AMINO_ACIDS.length; k++) {
  CODE[AMINO_ACIDS.charCodeAt(k)] = k;
  CODE[AMINO_ACIDS.toLowerCase().charCodeAt(k)] = k;
}

/** Code 0..19 of one amino-acid letter (upper or lower case), or -1 if it is not one of the 20. */
export function residueCode(letter: string): number {
  const c = letter.charCodeAt(0);
  return letter.length === 1 && c < 128 ? CODE[c] : -1;
}

/**
 * Encode a protein string to codes `[length]` (Int8Array); lower case accepted. An unknown letter is a
 * ValueError naming the sequence and the 1-based position.
 */
export function encodeProtein(sequence: string, name = "sequence"): Int8Array {
  const out = new Int8Array(sequence.length);
  for (let i = 0; i < sequence.length; i++) {
    const c = sequence.charCodeAt(i);
    const k = c < 128 ? CODE[c] : -1;
    if (k < 0)
      throw new ValueError(
        `encodeProtein: residues must be one of ${AMINO_ACIDS} (either case), but sequence ${JSON.stringify(name)} has ${JSON.stringify(sequence[i])} at position ${i + 1}`,
      );
    out[i] = k;
  }
  return out;
}

/** Encode to Int32Array codes `[length]` (same rules as `encodeProtein`). */
export function encodeProtein32(sequence: string, name = "sequence"): Int32Array {
  return Int32Array.from(encodeProtein(sequence, name));
}

/** Decode residue codes `[length]` back to an upper-case string. */
export function decodeProtein(codes: ArrayLike<number>): string {
  let s = "";
  for (let i = 0; i < codes.length; i++) s += AMINO_ACIDS[codes[i]];
  return s;
}

/** Check that `codes` holds integers in 0..19 (for encoded input given directly); `fn` names the caller. */
export function checkEncoded(fn: string, arg: string, codes: ArrayLike<number>): void {
  for (let i = 0; i < codes.length; i++) {
    const k = codes[i];
    if (!(Number.isInteger(k) && k >= 0 && k < ALPHABET_SIZE))
      throw new ValueError(`${fn}: ${arg} must hold residue codes 0..19, but got ${k} at position ${i + 1}`);
  }
}
