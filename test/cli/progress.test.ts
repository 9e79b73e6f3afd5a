import assert from "node:assert/strict";
import { test } from "node:test";
import { createProgress } from "../../src/cli/progress.js";

function stream(isTTY: boolean) {
  const writes: string[] = [];
  const s = { write: (t: string) => writes.push(t) > 0, isTTY } as unknown as NodeJS.WriteStream;
  return { s, writes };
}

test("on a terminal: a bar redrawn in place, then a final line", () => {
  const saved = process.env.CI;
  delete process.env.CI;
  try {
    const { s, writes } = stream(true);
    const p = createProgress({ label: "fit", total: 4, stream: s });
    p.update(1);
    p.update(4, "loss 0.1");
    p.done();
    assert.match(writes[0], /^\rfit \[#{8}-{22}\] 1\/4 /);
    assert.match(writes[1], /^\rfit \[#{30}\] 4\/4 .* loss 0\.1/);
    assert.ok(writes[2].startsWith("\rfit done: 4/4 in ") && writes[2].endsWith("s\x1b[K\n"));
  } finally {
    if (saved !== undefined) process.env.CI = saved;
  }
});

test("elsewhere (pipes, CI): plain lines, at most one per interval, and a closing line", () => {
  const { s, writes } = stream(false);
  const p = createProgress({ label: "sampling", total: 1000, stream: s, every: 3600 });
  for (let i = 1; i <= 1000; i++) p.update(i);
  p.done();
  assert.equal(writes.length, 2, "the first update prints, the next 999 fall within the interval");
  assert.match(writes[0], /^sampling: 1\/1000 \(\d+\.\ds\)\n$/);
  assert.match(writes[1], /^sampling: done, 1000\/1000 in \d+\.\ds\n$/);
  assert.ok(writes.every((w) => !w.includes("\r")));
  const quiet = stream(false);
  const q = createProgress({ label: "x", total: 2, stream: quiet.s, quiet: true });
  q.update(1);
  q.done();
  assert.equal(quiet.writes.length, 0);
});
