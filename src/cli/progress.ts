/**
 * Progress for long work: a bar redrawn in place on a terminal, or a plain line every few seconds
 * (and at the end) when stderr is a file, a pipe or CI.
 */

/** A progress reporter: `update(done, note?)` as work advances, `done()` at the end. */
export type Progress = { update: (done: number, note?: string) => void; done: (note?: string) => void };

/** Options for {@link createProgress}. */
export type ProgressOptions = {
  label: string;
  total: number;
  stream?: NodeJS.WriteStream;
  /** seconds between plain lines when not on a terminal (default 5) */
  every?: number;
  /** print nothing (used by --json and tests) */
  quiet?: boolean;
};

/** Make a progress reporter on stderr (bar on a TTY, periodic lines otherwise). */
export function createProgress(opts: ProgressOptions): Progress {
  const { label, total, stream = process.stderr, every = 5, quiet = false } = opts;
  if (quiet) return { update: () => {}, done: () => {} };
  const tty = Boolean(stream.isTTY) && !process.env.CI;
  const t0 = Date.now();
  let last = 0;
  let current = 0;
  const elapsed = () => `${((Date.now() - t0) / 1000).toFixed(1)}s`;
  const update = (done: number, note?: string) => {
    current = done;
    const now = Date.now();
    if (tty) {
      if (now - last < 80 && done < total) return;
      last = now;
      const width = 30;
      const frac = total > 0 ? Math.min(1, done / total) : 1;
      const filled = Math.round(frac * width);
      stream.write(
        `\r${label} [${"#".repeat(filled)}${"-".repeat(width - filled)}] ${done}/${total} ${elapsed()}${note ? ` ${note}` : ""}\x1b[K`,
      );
    } else if (now - last >= every * 1000) {
      last = now;
      stream.write(`${label}: ${done}/${total} (${elapsed()})${note ? ` ${note}` : ""}\n`);
    }
  };
  return {
    update,
    done: (note?: string) => {
      if (tty)
        stream.write(`\r${label} done: ${current}/${total} in ${elapsed()}${note ? ` ${note}` : ""}\x1b[K\n`);
      else stream.write(`${label}: done, ${current}/${total} in ${elapsed()}${note ? ` ${note}` : ""}\n`);
    },
  };
}
