/**
 * A chapter of the report that `novelist tour` builds: it runs an experiment at a given scale and
 * returns summary tables (printed to the terminal and shown in the page) and page content.
 */
import type { Progress } from "../cli/progress.js";
import type { PlotSpec } from "./plot.js";

/** `quick` is the default tour (minutes on 2 cores); `full` the larger scale; `smoke` a seconds-long run for tests. */
export type Scale = "smoke" | "quick" | "full";

/** What a chapter gets to run with. */
export type ChapterContext = {
  scale: Scale;
  seed: number;
  /** a progress reporter for a loop of `total` steps */
  progress: (label: string, total: number) => Progress;
  /** a note for the terminal (stderr) */
  log: (line: string) => void;
};

/** A table: shown in the terminal and in the page. */
export type SummaryTable = { title: string; columns: string[]; rows: (string | number)[][] };

/** Page content, in order. */
export type Block =
  | { kind: "text"; markdown: string }
  | { kind: "table"; table: SummaryTable }
  | { kind: "plot"; spec: PlotSpec; caption: string };

/** What a chapter returns. */
export type ChapterResult = {
  /** the tables printed at the end of the chapter in the terminal */
  summary: SummaryTable[];
  blocks: Block[];
};

/** A chapter. */
export type Chapter = {
  id: string;
  title: string;
  /** one line for the table of contents */
  blurb: string;
  run: (ctx: ChapterContext) => Promise<ChapterResult>;
};
