/**
 * The shape of a CLI command and the helpers every command uses to read its options.
 * Usage errors (unknown option, missing or malformed value) exit 2; everything else exits 1.
 */
import { parseArgs } from "node:util";

/** A mistake in how the command was called: printed as one line, exit status 2. */
export class UsageError extends Error {
  override name = "UsageError";
}

/** An option as `node:util` parseArgs takes it, plus the help text. */
export type OptionSpec = {
  type: "string" | "boolean";
  short?: string;
  multiple?: boolean;
  /** shown in --help, e.g. "number of days (default 3653)" */
  help: string;
  /** placeholder in --help, e.g. "N" or "FILE" */
  value?: string;
};

/** What a command needs to print and to know where it runs. */
export type Context = {
  /** results: tables, JSON, CSV when no --out is given */
  out: (text: string) => void;
  /** progress and notes, on stderr */
  err: NodeJS.WriteStream;
};

/** A command: name, help and a run function over parsed options. */
export type Command = {
  name: string;
  summary: string;
  /** e.g. "novelist compare --data FILE --model NAME=FILE... [options]" */
  usage: string;
  /** more lines of help after the options (examples, notes) */
  details?: string[];
  options: Record<string, OptionSpec>;
  /** subcommands, dispatched on the first positional (e.g. "weather simulate") */
  subcommands?: Command[];
  positionals?: { name: string; help: string }[];
  run?: (args: ParsedArgs, ctx: Context) => Promise<void> | void;
};

/** Options and positionals after parsing. */
export type ParsedArgs = {
  values: Record<string, string | boolean | string[] | undefined>;
  positionals: string[];
};

/** Parse argv against a command's options (`path` is e.g. "novelist weather fit"); unknown options are usage errors. */
export function parseCommandArgs(cmd: Command, argv: string[], path: string): ParsedArgs {
  const specs: Record<string, OptionSpec> = {
    ...cmd.options,
    help: { type: "boolean", short: "h", help: "" },
  };
  const options: Record<string, { type: "string" | "boolean"; short?: string; multiple?: boolean }> = {};
  for (const [k, o] of Object.entries(specs)) {
    options[k] = { type: o.type };
    if (o.short) options[k].short = o.short;
    if (o.multiple) options[k].multiple = true;
  }
  try {
    const { values, positionals } = parseArgs({ args: argv, options, allowPositionals: true, strict: true });
    return { values: values as ParsedArgs["values"], positionals };
  } catch (e) {
    const err = e as Error & { code?: string };
    const opt = /'(-[^']*)'/.exec(err.message)?.[1];
    if (err.code === "ERR_PARSE_ARGS_UNKNOWN_OPTION" && opt) {
      throw new UsageError(`unknown option ${opt}; see ${path} --help`);
    }
    if (err.code === "ERR_PARSE_ARGS_INVALID_OPTION_VALUE" && opt) {
      const name = opt.replace(/^-+/, "").split(/[ ,]/)[0];
      const spec = specs[name] ?? Object.values(specs).find((o) => o.short === name);
      throw new UsageError(
        spec?.type === "boolean"
          ? `option ${opt.split(" ")[0]} takes no value`
          : `option ${opt.split(" ")[0]} needs a value`,
      );
    }
    throw new UsageError(`${path}: ${err.message.split("\n")[0]}`);
  }
}

/** The help text of a command. */
export function helpText(cmd: Command): string {
  const lines = [cmd.summary, "", `Usage: ${cmd.usage}`];
  if (cmd.subcommands?.length) {
    lines.push("", "Commands:");
    const w = Math.max(...cmd.subcommands.map((s) => s.name.length));
    for (const s of cmd.subcommands) lines.push(`  ${s.name.padEnd(w)}  ${s.summary}`);
  }
  if (cmd.positionals?.length) {
    lines.push("", "Arguments:");
    for (const p of cmd.positionals) lines.push(`  ${p.name.padEnd(22)}  ${p.help}`);
  }
  const opts = Object.entries(cmd.options).map(([k, o]) => {
    const flag = `${o.short ? `-${o.short}, ` : ""}--${k}${o.type === "string" ? ` ${o.value ?? "VALUE"}` : ""}`;
    return [flag, o.help];
  });
  opts.push(["-h, --help", "show this help"]);
  const w = Math.max(...opts.map(([f]) => f.length));
  lines.push("", "Options:", ...opts.map(([f, h]) => `  ${f.padEnd(w)}  ${h}`));
  if (cmd.details?.length) lines.push("", ...cmd.details);
  return lines.join("\n");
}

/** A string option, or `fallback`; a required one throws a usage error when missing. */
export function str(args: ParsedArgs, name: string, fallback?: string): string {
  const v = args.values[name];
  if (v === undefined) {
    if (fallback !== undefined) return fallback;
    throw new UsageError(`missing required option --${name}`);
  }
  if (typeof v !== "string") throw new UsageError(`--${name} must be given once`);
  return v;
}

/** An optional string option. */
export function optStr(args: ParsedArgs, name: string): string | undefined {
  const v = args.values[name];
  return v === undefined ? undefined : str(args, name);
}

/** A numeric option within bounds; `integer` requires a whole number. */
export function num(
  args: ParsedArgs,
  name: string,
  fallback: number | undefined,
  check: { min?: number; max?: number; integer?: boolean; exclusiveMin?: boolean } = {},
): number {
  const raw = args.values[name];
  if (raw === undefined) {
    if (fallback === undefined) throw new UsageError(`missing required option --${name}`);
    return fallback;
  }
  const s = str(args, name);
  const x = Number(s);
  const what = check.integer ? "an integer" : "a number";
  if (s.trim() === "" || !Number.isFinite(x) || (check.integer && !Number.isInteger(x))) {
    throw new UsageError(`--${name} must be ${what}, but got ${JSON.stringify(s)}`);
  }
  if (check.min !== undefined && (check.exclusiveMin ? x <= check.min : x < check.min)) {
    throw new UsageError(`--${name} must be ${check.exclusiveMin ? ">" : ">="} ${check.min}, but got ${s}`);
  }
  if (check.max !== undefined && x > check.max)
    throw new UsageError(`--${name} must be <= ${check.max}, but got ${s}`);
  return x;
}

/** One of a fixed set of values. */
export function choice<T extends string>(
  args: ParsedArgs,
  name: string,
  allowed: readonly T[],
  fallback?: T,
): T {
  const v = args.values[name] === undefined && fallback !== undefined ? fallback : str(args, name);
  if (!(allowed as readonly string[]).includes(v)) {
    throw new UsageError(`--${name} must be one of ${allowed.join(", ")}, but got ${JSON.stringify(v)}`);
  }
  return v as T;
}

/** A boolean flag. */
export function flag(args: ParsedArgs, name: string): boolean {
  return args.values[name] === true;
}

/** The `--seed` option shared by random commands (default 0). */
export const seedOption: OptionSpec = {
  type: "string",
  value: "N",
  help: "random seed, an integer (default 0)",
};

/** Read `--seed` as an unsigned 32-bit integer. */
export function seed(args: ParsedArgs): number {
  return num(args, "seed", 0, { integer: true, min: 0, max: 2 ** 32 - 1 });
}
