/**
 * A seasonal Markov-chain weather simulator: the "history" that the weather example's generative
 * models are fitted to and judged against. Tomorrow's weather depends on today's through a 4×4
 * transition matrix that moves smoothly between a summer and a winter matrix with the day of year
 * (snow only in winter, long sunny spells in summer).
 */
import { ValueError } from "../errors.js";
import { drawIndex, hostUniforms } from "../host-random.js";
import type { Array as JaxArray } from "../jax.js";

/** The simulator's weather states, in the order used by its matrices. */
export const WEATHER_STATES = ["sunny", "cloudy", "rainy", "snowy"] as const;

// Rows: today's state; columns: tomorrow's (sunny, cloudy, rainy, snowy). Each row sums to 1.
const SUMMER = [
  [0.75, 0.17, 0.08, 0.0],
  [0.4, 0.35, 0.25, 0.0],
  [0.3, 0.35, 0.35, 0.0],
  [0.4, 0.4, 0.2, 0.0],
];
const WINTER = [
  [0.5, 0.3, 0.08, 0.12],
  [0.2, 0.42, 0.18, 0.2],
  [0.15, 0.35, 0.35, 0.15],
  [0.1, 0.3, 0.1, 0.5],
];

/** Weight of the winter matrix on a day of year (1..366): 1 in mid-January, 0 in mid-July. */
export function winterWeight(dayOfYear: number): number {
  return (1 + Math.cos((2 * Math.PI * (dayOfYear - 15)) / 365.25)) / 2;
}

/** The transition matrix `[4, 4]` (row-major, rows sum to 1) in force on a day of year. */
export function seasonalTransition(dayOfYear: number): Float64Array {
  const w = winterWeight(dayOfYear);
  const t = new Float64Array(16);
  for (let i = 0; i < 4; i++)
    for (let j = 0; j < 4; j++) t[4 * i + j] = w * WINTER[i][j] + (1 - w) * SUMMER[i][j];
  return t;
}

/** Options for {@link simulateWeather}. */
export type SimulateOptions = {
  /** first date, ISO `YYYY-MM-DD` (default 2000-01-01) */
  start?: string;
  /** number of days (default 3653, ten years) */
  days?: number;
};

/** One simulated series: ISO dates and the weather of each day. */
export type WeatherSeries = { dates: string[]; weather: string[] };

/** Simulate a daily weather history with the seasonal chain; consumes `key`. */
export function simulateWeather(key: JaxArray, opts: SimulateOptions = {}): WeatherSeries {
  const { start = "2000-01-01", days = 3653 } = opts;
  if (!Number.isInteger(days) || days < 1) {
    key.dispose();
    throw new ValueError(`simulateWeather: days must be a positive integer, but got ${days}`);
  }
  const t0 = parseIsoDate(start, "simulateWeather: start", () => key.dispose());
  const u = hostUniforms(key, days);
  const dates = isoDates(start, days);
  const weather: string[] = [];
  // The first day is drawn from the winter/summer mix of a "yesterday" that was cloudy.
  let state = 1;
  for (let d = 0; d < days; d++) {
    state = drawIndex(seasonalTransition(dayOfYear(new Date(t0 + d * 86_400_000))), u[d], 4 * state, 4);
    weather.push(WEATHER_STATES[state]);
  }
  return { dates, weather };
}

/** Day of the year, 1 for 1 January (UTC). */
export function dayOfYear(date: Date): number {
  return Math.floor((date.getTime() - Date.UTC(date.getUTCFullYear(), 0, 1)) / 86_400_000) + 1;
}

/** Consecutive ISO dates (`YYYY-MM-DD`, UTC) from `start`; a malformed `start` is a ValueError. */
export function isoDates(start: string, n: number): string[] {
  const t0 = parseIsoDate(start, "isoDates: start");
  return Array.from({ length: n }, (_, d) => new Date(t0 + d * 86_400_000).toISOString().slice(0, 10));
}

function parseIsoDate(s: string, what: string, cleanup?: () => void): number {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s);
  const t = m ? Date.UTC(+m[1], +m[2] - 1, +m[3]) : Number.NaN;
  if (!m || new Date(t).toISOString().slice(0, 10) !== s) {
    cleanup?.();
    throw new ValueError(`${what} must be a date YYYY-MM-DD, but got ${JSON.stringify(s)}`);
  }
  return t;
}
