/**
 * Novelist's public API, by namespace. Everything reachable from here runs unchanged in a browser
 * (no `fs`, `process` or console); Node-only code lives in `cli/`, `report/` and `io/node-files.ts`.
 */
export * as data from "./data/index.js";
export * as distributions from "./distributions/index.js";
export * from "./errors.js";
export * as experiments from "./experiments/index.js";
export * as io from "./io/index.js";
export * as jax from "./jax.js";
export * as linalg from "./linalg/index.js";
export * as metrics from "./metrics/index.js";
export * as models from "./models/index.js";
export * as nn from "./nn/index.js";
export * as optim from "./optim/index.js";
export * as train from "./train/index.js";
