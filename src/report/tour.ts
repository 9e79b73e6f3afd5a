/**
 * `novelist tour`: runs every chapter of the report at the chosen scale, prints each chapter's
 * summary tables, and writes one self-contained `report/index.html`. Node-only (writes files).
 */
import { mkdirSync } from "node:fs";
import { dirname } from "node:path";
import { createProgress } from "../cli/progress.js";
import { formatTable } from "../cli/table.js";
import { writeFileAtomic } from "../io/node-files.js";
import type { Chapter, Scale } from "./chapter.js";
import { autoregressiveChapter } from "./chapters/autoregressive.js";
import { classifiersChapter } from "./chapters/classifiers.js";
import { evaluationChapter } from "./chapters/evaluation.js";
import { geneExpressionChapter } from "./chapters/gene-expression.js";
import { inverseDesignChapter } from "./chapters/inverse-design.js";
import { lorenzChapter } from "./chapters/lorenz.js";
import { pairHmmChapter } from "./chapters/pair-hmm.js";
import { type RenderedChapter, reportHtml } from "./html.js";
import { renderSvg } from "./plot.js";

/** Every chapter, in the order of the report. */
export const CHAPTERS: Chapter[] = [
  classifiersChapter,
  autoregressiveChapter,
  pairHmmChapter,
  geneExpressionChapter,
  inverseDesignChapter,
  lorenzChapter,
  evaluationChapter,
];

/** Options for {@link runTour}. */
export type TourOptions = {
  scale: Scale;
  seed: number;
  /** output HTML path (default report/index.html) */
  out: string;
  /** chapter ids to run (default all) */
  only?: string[];
  /** terminal output: summaries */
  print: (text: string) => void;
  /** progress and notes */
  err: NodeJS.WriteStream;
};

/** Run the chapters, print their summaries and write the report; returns the rendered chapters. */
export async function runTour(opts: TourOptions): Promise<RenderedChapter[]> {
  const chapters = opts.only ? CHAPTERS.filter((c) => opts.only!.includes(c.id)) : CHAPTERS;
  const rendered: RenderedChapter[] = [];
  for (const [i, chapter] of chapters.entries()) {
    opts.print(`\n== ${i + 1}. ${chapter.title} ==`);
    const t0 = performance.now();
    const result = await chapter.run({
      scale: opts.scale,
      seed: opts.seed,
      progress: (label, total) => createProgress({ label, total, stream: opts.err }),
      log: (line) => opts.err.write(`${line}\n`),
    });
    const seconds = (performance.now() - t0) / 1000;
    for (const t of result.summary) opts.print(`\n${t.title}\n${formatTable(t.columns, t.rows)}`);
    const blocks: RenderedChapter["blocks"] = [];
    for (const b of result.blocks) {
      blocks.push(b.kind === "plot" ? { kind: "svg", svg: await renderSvg(b.spec), caption: b.caption } : b);
    }
    rendered.push({ id: chapter.id, title: chapter.title, blurb: chapter.blurb, seconds, blocks });
    opts.print(`(${seconds.toFixed(1)} s)`);
  }
  const html = reportHtml(rendered, {
    scale: opts.scale,
    seed: opts.seed,
    date: new Date().toISOString().slice(0, 10),
  });
  mkdirSync(dirname(opts.out) || ".", { recursive: true });
  await writeFileAtomic(opts.out, new TextEncoder().encode(html));
  opts.print(`\nwrote ${opts.out}`);
  return rendered;
}
