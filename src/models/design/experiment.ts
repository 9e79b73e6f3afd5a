/**
 * The whole inverse-design experiment on the built-in ABX3 candidates, as one call: enumerate and
 * label the 2,733 candidates (`enumeratePerovskites`), split them 80/20 from a key, train the design
 * model on the 80 %, check reconstruction and the property head on both parts, and compare the design
 * methods of `designReport` against the ground truth. Every valid design outside the training set is,
 * by construction, one of the held-out candidates, so "novel" means "recovered from the held-out 20 %".
 */
import { enumeratePerovskites, type PerovskiteRow } from "../../data/perovskites/index.js";
import { type Array, random, tree } from "../../jax.js";
import {
  type DesignReport,
  type DesignReportOptions,
  designReport,
  propertyAccuracy,
  reconstructionAccuracy,
} from "./report.js";
import {
  splitCompositions,
  type TrainDesignOptions,
  type TrainedDesignModel,
  trainDesignModel,
} from "./train.js";

/** Options of `perovskiteDesignExperiment`: training, the report, and the split (default 80 % train). */
export type DesignExperimentOptions = {
  train?: TrainDesignOptions;
  report?: DesignReportOptions;
  trainFraction?: number;
  /** restrict X to these anions (default all seven) */
  anions?: string[];
};

/** Accuracies of the trained model on the training and held-out candidates (fractions). */
export type DesignDiagnostics = {
  /** argmax decode of the encoder mean equals the composition */
  reconstruction: { train: number; heldOut: number };
  /** the head's P(perovskite) > ½ agrees with τ < 4.18 */
  property: { train: number; heldOut: number };
};

/** What `perovskiteDesignExperiment` returns; the caller owns (and disposes) `model.params`. */
export type DesignExperiment = {
  train: PerovskiteRow[];
  heldOut: PerovskiteRow[];
  model: TrainedDesignModel;
  diagnostics: DesignDiagnostics;
  report: DesignReport;
};

/** Split, train, diagnose and report (see the module comment). Consumes `key`. */
export async function perovskiteDesignExperiment(
  key: Array,
  opts: DesignExperimentOptions = {},
): Promise<DesignExperiment> {
  let rows: PerovskiteRow[];
  try {
    rows = enumeratePerovskites(opts.anions === undefined ? {} : { anions: opts.anions });
  } catch (e) {
    key.dispose();
    throw e;
  }
  const ks = random.split(key, 3);
  const { train, heldOut } = splitCompositions(ks.ref.slice(0), rows, { trainFraction: opts.trainFraction });
  let model: TrainedDesignModel;
  try {
    model = await trainDesignModel(ks.ref.slice(1), train, opts.train);
  } catch (e) {
    ks.dispose();
    throw e;
  }
  const p = () => tree.ref(model.params);
  const diagnostics: DesignDiagnostics = {
    reconstruction: {
      train: reconstructionAccuracy(p(), train),
      heldOut: reconstructionAccuracy(p(), heldOut),
    },
    property: { train: propertyAccuracy(p(), train), heldOut: propertyAccuracy(p(), heldOut) },
  };
  const report = designReport(p(), ks.slice(2), train, opts.report);
  return { train, heldOut, model, diagnostics, report };
}
