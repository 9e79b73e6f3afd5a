import assert from "node:assert/strict";
import { test } from "node:test";
import { column, formatCsv, parseCsv } from "../../src/data/csv.js";

test("parses quoted fields, escaped quotes, CRLF and a trailing newline", () => {
  const t = parseCsv('a,b\r\n1,"x, ""y"""\r\n"multi\nline",2\n');
  assert.deepEqual(t.header, ["a", "b"]);
  assert.deepEqual(t.rows, [
    ["1", 'x, "y"'],
    ["multi\nline", "2"],
  ]);
});

test("formatCsv round-trips through parseCsv", () => {
  const rows = [
    ["plain", 'with "quote"'],
    ["a,b", "line\nbreak"],
  ];
  const t = parseCsv(formatCsv(["c1", "c2"], rows));
  assert.deepEqual(t.rows, rows);
});

test("bad CSV gives one-line errors naming the source", () => {
  assert.throws(() => parseCsv("", "h.csv"), /h\.csv: file is empty/);
  assert.throws(
    () => parseCsv("a,b\n1\n", "h.csv"),
    /h\.csv: row 2 must have 2 fields like the header, but has 1/,
  );
  assert.throws(() => parseCsv('a\n"open\n', "h.csv"), /quoted field is never closed/);
  assert.throws(
    () => column(parseCsv("a,b\n1,2\n"), "weather", "h.csv"),
    /column "weather" not found; columns are "a", "b"/,
  );
});
