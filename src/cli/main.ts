/**
 * `novelist`: the command-line entry. Dispatches to one command per file in ./commands, prints
 * errors as one line (the stack only with --debug), exits 2 for usage errors and 1 for the rest.
 */

import { type Command, type Context, helpText, parseCommandArgs, UsageError } from "./command.js";
import { alignCommand, pairhmmCommand } from "./commands/align.js";
import { arCommand } from "./commands/ar.js";
import { classifyCommand } from "./commands/classify.js";
import { compareCommand } from "./commands/compare.js";
import { dataCommand } from "./commands/data.js";
import { designCommand } from "./commands/design.js";
import { divergenceCommand } from "./commands/divergence.js";
import { experimentCommand } from "./commands/experiment.js";
import { ngramCommand } from "./commands/ngram.js";
import { tourCommand } from "./commands/tour.js";
import { vaeCommand } from "./commands/vae.js";
import { weatherCommand } from "./commands/weather.js";

const COMMANDS: Command[] = [
  tourCommand,
  compareCommand,
  divergenceCommand,
  weatherCommand,
  classifyCommand,
  ngramCommand,
  arCommand,
  alignCommand,
  pairhmmCommand,
  vaeCommand,
  designCommand,
  experimentCommand,
  dataCommand,
];

const TOP_HELP = [
  "novelist: generative models: fit them, sample from them, and measure how close they come.",
  "",
  "Usage: novelist <command> [options]      (novelist <command> --help for its options)",
  "",
  "Commands:",
  ...COMMANDS.map((c) => `  ${c.name.padEnd(12)}${c.summary}`),
  "",
  "Global options:",
  "  --debug     show the stack trace with an error",
  "  --version   print the version",
  "  -h, --help  show this help",
].join("\n");

/** Run the CLI on `argv` (without node and script); resolves to the exit status. */
export async function main(argv: string[], ctx: Context): Promise<number> {
  const debug = argv.includes("--debug");
  const args = argv.filter((a) => a !== "--debug");
  try {
    if (args.length === 0 || args[0] === "--help" || args[0] === "-h" || args[0] === "help") {
      ctx.out(TOP_HELP);
      return 0;
    }
    if (args[0] === "--version") {
      ctx.out("novelist 0.1.0");
      return 0;
    }
    let cmd = COMMANDS.find((c) => c.name === args[0]);
    if (!cmd)
      throw new UsageError(`unknown command ${JSON.stringify(args[0])}; run novelist --help for the list`);
    let rest = args.slice(1);
    let path = `novelist ${cmd.name}`;
    while (cmd.subcommands) {
      if (rest.length === 0 || rest[0] === "--help" || rest[0] === "-h") {
        ctx.out(helpText(cmd));
        return rest.length === 0 ? 2 : 0;
      }
      const name = rest[0];
      const sub: Command | undefined = cmd.subcommands.find((s) => s.name === name);
      if (!sub) {
        throw new UsageError(
          `unknown subcommand ${JSON.stringify(name)} of ${cmd.name}; expected one of ${cmd.subcommands.map((s) => s.name).join(", ")}`,
        );
      }
      cmd = sub;
      path += ` ${sub.name}`;
      rest = rest.slice(1);
    }
    const parsed = parseCommandArgs(cmd, rest, path);
    if (parsed.values.help) {
      ctx.out(helpText(cmd));
      return 0;
    }
    if (!cmd.positionals && parsed.positionals.length > 0) {
      throw new UsageError(
        `unexpected argument ${JSON.stringify(parsed.positionals[0])}; see ${path} --help`,
      );
    }
    await cmd.run!(parsed, ctx);
    return 0;
  } catch (e) {
    const err = e as Error;
    const message = (err?.message ?? String(e)).split("\n")[0];
    ctx.err.write(`novelist: ${message}\n`);
    if (debug && err?.stack) ctx.err.write(`${err.stack}\n`);
    return e instanceof UsageError ? 2 : 1;
  }
}

/** Run with the process's arguments and streams, and set its exit status. */
export async function runFromProcess(): Promise<void> {
  process.exitCode = await main(process.argv.slice(2), {
    out: (text) => process.stdout.write(text.endsWith("\n") ? text : `${text}\n`),
    err: process.stderr,
  });
}
