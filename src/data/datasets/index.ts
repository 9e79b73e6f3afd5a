/** The built-in labelled datasets (Iris, Wine, Breast Cancer Wisconsin), with provenance. */
import { breastCancer } from "./breast-cancer.js";
import type { Dataset } from "./dataset.js";
import { iris } from "./iris.js";
import { wine } from "./wine.js";

export type { Dataset } from "./dataset.js";
export { breastCancer, iris, wine };

/** Every built-in dataset by name. */
export const DATASETS: Readonly<Record<string, Dataset>> = { iris, wine, "breast-cancer": breastCancer };
