import type { TrafficShape } from './traffic';
import { WINDOW_SECONDS } from './traffic';

/**
 * A direct, seeded simulation of request arrivals and of both billing readings, used to check the
 * closed-form window model. Deterministic: the same seed gives the same counts on every machine.
 */

/** sfc32: small, fast, and good enough for Monte Carlo; seeded from one integer via splitmix32. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  const splitmix = () => {
    state = (state + 0x9e3779b9) >>> 0;
    let z = state;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
    return (z ^ (z >>> 16)) >>> 0;
  };
  let a = splitmix();
  let b = splitmix();
  let c = splitmix();
  let counter = 1;
  return () => {
    const t = (((a + b) >>> 0) + counter) >>> 0;
    counter = (counter + 1) >>> 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) >>> 0;
    c = ((c << 21) | (c >>> 11)) >>> 0;
    c = (c + t) >>> 0;
    // Never exactly 0, so logarithms stay finite.
    return (t + 0.5) / 4294967296;
  };
}

function standardNormal(random: () => number): number {
  return Math.sqrt(-2 * Math.log(random())) * Math.cos(2 * Math.PI * random());
}

/** Marsaglia–Tsang; shapes below 1 use the Gamma(k + 1)·U^(1/k) boost. */
function sampleGamma(random: () => number, shape: number, scale: number): number {
  if (shape < 1) return sampleGamma(random, shape + 1, scale) * random() ** (1 / shape);
  const d = shape - 1 / 3;
  const c = 1 / Math.sqrt(9 * d);
  for (;;) {
    let x = standardNormal(random);
    let v = 1 + c * x;
    if (v <= 0) continue;
    v = v * v * v;
    const u = random();
    x = x * x;
    if (u < 1 - 0.0331 * x * x || Math.log(u) < 0.5 * x + d * (1 - v + Math.log(v))) return d * v * scale;
  }
}

export interface SimulatedWindows {
  clockAlignedWindowsPerMonth: number;
  warmPeriodWindowsPerMonth: number;
  coldStartsPerMonth: number;
  warmHoursPerMonth: number;
  requestsPerMonth: number;
}

/**
 * Simulates `segmentsToSimulate` independent active segments and scales to a month. Each segment
 * starts in equilibrium: the first gap is the forward recurrence time U·Gamma(k + 1, θ), so the
 * simulation and the stationary model describe the same process.
 */
export function simulateBilledWindows(
  shape: TrafficShape,
  segmentsToSimulate: number,
  seed: number,
): SimulatedWindows {
  const random = seededRandom(seed);
  const rate = shape.arrivalRatePerSecond;
  const k = shape.gapShape;
  const scale = 1 / (k * rate);
  let clockWindows = 0;
  let warmPeriodWindows = 0;
  let coldStarts = 0;
  let warmSeconds = 0;
  let requests = 0;
  for (let segment = 0; segment < segmentsToSimulate; segment++) {
    let time = random() * sampleGamma(random, k + 1, scale);
    let lastCountedWindow = -1;
    let periodStart = Number.NaN;
    let previous = Number.NaN;
    while (time < shape.segmentSeconds) {
      requests++;
      // Clock reading: the call's own window and every window its 300 s tail reaches.
      const firstWindow = Math.floor(time / WINDOW_SECONDS);
      const tailWindow = Math.floor((time + WINDOW_SECONDS) / WINDOW_SECONDS);
      for (let window = Math.max(firstWindow, lastCountedWindow + 1); window <= tailWindow; window++) {
        clockWindows++;
        lastCountedWindow = window;
      }
      // Warm-period reading.
      if (Number.isNaN(previous) || time - previous > WINDOW_SECONDS) {
        if (!Number.isNaN(previous)) {
          const duration = previous - periodStart + WINDOW_SECONDS;
          warmPeriodWindows += Math.ceil(duration / WINDOW_SECONDS - 1e-9);
          warmSeconds += duration;
        }
        coldStarts++;
        periodStart = time;
      }
      previous = time;
      time += sampleGamma(random, k, scale);
    }
    if (!Number.isNaN(previous)) {
      const duration = previous - periodStart + WINDOW_SECONDS;
      warmPeriodWindows += Math.ceil(duration / WINDOW_SECONDS - 1e-9);
      warmSeconds += duration;
    }
  }
  const perMonth = shape.segmentsPerMonth / segmentsToSimulate;
  return {
    clockAlignedWindowsPerMonth: clockWindows * perMonth,
    warmPeriodWindowsPerMonth: warmPeriodWindows * perMonth,
    coldStartsPerMonth: coldStarts * perMonth,
    warmHoursPerMonth: (warmSeconds * perMonth) / 3600,
    requestsPerMonth: requests * perMonth,
  };
}
