/** `novelist tour` (what `npm start` runs): every chapter of the report, at a quick or full scale. */
import { CHAPTERS, runTour } from "../../report/tour.js";
import { type Command, flag, seed, seedOption, str, UsageError } from "../command.js";

/** `novelist tour [--full] [--out FILE] [--chapter ID]` */
export const tourCommand: Command = {
  name: "tour",
  summary: "run every chapter of the report and write report/index.html (what npm start does)",
  usage: "novelist tour [--full] [--seed N] [--out FILE] [--chapter ID ...]",
  options: {
    full: { type: "boolean", help: "the larger scale (slower) instead of the quick default" },
    seed: seedOption,
    out: {
      type: "string",
      value: "FILE",
      help: "where to write the HTML report (default report/index.html)",
    },
    chapter: {
      type: "string",
      multiple: true,
      value: "ID",
      help: `run only these chapters: ${CHAPTERS.map((c) => c.id).join(", ")}`,
    },
  },
  async run(args, ctx) {
    const only = args.values.chapter as string[] | undefined;
    for (const id of only ?? []) {
      if (!CHAPTERS.some((c) => c.id === id)) {
        throw new UsageError(
          `--chapter must be one of ${CHAPTERS.map((c) => c.id).join(", ")}, but got ${JSON.stringify(id)}`,
        );
      }
    }
    await runTour({
      scale: flag(args, "full") ? "full" : "quick",
      seed: seed(args),
      out: str(args, "out", "report/index.html"),
      only,
      print: ctx.out,
      err: ctx.err,
    });
  },
};
