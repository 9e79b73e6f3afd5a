/**
 * Built-in protein families: four Pfam seed alignments (Stockholm) copied from Debian's
 * `hmmer-examples` 3.3.2+dfsg-1, as metadata only: this module reads no file, so it runs in a browser.
 * Node code reads a family with
 * `readFileSync(new URL(`../data/protein-families/${family.file}`, import.meta.url), "utf8")` (path
 * relative to the reading module) and parses it with `parseStockholmAll`; provenance is in `README.md`.
 */

/** One built-in family: a Pfam seed alignment in Stockholm 1.0 next to this module. */
export type ProteinFamily = {
  /** Pfam ID, e.g. "fn3" */
  name: string;
  /** file name inside `src/data/protein-families/` */
  file: string;
  /** Pfam accession with version, e.g. "PF00041.20" */
  accession: string;
  description: string;
  /** where the file comes from (Debian package, path inside it) */
  source: string;
  licence: string;
  /** exact file size in bytes */
  bytes: number;
  /** number of aligned sequences (equals the file's `#=GF SQ`) */
  sequences: number;
  /** alignment length in columns */
  columns: number;
  /** shortest and longest ungapped sequence, residues */
  minLength: number;
  maxLength: number;
  /** "training" families train δ, ε, τ in the report; "evaluation" families score alignments */
  role: "training" | "evaluation";
};

const PACKAGE = "Debian package hmmer-examples 3.3.2+dfsg-1, /usr/share/doc/hmmer/examples/";
const LICENCE = "Pfam data: CC0 1.0 (public domain dedication)";

/** Fibronectin type III domain (Pfam PF00041.20), 98 sequences. */
export const fn3: ProteinFamily = {
  name: "fn3",
  file: "fn3.sto",
  accession: "PF00041.20",
  description: "Fibronectin type III domain",
  source: `${PACKAGE}tutorial/fn3.sto`,
  licence: LICENCE,
  bytes: 24538,
  sequences: 98,
  columns: 117,
  minLength: 75,
  maxLength: 98,
  role: "training",
};

/** RNA recognition motif (Pfam PF00076.13), 79 sequences. */
export const rrm1: ProteinFamily = {
  name: "RRM_1",
  file: "RRM_1.sto",
  accession: "PF00076.13",
  description: "RNA recognition motif (a.k.a. RRM, RBD, or RNP domain)",
  source: `${PACKAGE}testsuite/RRM_1.sto.gz (decompressed)`,
  licence: LICENCE,
  bytes: 18925,
  sequences: 79,
  columns: 80,
  minLength: 63,
  maxLength: 76,
  role: "training",
};

/** Protein kinase domain (Pfam PF00069.24), 38 sequences. */
export const pkinase: ProteinFamily = {
  name: "Pkinase",
  file: "Pkinase.sto",
  accession: "PF00069.24",
  description: "Protein kinase domain",
  source: `${PACKAGE}tutorial/Pkinase.sto`,
  licence: LICENCE,
  bytes: 67852,
  sequences: 38,
  columns: 419,
  minLength: 247,
  maxLength: 307,
  role: "evaluation",
};

/** Caudal-like protein activation region (Pfam PF04731.3), 9 sequences. */
export const caudalAct: ProteinFamily = {
  name: "Caudal_act",
  file: "Caudal_act.sto",
  accession: "PF04731.3",
  description: "Caudal like protein activation region",
  source: `${PACKAGE}testsuite/Caudal_act.sto.gz (decompressed)`,
  licence: LICENCE,
  bytes: 4296,
  sequences: 9,
  columns: 196,
  minLength: 130,
  maxLength: 168,
  role: "evaluation",
};

/** All built-in families by name; training (fn3, RRM_1) and evaluation (Pkinase, Caudal_act) kept apart. */
export const PROTEIN_FAMILIES: Readonly<Record<string, ProteinFamily>> = {
  fn3,
  RRM_1: rrm1,
  Pkinase: pkinase,
  Caudal_act: caudalAct,
};
