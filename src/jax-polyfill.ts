/**
 * Polyfills that `@jax-js/jax` 0.1.25 needs on Node 20: iterator helpers (`einsum`,
 * `dotProductAttention`) and a `Float16Array` global (`np.array(Float64Array)`). Harmless in browsers
 * that already have them. Imported for its side effects by `jax.ts`, before jax-js itself.
 */
// biome-ignore lint/suspicious/noExplicitAny: patching a built-in prototype
const iterProto: any = Object.getPrototypeOf(Object.getPrototypeOf([][Symbol.iterator]()));
iterProto.map ??= function* (this: Iterable<unknown>, f: (x: unknown, i: number) => unknown) {
  let i = 0;
  for (const x of this) yield f(x, i++);
};
iterProto.filter ??= function* (this: Iterable<unknown>, f: (x: unknown, i: number) => boolean) {
  let i = 0;
  for (const x of this) if (f(x, i++)) yield x;
};
iterProto.toArray ??= function (this: Iterable<unknown>) {
  return [...this];
};
// biome-ignore lint/suspicious/noExplicitAny: feature-detecting a global
(globalThis as any).Float16Array ??= class Float16Array {};

export {};
