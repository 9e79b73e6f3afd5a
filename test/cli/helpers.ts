/** Run the CLI in-process and capture what it prints. */
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { main } from "../../src/cli/main.js";

export type CliResult = { code: number; out: string; err: string };

export async function cli(...argv: string[]): Promise<CliResult> {
  let out = "";
  let err = "";
  const errStream = {
    write: (s: string) => {
      err += s;
      return true;
    },
    isTTY: false,
  } as unknown as NodeJS.WriteStream;
  const code = await main(argv, { out: (t) => (out += t.endsWith("\n") ? t : `${t}\n`), err: errStream });
  return { code, out, err };
}

export function tempDir(): string {
  return mkdtempSync(join(tmpdir(), "novelist-test-"));
}
