/** Model families, one namespace each. */
export * as classifiers from "./classifiers/index.js";
export * as design from "./design/index.js";
export * as gan from "./gan/index.js";
export * as latent from "./latent/index.js";
export * as ngram from "./ngram/index.js";
export * as pairHmm from "./pair-hmm/index.js";
export * as transformer from "./transformer/index.js";
export * as vae from "./vae/index.js";
export * as weather from "./weather/index.js";
