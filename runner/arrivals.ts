import { SeededRandom } from './seeded-random';

/**
 * Send times for a request-rate profile, as `vllm bench serve` draws them: gaps from a gamma
 * distribution with shape = burstiness and mean 1 / rate (burstiness 1 is a Poisson process; lower
 * is burstier, higher more regular), accumulated, then rescaled so the last request goes out at
 * exactly n / rate, which keeps the achieved rate on target for small n. Rate "inf" sends
 * everything at once.
 *
 * @returns milliseconds from the start of the run, one per request, non-decreasing.
 */
export function arrivalOffsetsMs(
  requestCount: number,
  requestsPerSecond: number | 'inf',
  burstiness: number,
  seed: number,
): number[] {
  if (requestsPerSecond === 'inf') return new Array<number>(requestCount).fill(0);
  const random = new SeededRandom(seed);
  const meanGapS = 1 / requestsPerSecond;
  const offsets: number[] = [];
  let elapsedS = 0;
  for (let index = 0; index < requestCount; index++) {
    elapsedS += random.gamma(burstiness, meanGapS / burstiness);
    offsets.push(elapsedS);
  }
  const last = offsets[offsets.length - 1];
  const rescale = last !== undefined && last > 0 ? requestCount / requestsPerSecond / last : 1;
  return offsets.map((offsetS) => offsetS * rescale * 1000);
}
