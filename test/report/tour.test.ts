import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { runTour } from "../../src/report/tour.js";
import { tempDir } from "../cli/helpers.js";

test("the tour writes a self-contained report: every chapter's tables, findings and plots", async () => {
  const out = join(tempDir(), "sub", "index.html");
  let printed = "";
  const err = { write: () => true, isTTY: false } as unknown as NodeJS.WriteStream;
  const chapters = await runTour({ scale: "smoke", seed: 0, out, print: (t) => (printed += `${t}\n`), err });
  assert.deepEqual(
    chapters.map((c) => c.id),
    [
      "classifiers",
      "autoregressive",
      "pair-hmm",
      "gene-expression",
      "inverse-design",
      "lorenz",
      "evaluation",
    ],
  );
  const html = readFileSync(out, "utf8");
  assert.match(html, /^<!doctype html>/);
  assert.equal(
    (html.match(/<svg/g) ?? []).length,
    12,
    "two for classifiers, two for autoregressive, one for pair HMMs, two for gene expression, one for inverse design, one for Lorenz, three for evaluation",
  );
  assert.match(html, /Names, characters: held-out nats per token/);
  assert.match(html, /Sum-of-pairs accuracy|sum-of-pairs accuracy/);
  assert.match(html, /Held-out log-likelihood per cell/);
  assert.match(html, /zero-inflated NB VAE/);
  assert.match(html, /latent gradient ascent on the head/);
  assert.match(html, /Samples against a held-out trajectory/);
  assert.match(html, /On names \(characters\): (Kneser–Ney 3-gram beats add-k|add-k 3-gram is not beaten)/);
  assert.doesNotMatch(html, /<script|<link|src="http|href="http/, "no scripts or network resources");
  assert.match(html, /On consecutive-day pairs \(order 2\), B \(Markov\) is closer to history/);
  assert.match(html, /On single days \(order 1\) both are close/);
  assert.match(html, /Learning curves/);
  assert.match(html, /Breast Cancer Wisconsin \(Diagnostic\)<\/strong> \(30 features\): with \d+ examples/);
  assert.match(printed, /Two Gaussian classes \(200 points\)/);
  assert.match(printed, /A: i\.i\.d\.\s+\S+ ± \S+\s+\S+ ± \S+/);
  assert.match(printed, /wrote .*index\.html/);
});
