import assert from "node:assert/strict";
import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { parseCsv } from "../../src/data/csv.js";
import { tree } from "../../src/jax.js";
import { loadVae } from "../../src/models/vae/index.js";
import { type CliResult, cli, tempDir } from "./helpers.js";

/** `novelist vae ...` through `main`. */
const vae = (...argv: string[]): Promise<CliResult> => cli("vae", ...argv);

/** A deterministic uniform stream (Park–Miller) for the generated CSVs. */
function lcg(seed: number): () => number {
  let s = seed;
  return () => {
    s = (s * 16807) % 2147483647;
    return s / 2147483647;
  };
}

const dir = tempDir();

/** 60 rows of 6 count features with a two-valued label column "batch". */
function countsCsv(): string {
  const u = lcg(7);
  const lines = ["g1,g2,g3,g4,g5,g6,batch"];
  for (let i = 0; i < 60; i++) {
    const k = i % 2;
    const row = globalThis.Array.from({ length: 6 }, (_, j) =>
      Math.floor(u() * (k ? 2 + 2 * j : 12 - 2 * j)),
    );
    lines.push([...row, k ? "b" : "a"].join(","));
  }
  return `${lines.join("\n")}\n`;
}

/** 40 rows near a line in 3-D, with a non-numeric id column. */
function gaussianCsv(): string {
  const u = lcg(11);
  const lines = ["id,a,b,c"];
  for (let i = 0; i < 40; i++) {
    const t = 2 * u() - 1;
    lines.push(
      [`r${i}`, t, 2 * t + 0.1 * u(), 0.1 * u() - t]
        .map((v) => (typeof v === "number" ? v.toFixed(4) : v))
        .join(","),
    );
  }
  return `${lines.join("\n")}\n`;
}

const countsPath = join(dir, "counts.csv");
const gaussPath = join(dir, "gauss.csv");
writeFileSync(countsPath, countsCsv());
writeFileSync(gaussPath, gaussianCsv());
const nbModel = join(dir, "nb.safetensors");
const gaussModel = join(dir, "gauss.safetensors");

const table = (text: string) => parseCsv(text, "output");
const numbers = (rows: string[][], cols: number) => rows.map((r) => r.slice(0, cols).map(Number));

function oneLine(r: CliResult, code: number, pattern: RegExp): void {
  assert.equal(r.code, code, r.err);
  const lines = r.err.trimEnd().split("\n");
  assert.equal(lines.length, 1, r.err);
  assert.match(lines[0], /^novelist: /);
  assert.match(lines[0], pattern);
}

test("vae nb (conditional): train, encode, decode, sample, interpolate, score", async () => {
  // train: the checkpoint loads and carries the feature and label names
  const tr = await vae(
    "train",
    countsPath,
    "--likelihood",
    "nb",
    "--latent",
    "2",
    "--hidden",
    "16",
    "--steps",
    "40",
    "--batch",
    "16",
    "--label-column",
    "batch",
    "--seed",
    "1",
    "--out",
    nbModel,
  );
  assert.equal(tr.code, 0, tr.err);
  assert.match(tr.out, /training loss [\d.]+ nats\/row .*validation ELBO -?[\d.]+ nats\/row on 6 rows/);
  assert.match(tr.err, /vae train: done, 40\/40/);
  const ck = loadVae(new Uint8Array(readFileSync(nbModel)));
  assert.equal(ck.config.likelihood, "nb");
  assert.equal(ck.config.nLabels, 2);
  assert.deepEqual(ck.extra?.featureNames, ["g1", "g2", "g3", "g4", "g5", "g6"]);
  assert.deepEqual(ck.extra?.labels, ["a", "b"]);
  assert.equal(ck.extra?.labelColumn, "batch");
  tree.dispose(ck.params);

  // encode: z1, z2, var1, var2 and the label column, one row per input row
  const zPath = join(dir, "z.csv");
  const en = await vae("encode", nbModel, countsPath, "--out", zPath);
  assert.equal(en.code, 0, en.err);
  const z = table(readFileSync(zPath, "utf8"));
  assert.deepEqual(z.header, ["z1", "z2", "var1", "var2", "batch"]);
  assert.equal(z.rows.length, 60);
  for (const r of numbers(z.rows, 4)) {
    assert.ok(r.every(Number.isFinite));
    assert.ok(r[2] > 0 && r[3] > 0);
  }
  assert.deepEqual(
    z.rows.slice(0, 4).map((r) => r[4]),
    ["a", "b", "a", "b"],
  );

  // decode the encoder's output (per-row labels from its label column): non-negative means
  const de = await vae("decode", nbModel, zPath, "--library", "30");
  assert.equal(de.code, 0, de.err);
  const x = table(de.out);
  assert.deepEqual(x.header, ["g1", "g2", "g3", "g4", "g5", "g6", "batch"]);
  assert.equal(x.rows.length, 60);
  for (const r of numbers(x.rows, 6)) {
    assert.ok(r.every((v) => v >= 0 && Number.isFinite(v)));
    assert.ok(Math.abs(r.reduce((a, b) => a + b, 0) - 30) < 1e-3); // NB mean = softmax * library
  }

  // sample: integer counts from the full model; decoder means with --mean and --label
  const sa = await vae("sample", nbModel, "-n", "7", "--seed", "3");
  assert.equal(sa.code, 0, sa.err);
  const s = table(sa.out);
  assert.equal(s.rows.length, 7);
  for (const r of numbers(s.rows, 6)) assert.ok(r.every((v) => Number.isInteger(v) && v >= 0));
  assert.ok(s.rows.every((r) => r[6] === "a" || r[6] === "b"));
  const sm = await vae("sample", nbModel, "-n", "3", "--mean", "--label", "b");
  assert.equal(sm.code, 0, sm.err);
  assert.ok(table(sm.out).rows.every((r) => r[6] === "b"));

  // interpolate between rows 1 and 3 (both label a): 5 points
  const ip = await vae(
    "interpolate",
    nbModel,
    countsPath,
    "--from",
    "1",
    "--to",
    "3",
    "--steps",
    "5",
    "--spherical",
  );
  assert.equal(ip.code, 0, ip.err);
  const path = table(ip.out);
  assert.equal(path.rows.length, 5);
  assert.ok(numbers(path.rows, 6).every((r) => r.every((v) => v >= 0 && Number.isFinite(v))));
  const mixed = await vae("interpolate", nbModel, countsPath, "--from", "1", "--to", "2");
  oneLine(mixed, 1, /different labels \(a, b\); choose one with --label/);

  // score: same seed, same output; IWAE >= ELBO
  const sc1 = await vae("score", nbModel, countsPath, "--k", "30", "--seed", "5", "--json");
  const sc2 = await vae("score", nbModel, countsPath, "--k", "30", "--seed", "5", "--json");
  assert.equal(sc1.code, 0, sc1.err);
  assert.equal(sc1.out, sc2.out);
  const r = JSON.parse(sc1.out);
  assert.equal(r.rows, 60);
  assert.equal(r.k, 30);
  assert.equal(r.elboPerRow.length, 60);
  assert.equal(r.iwaePerRow.length, 60);
  assert.ok(Number.isFinite(r.elbo) && Number.isFinite(r.iwae));
  assert.ok(r.iwae >= r.elbo, `IWAE ${r.iwae} < ELBO ${r.elbo}`);
  assert.ok(r.iwae < 0);
});

test("vae gaussian: --drop, --epochs, round trip and text score", async () => {
  const tr = await vae(
    "train",
    gaussPath,
    "--likelihood",
    "gaussian",
    "--latent",
    "1",
    "--hidden",
    "8",
    "--epochs",
    "2",
    "--batch",
    "9",
    "--drop",
    "id",
    "--valid-fraction",
    "0",
    "--json",
    "--out",
    gaussModel,
  );
  assert.equal(tr.code, 0, tr.err);
  const summary = JSON.parse(tr.out);
  assert.equal(summary.steps, 8); // 2 epochs of floor(40 / 9) steps
  assert.equal(summary.trainRows, 40);
  assert.equal(summary.validElbo, null);
  const ck = loadVae(new Uint8Array(readFileSync(gaussModel)));
  assert.deepEqual(ck.extra?.featureNames, ["a", "b", "c"]);
  tree.dispose(ck.params);

  // the id column dropped at training is ignored again
  const en = await vae("encode", gaussModel, gaussPath);
  assert.equal(en.code, 0, en.err);
  const z = table(en.out);
  assert.deepEqual(z.header, ["z1", "var1"]);
  const zPath = join(dir, "gz.csv");
  writeFileSync(zPath, en.out);
  const de = await vae("decode", gaussModel, zPath, "--out", join(dir, "gx.csv"));
  assert.equal(de.code, 0, de.err);
  assert.match(de.err, /wrote .*gx\.csv/);
  assert.deepEqual(table(readFileSync(join(dir, "gx.csv"), "utf8")).header, ["a", "b", "c"]);

  const sa = await vae("sample", gaussModel, "-n", "4", "--seed", "2");
  assert.equal(sa.code, 0, sa.err);
  assert.deepEqual(table(sa.out).header, ["a", "b", "c"]);
  assert.equal(table(sa.out).rows.length, 4);
  const again = await vae("sample", gaussModel, "-n", "4", "--seed", "2");
  assert.equal(again.out, sa.out);

  const ip = await vae("interpolate", gaussModel, gaussPath, "--from", "2", "--to", "40", "--steps", "3");
  assert.equal(ip.code, 0, ip.err);
  assert.equal(table(ip.out).rows.length, 3);

  const sc = await vae("score", gaussModel, gaussPath, "--k", "20");
  assert.equal(sc.code, 0, sc.err);
  const m = /ELBO \(20 draws per row\): (\S+) nats\/row\nIWAE log p\(x\) \(K = 20\): (\S+) nats\/row/.exec(
    sc.out,
  );
  assert.ok(m, sc.out);
  assert.ok(Number(m[2]) >= Number(m[1]));
});

test("vae: bad options exit 2 with a one-line message", async () => {
  const out = join(dir, "never.safetensors");
  const cases: [string[], RegExp][] = [
    [
      ["train", countsPath, "--likelihood", "gamma", "--out", out],
      /--likelihood must be one of gaussian, bernoulli, poisson, nb, zinb/,
    ],
    [["train", countsPath, "--likelihood", "nb"], /missing required option --out/],
    [["train", countsPath, "--likelihood", "nb", "--latent", "0", "--out", out], /--latent must be >= 1/],
    [
      ["train", countsPath, "--likelihood", "nb", "--steps", "5", "--epochs", "1", "--out", out],
      /--steps or --epochs, not both/,
    ],
    [["train", countsPath, "--likelihood", "nb", "--hidden", "8,x", "--out", out], /--hidden must be/],
    [
      ["train", countsPath, "--likelihood", "nb", "--valid-fraction", "1", "--out", out],
      /--valid-fraction must be < 1/,
    ],
    [["train", countsPath, "--likelihood", "nb", "--lr", "0", "--out", out], /--lr must be > 0/],
    [["train", "--likelihood", "nb", "--out", out], /expected DATA\.csv/],
    [["train", countsPath, "--likelihood", "nb", "--bogus", "--out", out], /unknown option --bogus/],
    [["sample", nbModel], /missing required option --n/],
    [["sample", nbModel, "-n", "2.5"], /--n must be an integer/],
    [["interpolate", nbModel, countsPath, "--from", "0", "--to", "2"], /--from must be >= 1/],
    [
      ["interpolate", nbModel, countsPath, "--from", "1", "--to", "2", "--steps", "1"],
      /--steps must be >= 2/,
    ],
    [["score", nbModel, countsPath, "--k", "0"], /--k must be >= 1/],
    [["encode", nbModel], /expected VAE\.safetensors and DATA\.csv/],
  ];
  for (const [argv, pattern] of cases) oneLine(await vae(...argv), 2, pattern);
  assert.equal(existsSync(out), false);
});

test("vae: data that does not fit the model exits 1 naming the problem", async () => {
  const wide = join(dir, "wide.csv");
  writeFileSync(wide, "g1,g2,g3,g4,g5,g6,g7,batch\n1,2,3,4,5,6,7,a\n");
  oneLine(
    await vae("encode", nbModel, wide),
    1,
    /must have the model's 6 feature columns, but also has "g7".*--drop/,
  );
  const narrow = join(dir, "narrow.csv");
  writeFileSync(narrow, "g1,g2,g3,g4,g5,batch\n1,2,3,4,5,a\n");
  oneLine(await vae("score", nbModel, narrow), 1, /must have the model's 6 feature columns, but lacks "g6"/);
  const frac = join(dir, "frac.csv");
  writeFileSync(frac, "g1,g2,g3,g4,g5,g6,batch\n1,2,3.5,4,5,6,a\n");
  oneLine(
    await vae("encode", nbModel, frac),
    1,
    /line 2, column "g3" must be a non-negative integer count for likelihood "nb", but got "3.5"/,
  );
  oneLine(
    await vae("sample", nbModel, "-n", "2", "--label", "c"),
    1,
    /--label must be one of the model's labels "a", "b", but got "c"/,
  );
  const unknown = join(dir, "unknown-label.csv");
  writeFileSync(unknown, "g1,g2,g3,g4,g5,g6,batch\n1,2,3,4,5,6,zz\n");
  oneLine(
    await vae("encode", nbModel, unknown),
    1,
    /line 2, column "batch" must be one of the model's labels/,
  );
  const z3 = join(dir, "z3.csv");
  writeFileSync(z3, "z1,z2,z3\n0,0,0\n");
  oneLine(
    await vae("decode", nbModel, z3, "--label", "a"),
    1,
    /must have the columns z1\.\.z2 .*also has "z3"/,
  );
  oneLine(await vae("decode", gaussModel, z3, "--library", "5"), 1, /--library applies to count likelihoods/);
  oneLine(
    await vae("interpolate", nbModel, countsPath, "--from", "1", "--to", "61"),
    1,
    /--to must be a row of .* \(1 to 60\), but got 61/,
  );
  oneLine(
    await vae("score", join(dir, "missing.safetensors"), countsPath),
    1,
    /cannot read model .*no such file/,
  );
});

test("vae train: a failed run leaves no partial --out file", async () => {
  // 1. bad data: the existing file is untouched
  const out = join(dir, "kept.safetensors");
  writeFileSync(out, "old");
  oneLine(
    await vae("train", gaussPath, "--likelihood", "poisson", "--drop", "id", "--steps", "3", "--out", out),
    1,
    /column "a" must be a non-negative integer count for likelihood "poisson"/,
  );
  assert.equal(readFileSync(out, "utf8"), "old");
  // 2. training diverges: nothing is written
  const nan = join(dir, "nan.safetensors");
  const r = await vae(
    "train",
    gaussPath,
    "--likelihood",
    "gaussian",
    "--drop",
    "id",
    "--hidden",
    "8",
    "--latent",
    "1",
    "--lr",
    "1e9",
    "--steps",
    "20",
    "--json",
    "--out",
    nan,
  );
  oneLine(r, 1, /not finite at step \d+.*nothing written to .*nan\.safetensors/);
  assert.equal(existsSync(nan), false);
  // 3. a missing output directory fails before training
  oneLine(
    await vae(
      "train",
      countsPath,
      "--likelihood",
      "nb",
      "--drop",
      "batch",
      "--out",
      join(dir, "no", "x.safetensors"),
    ),
    1,
    /cannot write --out .*directory .* does not exist/,
  );
  assert.deepEqual(
    readdirSync(dir).filter((f) => f.endsWith(".tmp")),
    [],
  );
});
