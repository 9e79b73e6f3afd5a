/** Sequence file formats from and to strings: FASTA, aligned FASTA, Stockholm 1.0 (with HMMER PP lines). */

export {
  type FormatFastaOptions,
  formatAlignedFasta,
  formatFasta,
  type ParseFastaOptions,
  parseAlignedFasta,
  parseFasta,
  type SequenceRecord,
  ungap,
} from "./fasta.js";
export {
  type AlignedSequence,
  encodePosteriorProbability,
  type FormatStockholmOptions,
  formatStockholm,
  parseStockholm,
  parseStockholmAll,
  posteriorLine,
  type StockholmAlignment,
} from "./stockholm.js";
