/** Model families, one namespace each. */
export * as weather from "./weather/index.js";
