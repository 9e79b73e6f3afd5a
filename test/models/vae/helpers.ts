// Test helpers for the VAE tests: a sixth-order central difference and small statistics.

/**
 * f'(0) from `at(delta) = f(x + delta)` by the sixth-order central stencil
 * (-f(-3h) + 9f(-2h) - 45f(-h) + 45f(h) - 9f(2h) + f(3h)) / 60h. jax-js's exp is float32-accurate even
 * in float64, which puts ~1e-7 relative noise on f; a wide step (h = 0.05) keeps that noise below ~1e-5
 * while the truncation error is O(h^6).
 */
export function centralDifference(at: (delta: number) => number, h: number): number {
  return (-at(-3 * h) + 9 * at(-2 * h) - 45 * at(-h) + 45 * at(h) - 9 * at(2 * h) + at(3 * h)) / (60 * h);
}

export const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;

export const sd = (xs: number[]) => {
  const m = mean(xs);
  return Math.sqrt(xs.reduce((a, b) => a + (b - m) ** 2, 0) / (xs.length - 1));
};
