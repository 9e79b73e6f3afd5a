import assert from "node:assert/strict";
import { test } from "node:test";
import { ValueError } from "../../../src/errors.js";
import { encodeProtein } from "../../../src/models/pair-hmm/alphabet.js";
import {
  type FiveStateParams,
  fiveStateBackwardScore,
  fiveStateForwardScore,
  fiveStateMatchPosterior,
  PROBCONS_GAPS,
  probconsParams,
} from "../../../src/models/pair-hmm/five-state.js";
import { fiveStateViterbi } from "../../../src/models/pair-hmm/five-state-viterbi.js";
import { forwardScore } from "../../../src/models/pair-hmm/forward.js";
import { meaAlignment } from "../../../src/models/pair-hmm/mea.js";
import { blosumParams, randomParams, randomSequence, rng } from "./helpers.js";

const relClose = (a: number, b: number, tol: number) =>
  Math.abs(a - b) <= tol * Math.max(1, Math.abs(a), Math.abs(b));

/** Random valid five-state parameters (random match/background from `randomParams`); π when `withBegin`. */
function randomFive(u: () => number, withBegin: boolean): FiveStateParams {
  const { match, background, tau } = randomParams(u);
  const d0 = (1 - tau) * (0.02 + 0.2 * u());
  const d1 = (1 - tau) * (0.02 + 0.2 * u());
  const e0 = (1 - tau) * (0.05 + 0.9 * u());
  const e1 = (1 - tau) * (0.05 + 0.9 * u());
  let begin: number[] | undefined;
  if (withBegin) {
    begin = Array.from({ length: 5 }, () => 0.1 + u());
    const s = begin.reduce((a, b) => a + b, 0);
    begin = begin.map((v) => v / s);
  }
  return { delta: [d0, d1], epsilon: [e0, e1], tau, begin, match, background };
}

/**
 * Every state path of the five-state model by plain recursion in probability space, written from the
 * model's definition (transition matrix with Begin and End), independent of the DP code.
 */
function enumerateFive(p: FiveStateParams, x: Int8Array, y: Int8Array) {
  const n = x.length;
  const m = y.length;
  const [d0, d1] = p.delta;
  const [e0, e1] = p.epsilon;
  const T = [
    [1 - 2 * d0 - 2 * d1 - p.tau, d0, d0, d1, d1],
    [1 - e0 - p.tau, e0, 0, 0, 0],
    [1 - e0 - p.tau, 0, e0, 0, 0],
    [1 - e1 - p.tau, 0, 0, e1, 0],
    [1 - e1 - p.tau, 0, 0, 0, e1],
  ];
  const begin = p.begin ? p.begin.map((b) => (1 - p.tau) * b) : T[0];
  let total = 0;
  let max = 0;
  let paths = 0;
  const match = new Float64Array(n * m);
  const cells: number[] = [];
  const go = (i: number, j: number, row: readonly number[], prob: number) => {
    if (i === n && j === m) {
      const end = prob * p.tau;
      total += end;
      max = Math.max(max, end);
      paths++;
      for (const c of cells) match[c] += end;
    }
    if (i < n && j < m) {
      cells.push(i * m + j);
      go(i + 1, j + 1, T[0], prob * row[0] * p.match[x[i] * 20 + y[j]]);
      cells.pop();
    }
    for (const [gx, gy] of [
      [1, 2],
      [3, 4],
    ]) {
      if (i < n && row[gx] > 0) go(i + 1, j, T[gx], prob * row[gx] * p.background[x[i]]);
      if (j < m && row[gy] > 0) go(i, j + 1, T[gy], prob * row[gy] * p.background[y[j]]);
    }
  };
  // Begin is no emitting state: reaching (n,m) = (0,0) at once is Begin → End.
  if (n === 0 && m === 0) {
    total = p.tau;
    max = p.tau;
    paths = 1;
  } else go(0, 0, begin, 1);
  for (let k = 0; k < n * m; k++) match[k] /= total;
  return { total, max, match, paths };
}

function* tinyCases() {
  const u = rng(21);
  for (let rep = 0; rep < 3; rep++)
    for (let n = 0; n <= 4; n++)
      for (let m = 0; m <= 3; m++) {
        const p = rep === 0 ? probconsParams() : randomFive(u, rep === 2);
        yield { p, x: randomSequence(u, n), y: randomSequence(u, m) };
      }
}

test("five-state forward and backward equal the brute-force sum over every state path (0..4 x 0..3)", () => {
  let maxPaths = 0;
  for (const { p, x, y } of tinyCases()) {
    const brute = enumerateFive(p, x, y);
    maxPaths = Math.max(maxPaths, brute.paths);
    const f = fiveStateForwardScore(p, x, y);
    const b = fiveStateBackwardScore(p, x, y);
    const want = Math.log(brute.total);
    assert.ok(relClose(f, want, 1e-12), `${x.length}x${y.length}: forward ${f} vs ${want}`);
    assert.ok(relClose(b, want, 1e-12), `${x.length}x${y.length}: backward ${b} vs ${want}`);
  }
  assert.ok(maxPaths >= 64, `paths ${maxPaths}`);
});

test("five-state match posteriors equal the brute-force posteriors; each row sums to <= 1", () => {
  for (const { p, x, y } of tinyCases()) {
    const brute = enumerateFive(p, x, y);
    const { posterior, logProb } = fiveStateMatchPosterior(p, x, y);
    assert.ok(relClose(logProb, Math.log(brute.total), 1e-12));
    const m = y.length;
    for (let i = 0; i < x.length; i++) {
      let row = 0;
      for (let j = 0; j < m; j++) {
        const k = i * m + j;
        assert.ok(Math.abs(posterior[k] - brute.match[k]) < 1e-12, `(${i},${j})`);
        row += posterior[k];
      }
      assert.ok(row <= 1 + 1e-12);
    }
  }
});

/** log P(x, y, path) of a state path, from the model's definition. */
function pathLogProb(
  p: FiveStateParams,
  x: Int8Array,
  y: Int8Array,
  cols: [number, number][],
  states: Int8Array,
) {
  const [d0, d1] = p.delta;
  const [e0, e1] = p.epsilon;
  const T = [
    [1 - 2 * d0 - 2 * d1 - p.tau, d0, d0, d1, d1],
    [1 - e0 - p.tau, e0, 0, 0, 0],
    [1 - e0 - p.tau, 0, e0, 0, 0],
    [1 - e1 - p.tau, 0, 0, e1, 0],
    [1 - e1 - p.tau, 0, 0, 0, e1],
  ];
  let row = p.begin ? p.begin.map((b) => (1 - p.tau) * b) : T[0];
  let lp = 0;
  cols.forEach(([i, j], k) => {
    const s = states[k];
    assert.equal(s === 0, i >= 0 && j >= 0);
    const e = s === 0 ? p.match[x[i] * 20 + y[j]] : p.background[i >= 0 ? x[i] : y[j]];
    lp += Math.log(row[s] * e);
    row = T[s];
  });
  return lp + Math.log(p.tau);
}

test("five-state Viterbi equals the brute-force maximum, and its path has that probability", () => {
  for (const { p, x, y } of tinyCases()) {
    const brute = enumerateFive(p, x, y);
    const v = fiveStateViterbi(p, x, y);
    assert.ok(relClose(v.logProb, Math.log(brute.max), 1e-12), `${v.logProb} vs ${Math.log(brute.max)}`);
    assert.ok(relClose(pathLogProb(p, x, y, v.columns, v.states), v.logProb, 1e-12));
    assert.deepEqual(
      v.columns.filter(([i]) => i >= 0).map(([i]) => i),
      Array.from(x, (_, i) => i),
    );
    assert.deepEqual(
      v.columns.filter(([, j]) => j >= 0).map(([, j]) => j),
      Array.from(y, (_, j) => j),
    );
  }
});

test("all-X sequences: P(x,y) is the length distribution, and it sums to 1 over n, m", () => {
  // X (code 22) emits with summed probability 1, so P(X^n, X^m) = P(lengths n, m); the tail past 40
  // columns is (1 - τ)^41 < 1e-9.
  const p = probconsParams({ tau: 0.4, epsilon: [0.4, 0.55] });
  let total = 0;
  for (let n = 0; n <= 40; n++)
    for (let m = 0; m <= 40; m++)
      total += Math.exp(fiveStateForwardScore(p, new Int8Array(n).fill(22), new Int8Array(m).fill(22)));
  assert.ok(Math.abs(total - 1) < 1e-7, `sum ${total}`);
});

test("as delta[1] -> 0 (no begin distribution) the five-state forward tends to the three-state forward", () => {
  const u = rng(5);
  const x = randomSequence(u, 30);
  const y = randomSequence(u, 25);
  const [d, e, tau] = [0.03, 0.5, 0.02];
  const three = forwardScore(blosumParams(d, e, tau), x, y);
  const base = blosumParams(d, e, tau);
  const gaps: number[] = [];
  for (const d1 of [1e-3, 1e-5, 1e-7, 1e-9, 1e-12]) {
    const five = fiveStateForwardScore({ ...base, delta: [d, d1], epsilon: [e, 0.95 - tau], tau }, x, y);
    gaps.push(Math.abs(five - three));
  }
  // The error is O(δ2): it falls about 100× per step, down to 1e-10 nats.
  for (let k = 1; k < gaps.length; k++) assert.ok(gaps[k] < gaps[k - 1] / 20 || gaps[k] < 1e-10, `${gaps}`);
  assert.ok(gaps[gaps.length - 1] < 1e-9, `${gaps}`);
  assert.ok(gaps[0] > 1e-4, `${gaps}`);
});

test("bad five-state params throw ValueErrors naming the field", () => {
  const good = probconsParams();
  const cases: [Partial<FiveStateParams>, RegExp][] = [
    [{ delta: [0, 0.01] }, /params\.delta\[0\] must be in \(0, 1\)/],
    [{ delta: [0.01, Number.NaN] }, /params\.delta\[1\]/],
    [{ epsilon: [0.4, 1] }, /params\.epsilon\[1\]/],
    [{ tau: 0 }, /params\.tau/],
    [{ delta: [0.3, 0.3] }, /2\*delta\[0\] \+ 2\*delta\[1\] \+ tau < 1/],
    [{ epsilon: [0.4, 0.995] }, /epsilon\[1\] \+ tau < 1/],
    [{ begin: [0.5, 0.5, 0.5, 0, 0] }, /params\.begin must sum to 1/],
    [{ begin: [1, 0, 0, 0] }, /params\.begin must have 5 entries/],
    [{ match: new Float64Array(400) }, /params\.match/],
    [{ background: new Float64Array(20).fill(0.06) }, /params\.background/],
    [{ delta: [0.01] as unknown as [number, number] }, /params\.delta must be a pair/],
  ];
  const x = encodeProtein("ACD");
  for (const [patch, re] of cases)
    assert.throws(
      () => fiveStateForwardScore({ ...good, ...patch }, x, x),
      (err: unknown) => err instanceof ValueError && re.test(err.message),
      String(re),
    );
  assert.throws(
    () => fiveStateMatchPosterior(good, x, Int8Array.of(1, 23)),
    /fiveStateMatchPosterior: y must hold residue codes 0\.\.22/,
  );
  assert.throws(() => probconsParams({ tau: 2 }), /probconsParams: params\.tau/);
});

test("ProbCons defaults: begin sums to 1; a 300-residue pair stays finite and MEA aligns it", () => {
  assert.ok(Math.abs(PROBCONS_GAPS.begin.reduce((a, b) => a + b, 0) - 1) < 1e-15);
  const u = rng(9);
  const p = probconsParams();
  const x = randomSequence(u, 300);
  // y: x with a few substitutions and one long deletion, so a long gap is expected.
  const y = Int8Array.from([...x.subarray(0, 120), ...x.subarray(160)]).map((r) => (u() < 0.2 ? 7 : r));
  const f = fiveStateForwardScore(p, x, y);
  const b = fiveStateBackwardScore(p, x, y);
  assert.ok(Number.isFinite(f) && f < -1000, `log P = ${f}`);
  assert.ok(relClose(f, b, 1e-12), `${f} vs ${b}`);
  const { posterior, logProb } = fiveStateMatchPosterior(p, x, y);
  assert.ok(relClose(logProb, f, 1e-14));
  assert.ok(posterior.every((q) => q >= 0 && q <= 1 + 1e-12));
  const v = fiveStateViterbi(p, x, y);
  assert.ok(Number.isFinite(v.logProb) && v.logProb <= f);
  // The 40-residue deletion is decoded as one run in the long-gap state X2.
  const longRun = v.states.filter((s) => s === 3).length;
  assert.ok(longRun >= 35, `X2 columns ${longRun}`);
  const mea = meaAlignment(posterior, x.length, y.length);
  const pairs = mea.columns.filter(([i, j]) => i >= 0 && j >= 0);
  const right = pairs.filter(([i, j]) => (i < 120 ? i === j : i === j + 40)).length;
  assert.ok(right >= 250, `${right} of ${pairs.length} pairs on the true alignment`);
});
