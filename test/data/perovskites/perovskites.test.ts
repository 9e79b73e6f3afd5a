import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";
import {
  A_SITE_IONS,
  B_SITE_IONS,
  bartelTau,
  candidateProblem,
  composition,
  describeComposition,
  enumeratePerovskites,
  goldschmidtTolerance,
  ionSymbol,
  isChargeNeutral,
  labelComposition,
  octahedralFactor,
  siteIons,
  TAU_THRESHOLD,
  X_SITE_IONS,
} from "../../../src/data/perovskites/index.js";

const FIXTURE = "test/fixtures/perovskites";
type Literature = {
  formula: string;
  id: string;
  expLabel: number;
  published: { rA: number; rB: number; rX: number; t: number; tau: number; tauPred: number };
};
const expected = JSON.parse(readFileSync(`${FIXTURE}/expected.json`, "utf8")) as {
  counts: { total: number; perovskite: number };
  rows: [string, number, number, number][];
  literature: Literature[];
  misclassifiedByTau: string[];
};
const ROWS = enumeratePerovskites();

function close(a: number, b: number, tol: number, what: string): void {
  assert.ok(Math.abs(a - b) <= tol, `${what}: ${a} vs ${b}`);
}

test("the fixture was generated from the current radii table", () => {
  const ions = JSON.parse(readFileSync(`${FIXTURE}/ions.json`, "utf8"));
  assert.deepEqual(ions, JSON.parse(JSON.stringify({ A: A_SITE_IONS, B: B_SITE_IONS, X: X_SITE_IONS })));
});

test("site vocabularies: unique symbols, the right sign and site, positive radii, flagged substitutions", () => {
  for (const [site, ideal] of [
    ["A", 12],
    ["B", 6],
    ["X", 6],
  ] as const) {
    const vocab = siteIons(site);
    assert.equal(new Set(vocab.map((i) => i.symbol)).size, vocab.length, `${site} symbols are unique`);
    for (const ion of vocab) {
      assert.equal(ion.site, site);
      assert.equal(ion.symbol, ionSymbol(ion.element, ion.charge));
      assert.ok(site === "X" ? ion.charge < 0 : ion.charge > 0, `${ion.symbol} charge sign`);
      assert.ok(ion.radius > 0 && ion.radius < 2.5, `${ion.symbol} radius`);
      assert.equal(ion.substituted, ion.coordination !== ideal);
      assert.ok(Number.isInteger(ion.record) && ion.record > 0);
    }
  }
  assert.deepEqual(
    X_SITE_IONS.map((i) => i.symbol),
    ["O2-", "F-", "Cl-", "Br-", "I-", "S2-", "Se2-"],
  );
  const byA = (s: string) => A_SITE_IONS.find((i) => i.symbol === s)!;
  assert.deepEqual(
    [byA("Ca2+").coordination, byA("Ca2+").radius, byA("Ca2+").substituted],
    [12, 1.34, false],
  );
  assert.deepEqual([byA("Li+").coordination, byA("Li+").radius, byA("Li+").substituted], [8, 0.92, true]);
  assert.equal(B_SITE_IONS.find((i) => i.symbol === "Ti4+")!.radius, 0.605);
  assert.equal(B_SITE_IONS.find((i) => i.symbol === "Co3+")!.spin, "HS");
  // the one value that is not Shannon's is labelled as such
  assert.deepEqual(
    [...A_SITE_IONS, ...B_SITE_IONS, ...X_SITE_IONS]
      .filter((i) => i.source !== "Shannon 1976")
      .map((i) => i.symbol),
    ["Sn2+"],
  );
  assert.equal(ionSymbol("O", -2), "O2-");
  assert.equal(ionSymbol("K", 1), "K+");
});

test("formulas: t, μ and τ by hand for CaTiO3", () => {
  const c = composition("Ca2+", "Ti4+", "O2-");
  assert.equal(describeComposition(c), "CaTiO3");
  assert.ok(isChargeNeutral(c));
  const r = labelComposition(c);
  close(r.t, (1.34 + 1.4) / (Math.SQRT2 * (0.605 + 1.4)), 1e-15, "t");
  close(r.mu, 0.605 / 1.4, 1e-15, "mu");
  const ratio = 1.34 / 0.605;
  close(r.tau, 1.4 / 0.605 - 2 * (2 - ratio / Math.log(ratio)), 1e-12, "tau");
  close(r.tau, 3.8847, 1e-4, "tau value");
  assert.equal(r.id, "Ca2+ Ti4+ O2-");
  assert.ok(r.perovskite && r.tPerovskite);
  close(goldschmidtTolerance(1.61, 0.605, 1.4), 1.0615, 1e-4, "BaTiO3 t");
  close(octahedralFactor(1.19, 1.96), 0.6071, 1e-4, "CsPbBr3 mu");
  close(bartelTau(1.88, 1.19, 2.2, 1), 4.3033, 1e-4, "CsPbI3 tau");
});

test("enumeration matches the independent numpy computation: same candidates, order and values", () => {
  assert.equal(ROWS.length, expected.counts.total);
  assert.equal(ROWS.filter((r) => r.perovskite).length, expected.counts.perovskite);
  ROWS.forEach((r, i) => {
    const [id, t, mu, tau] = expected.rows[i];
    assert.equal(r.id, id);
    close(r.t, t, 1e-10 * t, `${id} t`);
    close(r.mu, mu, 1e-10 * mu, `${id} mu`);
    close(r.tau, tau, 1e-10 * Math.abs(tau), `${id} tau`);
  });
});

test("every candidate is charge-neutral with distinct elements and rA > rB; every other triple is excluded", () => {
  const ids = new Set(ROWS.map((r) => r.id));
  assert.equal(ids.size, ROWS.length);
  let neutral = 0;
  for (let x = 0; x < X_SITE_IONS.length; x++)
    for (let a = 0; a < A_SITE_IONS.length; a++)
      for (let b = 0; b < B_SITE_IONS.length; b++) {
        const c = { a, b, x };
        const id = `${A_SITE_IONS[a].symbol} ${B_SITE_IONS[b].symbol} ${X_SITE_IONS[x].symbol}`;
        if (isChargeNeutral(c)) neutral++;
        assert.equal(ids.has(id), candidateProblem(c) === null, id);
      }
  for (const r of ROWS) {
    assert.equal(r.nA + r.nB + 3 * r.nX, 0);
    assert.ok(r.rA > r.rB);
    assert.equal(r.formula, describeComposition(r));
    assert.equal(r.perovskite, r.tau < TAU_THRESHOLD);
  }
  assert.ok(neutral > ROWS.length, "some neutral triples are excluded (same element or rA <= rB)");
  // per anion: oxides and chalcogenides share the cation pairs, halides share theirs
  const count = (x: string) => ROWS.filter((r) => r.id.endsWith(` ${x}`)).length;
  assert.equal(count("O2-"), count("S2-"));
  assert.equal(count("F-"), count("I-"));
  assert.equal(enumeratePerovskites({ anions: ["F-", "Cl-"] }).length, 2 * count("F-"));
  // formulas are not unique ids: EuTiO3 is both Eu2+Ti4+ and Eu3+Ti3+
  assert.equal(ROWS.filter((r) => r.formula === "EuTiO3" && r.nX === -2).length, 2);
});

test("literature: radii, t and τ agree with Bartel et al.'s Table S1; τ's misses are the documented ones", () => {
  const byId = new Map(ROWS.map((r) => [r.id, r]));
  const wrong: string[] = [];
  for (const lit of expected.literature) {
    const r = byId.get(lit.id);
    assert.ok(r, `${lit.formula} (${lit.id}) is a candidate`);
    assert.equal(r.formula, lit.formula);
    // Table S1 rounds to two decimals
    for (const k of ["rA", "rB", "rX", "t", "tau"] as const)
      close(r[k], lit.published[k], 0.0051, `${lit.formula} ${k}`);
    assert.equal(r.perovskite, lit.published.tauPred === 1, `${lit.formula} classified as Bartel et al. do`);
    if (r.perovskite !== (lit.expLabel === 1)) wrong.push(lit.formula);
  }
  assert.deepEqual(wrong, expected.misclassifiedByTau);
  // classic perovskites are predicted perovskite
  for (const f of ["CaTiO3", "SrTiO3", "BaTiO3", "PbTiO3", "KNbO3", "LaAlO3", "KMgF3", "CsPbBr3", "CsPbCl3"])
    assert.ok(byId.get(expected.literature.find((l) => l.formula === f)!.id)!.perovskite, f);
  // ilmenites, LiNbO3-type, carbonates, nitrates and borates are not
  for (const f of ["FeTiO3", "MgTiO3", "NiTiO3", "LiNbO3", "CaCO3", "KNO3", "LaBO3"])
    assert.ok(!byId.get(expected.literature.find((l) => l.formula === f)!.id)!.perovskite, f);
  // the documented misses include the halide perovskites CsPbI3 and CsSnI3 (τ 4.30 and 4.24)
  assert.ok(wrong.includes("CsPbI3") && wrong.includes("CsSnI3"));
});

test("bad input is a ValueError naming the argument", () => {
  assert.throws(() => composition("Xx2+", "Ti4+", "O2-"), /composition: aIon must be one of Li\+, Na\+/);
  assert.throws(() => composition("Ca2+", "Ti4+", "N3-"), /composition: xIon must be one of O2-/);
  assert.throws(
    () => isChargeNeutral({ a: -1, b: 0, x: 0 }),
    /isChargeNeutral: a must be an index in \[0, 38\)/,
  );
  assert.throws(() => describeComposition({ a: 0, b: 1.5, x: 0 }), /describeComposition: b must be an index/);
  assert.throws(
    () => labelComposition(composition("Ca2+", "Nb5+", "O2-")),
    /labelComposition: Ca2\+ Nb5\+ O2- is not charge-neutral/,
  );
  assert.throws(
    () => labelComposition(composition("Mn2+", "Mn4+", "O2-")),
    /A and B are the same element \(Mn\)/,
  );
  assert.throws(() => labelComposition(composition("Li+", "Na+", "F-")), /not charge-neutral/);
  assert.throws(() => labelComposition(composition("Ni2+", "Ca2+", "F-")), /not charge-neutral/);
  assert.throws(() => labelComposition(composition("Mg2+", "Sr2+", "O2-")), /not charge-neutral/);
  assert.throws(
    () => labelComposition(composition("Ni2+", "Na+", "F-")),
    /rA \(0\.69 Å\) must exceed rB \(1\.02 Å\)/,
  );
  assert.throws(() => bartelTau(1, 1, 1.4, 2), /bartelTau: rA must exceed rB/);
  assert.throws(
    () => bartelTau(1.3, 0.6, 1.4, 0),
    /bartelTau: nA must be a positive integer oxidation state/,
  );
  assert.throws(
    () => goldschmidtTolerance(-1, 0.6, 1.4),
    /goldschmidtTolerance: rA must be a positive radius in Å, but got -1/,
  );
  assert.throws(() => octahedralFactor(0.6, Number.NaN), /octahedralFactor: rX must be a positive radius/);
  assert.throws(
    () => enumeratePerovskites({ anions: ["Te2-"] }),
    /enumeratePerovskites: anions must be among/,
  );
});
