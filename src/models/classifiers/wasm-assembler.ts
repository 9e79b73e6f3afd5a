/**
 * A tiny WebAssembly assembler for hand-written kernels: function bodies written as linear text-format
 * instructions (the subset listed in OPCODES: structured control, locals, i32/f64 scalars, f64x2 SIMD)
 * assembled to bytes, and a module that imports one memory `env.mem` and exports its functions.
 * References: WebAssembly Core Specification 2.0 §5 (binary format: §5.2.2 LEB128 integers, §5.4
 * instructions, §5.5 modules) and its fixed-width SIMD instructions (opcode 0xfd prefix).
 */

/** Unsigned LEB128 (WebAssembly Core Spec §5.2.2). */
function uleb(v: number): number[] {
  const out: number[] = [];
  do {
    let byte = v & 0x7f;
    v >>>= 7;
    if (v !== 0) byte |= 0x80;
    out.push(byte);
  } while (v !== 0);
  return out;
}

/** Signed LEB128 of a 32-bit integer. */
function sleb(v: number): number[] {
  const out: number[] = [];
  for (;;) {
    const byte = v & 0x7f;
    v >>= 7;
    if ((v === 0 && !(byte & 0x40)) || (v === -1 && byte & 0x40)) return [...out, byte];
    out.push(byte | 0x80);
  }
}

const f64Bytes = (v: number) => Array.from(new Uint8Array(new Float64Array([v]).buffer));

/** Opcodes of the instructions the kernels use (Core Spec §5.4; SIMD: 0xfd then a LEB128 index). */
const OPCODES: Record<string, number[]> = {
  block: [0x02],
  loop: [0x03],
  if: [0x04],
  end: [0x0b],
  br: [0x0c],
  br_if: [0x0d],
  "local.get": [0x20],
  "local.set": [0x21],
  "i32.load": [0x28],
  "f64.load": [0x2b],
  "f64.store": [0x39],
  "i32.const": [0x41],
  "f64.const": [0x44],
  "i32.gt_s": [0x4a],
  "i32.ge_s": [0x4e],
  "i32.add": [0x6a],
  "i32.mul": [0x6c],
  "f64.add": [0xa0],
  "f64.sub": [0xa1],
  "f64.mul": [0xa2],
  "v128.load": [0xfd, ...uleb(0)],
  "v128.store": [0xfd, ...uleb(11)],
  "v128.const": [0xfd, ...uleb(12)],
  "f64x2.splat": [0xfd, ...uleb(20)],
  "f64x2.extract_lane": [0xfd, ...uleb(33)],
  "f64x2.replace_lane": [0xfd, ...uleb(34)],
  "f64x2.ge": [0xfd, ...uleb(76)],
  "v128.and": [0xfd, ...uleb(78)],
  "i64x2.shl": [0xfd, ...uleb(203)],
  "i64x2.add": [0xfd, ...uleb(206)],
  "f64x2.add": [0xfd, ...uleb(240)],
  "f64x2.sub": [0xfd, ...uleb(241)],
  "f64x2.mul": [0xfd, ...uleb(242)],
  "f64x2.div": [0xfd, ...uleb(243)],
  "f64x2.max": [0xfd, ...uleb(245)],
};

const TYPES = { i32: 0x7f, f64: 0x7c, v128: 0x7b };

/** A function: i32 parameters, an optional f64 result, typed locals, and its instructions. */
export type WasmFunction = {
  params: string[];
  result?: "f64";
  locals: [keyof typeof TYPES, string[]][];
  body: string;
};

/**
 * Assemble a function body from linear text-format instructions (`;;` comments; `$name` locals;
 * `f64x2.const v` = `v128.const f64x2 v v`); memory accesses use offset 0, natural alignment ≤ 8.
 */
function assemble(fn: WasmFunction): { type: number[]; code: number[] } {
  const index = new Map<string, number>();
  for (const name of [...fn.params, ...fn.locals.flatMap(([, names]) => names)]) index.set(name, index.size);
  const tokens = fn.body
    .replace(/;;[^\n]*/g, " ")
    .split(/\s+/)
    .filter(Boolean);
  const out: number[] = [];
  for (let i = 0; i < tokens.length; i++) {
    const name = tokens[i] === "f64x2.const" ? "v128.const" : tokens[i];
    const op = OPCODES[name];
    if (op === undefined) throw new Error(`assemble: unknown instruction ${tokens[i]}`);
    out.push(...op);
    if (name === "block" || name === "loop" || name === "if") out.push(0x40);
    else if (name === "br" || name === "br_if") out.push(...uleb(Number(tokens[++i])));
    else if (name.startsWith("local.")) {
      const local = index.get(tokens[++i].slice(1));
      if (local === undefined) throw new Error(`assemble: unknown local ${tokens[i]}`);
      out.push(...uleb(local));
    } else if (name === "i32.const") out.push(...sleb(Number(tokens[++i])));
    else if (name === "f64.const") out.push(...f64Bytes(Number(tokens[++i])));
    else if (name === "v128.const")
      out.push(...f64Bytes(Number(tokens[++i])), ...f64Bytes(Number(tokens[i])));
    else if (name.endsWith("load") || name.endsWith("store")) out.push(name === "i32.load" ? 2 : 3, 0);
    else if (name.endsWith("_lane")) out.push(Number(tokens[++i]));
  }
  out.push(0x0b);
  const locals = [
    ...uleb(fn.locals.length),
    ...fn.locals.flatMap(([t, names]) => [...uleb(names.length), TYPES[t]]),
  ];
  const type = [0x60, ...uleb(fn.params.length), ...fn.params.map(() => TYPES.i32)];
  type.push(...(fn.result ? [1, TYPES[fn.result]] : [0]));
  return { type, code: [...uleb(locals.length + out.length), ...locals, ...out] };
}

/** `init; while (!(exit)) { body; next }` as text-format instructions (a block around a loop). */
export const loop = (init: string, exit: string, body: string, next: string) =>
  `${init}\nblock loop ${exit} br_if 1\n${body}\n${next} br 0 end end`;

/**
 * A module of the given functions (Core Spec §5.5): imports memory `env.mem` (at least 1 page) and
 * exports each function under its key, in key order.
 */
export function assembleModule(functions: Record<string, WasmFunction>): Uint8Array<ArrayBuffer> {
  const vec = (items: number[][]) => [...uleb(items.length), ...items.flat()];
  const section = (id: number, body: number[]) => [id, ...uleb(body.length), ...body];
  const name = (s: string) => [...uleb(s.length), ...Array.from(s, (c) => c.charCodeAt(0))];
  const names = Object.keys(functions);
  const fns = Object.values(functions).map(assemble);
  return new Uint8Array([
    ...[0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00],
    ...section(1, vec(fns.map((f) => f.type))),
    ...section(2, vec([[...name("env"), ...name("mem"), 0x02, 0x00, 0x01]])),
    ...section(3, vec(fns.map((_, i) => [i]))),
    ...section(7, vec(names.map((s, i) => [...name(s), 0x00, i]))),
    ...section(10, vec(fns.map((f) => f.code))),
  ]);
}
