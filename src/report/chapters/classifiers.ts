/**
 * Chapter "Generative vs discriminative": the detective and the novelist. Logistic regression learns
 * the boundary P(y|x) directly; LDA learns how each class makes its data (P(y), P(x|y) Gaussian with a
 * shared covariance) and classifies by Bayes' rule — so it can also draw new points. Then Ng & Jordan's
 * learning curves on the built-in datasets.
 */
import { DATASETS } from "../../data/datasets/index.js";
import { np, random } from "../../jax.js";
import { fromRows, type Matrix } from "../../linalg/matrix.js";
import { LDA } from "../../models/classifiers/lda.js";
import {
  CURVE_MODELS,
  type CurveModel,
  type LearningCurve,
  learningCurve,
} from "../../models/classifiers/learning-curve.js";
import { LogisticRegression } from "../../models/classifiers/logistic-regression.js";
import type { Chapter, ChapterContext, ChapterResult, SummaryTable } from "../chapter.js";
import type { PlotSpec } from "../plot.js";

const CLASS_COLORS = { domain: ["a", "b"], range: ["#1f4e99", "#b35806"] };

const MODEL_LABEL = { gnb: "Gaussian naive Bayes", lda: "LDA", logreg: "logistic regression" } as const;

/** Two Gaussian classes with a shared, correlated covariance: the setting where LDA is exactly right. */
function twoGaussians(seed: number, n: number): { X: Matrix; y: string[] } {
  const z = random.normal(random.key(seed), [n, 2]).dataSync() as Float32Array;
  const rows: number[][] = [];
  const y: string[] = [];
  for (let i = 0; i < n; i++) {
    const cls = i < n / 2 ? "a" : "b";
    const [mx, my] = cls === "a" ? [-1, -0.4] : [1, 0.6];
    // covariance [[1, 0.6], [0.6, 0.8]] through its Cholesky factor
    const x = mx + z[2 * i];
    const yy = my + 0.6 * z[2 * i] + Math.sqrt(0.8 - 0.36) * z[2 * i + 1];
    rows.push([x, yy]);
    y.push(cls);
  }
  return { X: fromRows(rows), y };
}

/** Endpoints of the line w·x + b = 0 across the box [lo, hi]². */
function boundary(w: [number, number], b: number, lo: number, hi: number) {
  // solve for x2 at the box's x1 edges (w2 is non-zero in this setting)
  return [lo, hi].map((x1) => ({ x1, x2: -(b + w[0] * x1) / w[1] }));
}

function picture(ctx: ChapterContext): { spec: PlotSpec; table: SummaryTable; text: string } {
  const { X, y } = twoGaussians(ctx.seed + 1, 200);
  const lda = LDA.fit(X, y, { solver: "svd" });
  const lr = LogisticRegression.fit(X, y, { C: 1 });
  const lo = -4;
  const hi = 4;
  // 1. posterior shading from LDA on a grid
  const g = 40;
  const gridRows: number[][] = [];
  for (let i = 0; i < g; i++)
    for (let j = 0; j < g; j++)
      gridRows.push([lo + ((i + 0.5) * (hi - lo)) / g, lo + ((j + 0.5) * (hi - lo)) / g]);
  const post = LDA.predictProba(lda, fromRows(gridRows));
  const cells = gridRows.map(([x1, x2], k) => ({
    x1: x1 - (hi - lo) / g / 2,
    x1e: x1 + (hi - lo) / g / 2,
    x2: x2 - (hi - lo) / g / 2,
    x2e: x2 + (hi - lo) / g / 2,
    p: post.data[k * 2 + 1],
  }));
  // 2. the two boundaries: both linear, w·x + b = 0 (decision function of class "b")
  const wLda: [number, number] = [lda.coef.data[0], lda.coef.data[1]];
  const wLr: [number, number] = [lr.coef.data[0], lr.coef.data[1]];
  const lines = [
    ...boundary(wLda, lda.intercept[0], lo, hi).map((p) => ({ ...p, model: "LDA (Bayes' rule)" })),
    ...boundary(wLr, lr.intercept[0], lo, hi).map((p) => ({ ...p, model: "logistic regression" })),
  ];
  // 3. points drawn from LDA's class-conditionals: the novelist writes new data
  const drawn = LDA.sample(lda, random.key(ctx.seed + 2), 100);
  const pts = [
    ...y.map((c, i) => ({ x1: X.data[2 * i], x2: X.data[2 * i + 1], class: c, source: "data" })),
    ...drawn.y.map((c, i) => ({
      x1: drawn.X.data[2 * i],
      x2: drawn.X.data[2 * i + 1],
      class: String(c),
      source: "sampled from LDA",
    })),
  ];
  const scale = { domain: [lo, hi] };
  const spec: PlotSpec = {
    width: 440,
    height: 440,
    layer: [
      {
        data: { values: cells },
        mark: { type: "rect", opacity: 0.55 },
        encoding: {
          x: { field: "x1", type: "quantitative", scale, title: "x₁" },
          x2: { field: "x1e" },
          y: { field: "x2", type: "quantitative", scale, title: "x₂" },
          y2: { field: "x2e" },
          color: {
            field: "p",
            type: "quantitative",
            title: "P(b | x), LDA",
            scale: { scheme: "blueorange", domain: [0, 1] },
          },
        },
      },
      {
        data: { values: pts.filter((p) => p.source === "data") },
        mark: { type: "circle", size: 26, opacity: 0.8 },
        encoding: {
          x: { field: "x1", type: "quantitative", scale },
          y: { field: "x2", type: "quantitative", scale },
          fill: { field: "class", type: "nominal", title: "data (class)", scale: CLASS_COLORS },
        },
      },
      {
        data: { values: pts.filter((p) => p.source !== "data") },
        mark: { type: "point", shape: "cross", size: 90, filled: true, stroke: "#000", strokeWidth: 0.6 },
        encoding: {
          x: { field: "x1", type: "quantitative", scale },
          y: { field: "x2", type: "quantitative", scale },
          color: { field: "class", type: "nominal", title: "sampled from LDA", scale: CLASS_COLORS },
        },
      },
      {
        data: { values: lines },
        mark: { type: "line", strokeWidth: 2.5, clip: true },
        encoding: {
          x: { field: "x1", type: "quantitative", scale },
          y: { field: "x2", type: "quantitative", scale },
          strokeDash: { field: "model", type: "nominal", title: "boundary" },
          color: { value: "#111" },
        },
      },
    ],
    resolve: { scale: { color: "independent" } },
  };
  const acc = (pred: (string | number)[]) => pred.filter((p, i) => p === y[i]).length / y.length;
  const table: SummaryTable = {
    title: "Two Gaussian classes (200 points): the generative and the discriminative boundary",
    columns: ["model", "boundary w₁", "boundary w₂", "intercept", "training accuracy", "can sample x?"],
    rows: [
      ["LDA", wLda[0], wLda[1], lda.intercept[0], acc(LDA.predict(lda, X)), "yes"],
      [
        "logistic regression",
        wLr[0],
        wLr[1],
        lr.intercept[0],
        acc(LogisticRegression.predict(lr, X)),
        "no: P(y|x) only",
      ],
    ],
  };
  const cos =
    (wLda[0] * wLr[0] + wLda[1] * wLr[1]) / (Math.hypot(wLda[0], wLda[1]) * Math.hypot(wLr[0], wLr[1]));
  const text = [
    "LDA's boundary is the line where the two classes' stories are equally plausible: log P(x, a) = log P(x, b). ",
    "Logistic regression finds a line by fitting P(y | x) directly. ",
    `Here, where the data really are two Gaussians with one covariance, the two lines nearly agree (the angle between their normals is ${((Math.acos(Math.min(1, Math.abs(cos))) * 180) / Math.PI).toFixed(1)}°). `,
    "Only LDA can write new data: the crosses are points it *sampled* from its learned class-conditionals, and they land where the data are.",
  ].join("");
  return { spec, table, text };
}

const pct = (x: number) => `${(100 * x).toFixed(1)}%`;

/** What a learning curve says, read off its numbers rather than assumed. */
function describeCurve(curve: LearningCurve, d: number): string {
  const last = curve.sizes.length - 1;
  const gen = (i: number) => (curve.error.gnb[i] <= curve.error.lda[i] ? "gnb" : "lda");
  const parts: string[] = [];
  // 1. small and large training sets: which side is ahead
  const g0 = gen(0);
  const ahead0 = curve.error[g0][0] < curve.error.logreg[0];
  parts.push(
    `with ${curve.sizes[0]} examples ${ahead0 ? "the generative side is ahead" : "logistic regression is ahead"} (${MODEL_LABEL[g0]} ${pct(curve.error[g0][0])}, logistic regression ${pct(curve.error.logreg[0])})`,
  );
  const gL = gen(last);
  const aheadL = curve.error.logreg[last] < curve.error[gL][last];
  parts.push(
    `with ${curve.sizes[last]} ${aheadL ? "logistic regression is ahead" : "the generative side is still ahead"} (${MODEL_LABEL[gL]} ${pct(curve.error[gL][last])}, logistic regression ${pct(curve.error.logreg[last])})`,
  );
  // 2. how soon each model comes within one percentage point of its own final error
  const settle = (m: CurveModel) =>
    curve.sizes[curve.error[m].findIndex((e) => e <= curve.error[m][last] + 0.01)];
  parts.push(
    `each comes within one point of its final error at ${CURVE_MODELS.map((m) => `${settle(m)} (${MODEL_LABEL[m]})`).join(", ")} examples`,
  );
  // 3. LDA's peak where the training set is about as large as the dimension
  const peak = curve.error.lda.indexOf(Math.max(...curve.error.lda));
  if (peak > 0 && peak < last) {
    parts.push(
      `LDA's error peaks at ${curve.sizes[peak]} examples (${pct(curve.error.lda[peak])}), near the ${d} features, where its pooled covariance is barely estimable — the "peaking" of pseudo-inverse LDA`,
    );
  }
  const shape =
    ahead0 && aheadL ? "The Ng–Jordan shape is there." : "The Ng–Jordan shape is only partly there.";
  return `${parts.join("; ")}. ${shape}`;
}

async function run(ctx: ChapterContext): Promise<ChapterResult> {
  const pic = picture(ctx);
  const repeats = ctx.scale === "full" ? 100 : 12;
  const curveTables: SummaryTable[] = [];
  const curveRows: { dataset: string; model: string; size: number; error: number; lo: number; hi: number }[] =
    [];
  const findings: string[] = [];
  const keys = np.unstack(random.split(random.key(ctx.seed + 3), Object.keys(DATASETS).length));
  for (const [k, d] of Object.values(DATASETS).entries()) {
    const bar = ctx.progress(`classifiers: learning curve, ${d.name}`, repeats);
    const curve = learningCurve(
      keys[k],
      fromRows(d.X),
      d.y.map((c) => d.classNames[c]),
      {
        repeats,
        onProgress: (done) => bar.update(done),
      },
    );
    bar.done();
    curveTables.push({
      title: `${d.title}: test error (%) vs training-set size, mean ± s.e. over ${repeats} random splits`,
      columns: ["training size", ...CURVE_MODELS.map((m) => MODEL_LABEL[m])],
      rows: curve.sizes.map((m, i) => [
        m,
        ...CURVE_MODELS.map(
          (mo) => `${(100 * curve.error[mo][i]).toFixed(1)} ± ${(100 * curve.stderr[mo][i]).toFixed(1)}`,
        ),
      ]),
    });
    for (const mo of CURVE_MODELS) {
      curve.sizes.forEach((m, i) => {
        const e = curve.error[mo][i];
        const s = curve.stderr[mo][i];
        curveRows.push({
          dataset: d.title,
          model: MODEL_LABEL[mo],
          size: m,
          error: 100 * e,
          lo: 100 * (e - s),
          hi: 100 * (e + s),
        });
      });
    }
    findings.push(
      `- **${d.title}** (${d.featureNames.length} features): ${describeCurve(curve, d.featureNames.length)}`,
    );
  }
  return {
    summary: [pic.table, ...curveTables],
    blocks: [
      {
        kind: "text",
        markdown:
          "Two ways to classify. The *detective* (logistic regression) learns P(y | x): the boundary, nothing more. The *novelist* (linear discriminant analysis) learns P(y) and P(x | y) — how each class makes its data — and classifies by Bayes' rule. Both end with a line; only the novelist can make new data.",
      },
      { kind: "table", table: pic.table },
      { kind: "text", markdown: pic.text },
      {
        kind: "plot",
        spec: pic.spec,
        caption:
          "Shading: LDA's posterior P(b | x). Lines: LDA's boundary (Bayes' rule on the fitted Gaussians) and logistic regression's. Circles: the data; crosses: points sampled from LDA's class-conditionals.",
      },
      {
        kind: "text",
        markdown: [
          "**Learning curves** (Ng & Jordan 2001). For each training-set size, random stratified splits hold out 30% for testing; features are standardised on the training set; logistic regression uses C = 1. ",
          "The classic expectation: the generative models reach their asymptote with fewer examples, the discriminative one wins with many. What these data say:",
          "",
          ...findings,
        ].join("\n"),
      },
      ...curveTables.map((t) => ({ kind: "table" as const, table: t })),
      {
        kind: "plot",
        caption: "Test error vs training-set size (log scale), mean ± one standard error over random splits.",
        spec: {
          data: { values: curveRows },
          facet: { column: { field: "dataset", type: "nominal", title: null } },
          spec: {
            width: 220,
            height: 200,
            layer: [
              {
                mark: { type: "line", point: true },
                encoding: {
                  x: {
                    field: "size",
                    type: "quantitative",
                    scale: { type: "log" },
                    title: "training examples",
                  },
                  y: { field: "error", type: "quantitative", title: "test error (%)" },
                  color: { field: "model", type: "nominal", title: null },
                },
              },
              {
                mark: { type: "errorbar" },
                encoding: {
                  x: { field: "size", type: "quantitative" },
                  y: { field: "lo", type: "quantitative", title: "test error (%)" },
                  y2: { field: "hi" },
                  color: { field: "model", type: "nominal" },
                },
              },
            ],
          },
          resolve: { scale: { y: "independent" } },
        },
      },
    ],
  };
}

/** The generative-vs-discriminative chapter. */
export const classifiersChapter: Chapter = {
  id: "classifiers",
  title: "Generative vs discriminative: the novelist and the detective",
  blurb:
    "LDA and logistic regression side by side; Ng & Jordan learning curves on Iris, Wine and Breast Cancer",
  run,
};
