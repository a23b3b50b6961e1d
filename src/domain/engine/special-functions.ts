/**
 * Regularized incomplete gamma functions, for the gamma-renewal arrival model in `windows.ts`.
 * Series below a + 1, Lentz continued fraction above (Numerical Recipes §6.2); accurate to ~1e-14,
 * far below the sampling noise of any traffic estimate.
 */

const LANCZOS = [
  676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059, 12.507343278686905,
  -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7,
];

function logGamma(x: number): number {
  if (x < 0.5) return Math.log(Math.PI / Math.sin(Math.PI * x)) - logGamma(1 - x);
  const shifted = x - 1;
  let sum = 0.99999999999980993;
  for (let index = 0; index < LANCZOS.length; index++) sum += (LANCZOS[index] ?? 0) / (shifted + index + 1);
  const t = shifted + LANCZOS.length - 0.5;
  return 0.5 * Math.log(2 * Math.PI) + (shifted + 0.5) * Math.log(t) - t + Math.log(sum);
}

const EPSILON = 1e-15;
const MAX_ITERATIONS = 500;

function lowerSeries(shape: number, x: number): number {
  let term = 1 / shape;
  let sum = term;
  for (let n = 1; n < MAX_ITERATIONS; n++) {
    term *= x / (shape + n);
    sum += term;
    if (Math.abs(term) < Math.abs(sum) * EPSILON) break;
  }
  return sum * Math.exp(-x + shape * Math.log(x) - logGamma(shape));
}

function upperContinuedFraction(shape: number, x: number): number {
  const tiny = 1e-300;
  let b = x + 1 - shape;
  let c = 1 / tiny;
  let d = 1 / b;
  let h = d;
  for (let n = 1; n < MAX_ITERATIONS; n++) {
    const an = -n * (n - shape);
    b += 2;
    d = an * d + b;
    if (Math.abs(d) < tiny) d = tiny;
    c = b + an / c;
    if (Math.abs(c) < tiny) c = tiny;
    d = 1 / d;
    const delta = d * c;
    h *= delta;
    if (Math.abs(delta - 1) < EPSILON) break;
  }
  return Math.exp(-x + shape * Math.log(x) - logGamma(shape)) * h;
}

/** P(shape, x) = γ(shape, x) / Γ(shape): probability a Gamma(shape, 1) variable is ≤ x. */
export function regularizedLowerGamma(shape: number, x: number): number {
  if (x <= 0) return 0;
  if (x < shape + 1) return lowerSeries(shape, x);
  return 1 - upperContinuedFraction(shape, x);
}

/** Q(shape, x) = 1 − P(shape, x). Computed directly in the upper tail so it does not cancel. */
export function regularizedUpperGamma(shape: number, x: number): number {
  if (x <= 0) return 1;
  if (x < shape + 1) return 1 - lowerSeries(shape, x);
  return upperContinuedFraction(shape, x);
}
