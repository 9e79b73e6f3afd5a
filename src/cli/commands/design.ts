/**
 * `novelist design perovskite`: inverse design of ABX3 perovskites with a VAE and a property head
 * (Gómez-Bombarelli et al. 2018): train on 80 % of the labelled candidates, search the latent space,
 * and score every design method against Bartel et al.'s τ < 4.18.
 */
import {
  A_SITE_IONS,
  B_SITE_IONS,
  type Composition,
  describeComposition,
  X_SITE_IONS,
} from "../../data/perovskites/index.js";
import { writeFileAtomic } from "../../io/node-files.js";
import { random, tree } from "../../jax.js";
import { saveDesignModel } from "../../models/design/checkpoint.js";
import { perovskiteDesignExperiment } from "../../models/design/experiment.js";
import type { DesignMethodRow } from "../../models/design/report.js";
import { type Command, flag, num, optStr, seed, seedOption } from "../command.js";
import { createProgress } from "../progress.js";
import { formatNumber, formatTable, jsonNumber } from "../table.js";

const COLUMNS: [keyof DesignMethodRow, string][] = [
  ["method", "method"],
  ["validity", "valid"],
  ["uniqueness", "unique"],
  ["novelty", "novel"],
  ["stable", "stable"],
  ["novelStable", "novel+stable"],
  ["distinctNovelStable", "distinct new"],
  ["predicted", "P model"],
  ["predictedAtLatent", "P at z"],
];

/** Fractions with three decimals, the count as an integer, "-" where absent (all right-aligned). */
function cell(key: keyof DesignMethodRow, header: string, v: string | number | undefined): string {
  if (typeof v === "string") return v;
  const s = v === undefined ? "-" : key === "distinctNovelStable" ? String(v) : formatFraction(v);
  return s.padStart(Math.max(5, header.length));
}

function formatFraction(v: number): string {
  return Number.isNaN(v) ? "NaN" : v.toFixed(3);
}

function label(c: Composition): string {
  return `${describeComposition(c)} (${A_SITE_IONS[c.a].symbol} ${B_SITE_IONS[c.b].symbol} ${X_SITE_IONS[c.x].symbol})`;
}

const perovskite: Command = {
  name: "perovskite",
  summary: "train a composition VAE with a stability head on ABX3 candidates, then design by latent search",
  usage:
    "novelist design perovskite [--n N] [--seed N] [--steps N] [--beta B] [--search-steps N] [--json] [--out FILE]",
  options: {
    n: { type: "string", short: "n", value: "N", help: "designs per method (default 100)" },
    steps: { type: "string", value: "N", help: "training steps (default 1500)" },
    beta: { type: "string", value: "B", help: "KL weight β of the ELBO (default 0.3)" },
    "search-steps": {
      type: "string",
      value: "N",
      help: "gradient-ascent steps in the latent space (default 25)",
    },
    seed: seedOption,
    json: { type: "boolean", help: "print the table and diagnostics as JSON" },
    out: {
      type: "string",
      value: "FILE",
      help: "save the trained model (safetensors, with its training set)",
    },
  },
  details: [
    "Columns are fractions of the N designs: valid = charge-neutral with rA > rB; unique = distinct among",
    "the valid; novel = valid and not in the training set (so one of the held-out 20 %); stable = valid and",
    "τ < 4.18 (Bartel et al. 2019, computed, not predicted); distinct new = distinct novel stable designs;",
    "P model = the head's P(perovskite) at each design's encoding; P at z = at the latent it was decoded from.",
    "",
    "Example:",
    "  novelist design perovskite --n 200 --seed 1 --out perovskite-vae.safetensors",
  ],
  async run(args, ctx) {
    const n = num(args, "n", 100, { integer: true, min: 1, max: 100_000 });
    const steps = num(args, "steps", 1500, { integer: true, min: 1, max: 1_000_000 });
    const beta = num(args, "beta", 0.3, { min: 0 });
    const searchSteps = num(args, "search-steps", 25, { integer: true, min: 0, max: 100_000 });
    const json = flag(args, "json");
    const out = optStr(args, "out");
    const bar = createProgress({ label: "design train", total: steps, stream: ctx.err, quiet: json });
    const ex = await perovskiteDesignExperiment(random.key(seed(args)), {
      train: {
        steps,
        beta,
        onProgress: (i) => {
          if (i.step % 10 === 0 || i.step === i.totalSteps) bar.update(i.step, `loss ${i.loss.toFixed(3)}`);
        },
      },
      report: { n, ascent: { steps: searchSteps } },
    });
    bar.done();
    const { params, config } = ex.model;
    if (out !== undefined)
      await writeFileAtomic(out, saveDesignModel({ params, config, training: ex.train }));
    else tree.dispose(params);
    // a valid design outside the training set is one of the held-out candidates
    const key = (c: Composition) => `${c.a},${c.b},${c.x}`;
    const heldOut = new Map(ex.heldOut.map((r) => [key(r), r]));
    const newStable = (method: DesignMethodRow["method"]) => {
      const found = new Map<string, Composition>();
      for (const c of ex.report.designs[method]) if (heldOut.get(key(c))?.perovskite) found.set(key(c), c);
      return [...found.values()];
    };
    if (json) {
      ctx.out(
        JSON.stringify({
          candidates: ex.train.length + ex.heldOut.length,
          train: ex.train.length,
          heldOut: ex.heldOut.length,
          steps,
          config,
          finalLoss: ex.model.history.loss[ex.model.history.loss.length - 1],
          diagnostics: ex.diagnostics,
          rows: ex.report.rows.map((r) =>
            Object.fromEntries(
              Object.entries(r).map(([k, v]) => [k, typeof v === "number" ? jsonNumber(v) : v]),
            ),
          ),
          newStable: Object.fromEntries(
            ex.report.rows.map((r) => [r.method, newStable(r.method).map(label)]),
          ),
          ...(out !== undefined ? { out } : {}),
        }),
      );
      return;
    }
    const d = ex.diagnostics;
    const pct = (x: number) => `${formatNumber(100 * x, 3)} %`;
    const lines = [
      `trained on ${ex.train.length} of ${ex.train.length + ex.heldOut.length} candidates (${steps} steps); ` +
        `reconstruction ${pct(d.reconstruction.train)} train, ${pct(d.reconstruction.heldOut)} held out; ` +
        `stability head accuracy ${pct(d.property.train)} train, ${pct(d.property.heldOut)} held out`,
      "",
      formatTable(
        COLUMNS.map(([, h]) => h),
        ex.report.rows.map((r) => COLUMNS.map(([k, h]) => cell(k, h, r[k]))),
      ),
    ];
    lines.push("");
    for (const method of ["latent-ascent", "latent-langevin"] as const) {
      const found = newStable(method);
      lines.push(
        `new stable designs (${method}, ${found.length}): ${found.length === 0 ? "none" : found.slice(0, 8).map(label).join(", ")}${found.length > 8 ? ", ..." : ""}`,
      );
    }
    if (out !== undefined) lines.push("", `saved the model to ${out}`);
    ctx.out(lines.join("\n"));
  },
};

/** `novelist design ...` */
export const designCommand: Command = {
  name: "design",
  summary: "inverse design: a VAE with a property head, searched in its latent space (ABX3 perovskites)",
  usage: "novelist design <perovskite> [options]",
  details: ["Example:", "  novelist design perovskite --n 100 --seed 0"],
  options: {},
  subcommands: [perovskite],
};
