/**
 * The one door to `@jax-js/jax`: applies the polyfills Node 20 needs before the library loads,
 * then re-exports it. Every module of ours imports jax-js from here, never directly.
 * See ../shared/JAXJS.md ("Node 20 needs a polyfill").
 */
import "./jax-polyfill.js";

export {
  type Array,
  blockUntilReady,
  type DType,
  grad,
  type JsTree,
  jit,
  jvp,
  lax,
  nn,
  numpy,
  numpy as np,
  random,
  scipySpecial,
  tree,
  valueAndGrad,
  vjp,
  vmap,
} from "@jax-js/jax";
