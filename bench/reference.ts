/** Running a reference implementation's Python script side by side with a bench, and reading its JSON. */
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";

/** Debian's Python, where python3-torch, python3-sklearn and python3-scipy install. */
export const DEBIAN_PYTHON = "/usr/bin/python3";

/**
 * Run `bench/<script>` with `python` after checking that `probeImport` imports; the parsed JSON it
 * prints, or null with the reason (missing Python, missing module, failing script, no JSON).
 */
export function runPythonJson<T>(
  script: string,
  args: string[],
  opts: { python?: string; probeImport: string; install: string },
): { result: T | null; why: string } {
  const python = opts.python ?? DEBIAN_PYTHON;
  const probe = spawnSync(python, ["-c", `import ${opts.probeImport}`], {
    encoding: "utf8",
    timeout: 60_000,
  });
  if (probe.error) return { result: null, why: `${python} could not be run (${probe.error.message})` };
  if (probe.status !== 0) {
    return { result: null, why: `${opts.probeImport} is not importable by ${python} (${opts.install})` };
  }
  const path = fileURLToPath(new URL(`./${script}`, import.meta.url));
  const r = spawnSync(python, [path, ...args], { encoding: "utf8", timeout: 600_000 });
  if (r.status !== 0)
    return { result: null, why: `${python} ${path} failed: ${r.stderr.trim().split("\n").pop()}` };
  try {
    return { result: JSON.parse(r.stdout) as T, why: "" };
  } catch {
    return { result: null, why: `${python} ${path} printed no JSON` };
  }
}
