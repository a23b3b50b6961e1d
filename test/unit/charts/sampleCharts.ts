import Decimal from 'decimal.js';
import type { CostChartInput, CostPoint, HistoryChartInput } from '../../../src/charts/schemas';

/**
 * Realistic chart inputs built from the ECONOMICS.md worked cross-checks: a custom Llama 3.1 8B on
 * a DGX Spark ($3,999 / 36 months + ~$11 power ≈ $122.08/month, a second box above 1.5B tokens a
 * month), Custom Model Import (2 CMUs x $0.0785/min = $9.42 per copy-hour + $3.90 storage, ~2.5M
 * tokens per copy-hour), on-demand base 8B at $0.22 per 1M tokens, and Provisioned Throughput at
 * $17,155 a month whatever the traffic.
 */

const SPARK_MONTHLY = new Decimal(3999).div(36).plus(11);
const SPARK_TOKENS_PER_BOX = 1.5e9;
const CMI_STORAGE = new Decimal('3.90');
const CMI_COPY_HOUR = new Decimal('9.42');
const CMI_TOKENS_PER_COPY_HOUR = 2.5e6;
const ON_DEMAND_PER_MILLION = new Decimal('0.22');
const PT_MONTHLY = new Decimal('17155');

const MIN_TOKENS = 1e6;
const MAX_TOKENS = 5e9;

function logGrid(min: number, max: number, count: number): number[] {
  return Array.from({ length: count }, (_, index) => Math.round(min * (max / min) ** (index / (count - 1))));
}

const grid = logGrid(MIN_TOKENS, MAX_TOKENS, 48);

function sparkPoints(): CostPoint[] {
  const boxesAt = (tokens: number) => Math.max(1, Math.ceil(tokens / SPARK_TOKENS_PER_BOX));
  const points: CostPoint[] = [];
  const stepEdges = [1, 2, 3]
    .map((boxes) => boxes * SPARK_TOKENS_PER_BOX)
    .filter((edge) => edge < MAX_TOKENS);
  const volumes = [...new Set([...grid, ...stepEdges])].sort((a, b) => a - b);
  for (const volume of volumes) {
    points.push({ volume, cost: SPARK_MONTHLY.times(boxesAt(volume)).toFixed(2) });
    if (stepEdges.includes(volume)) {
      const boxes = boxesAt(volume) + 1;
      points.push({
        volume,
        cost: SPARK_MONTHLY.times(boxes).toFixed(2),
        stepChange: true,
        stepLabel: `${ordinal(boxes)} box`,
      });
    }
  }
  return points;
}

function ordinal(count: number): string {
  return count === 2 ? '2nd' : count === 3 ? '3rd' : `${count}th`;
}

export const sampleCostChartInput: CostChartInput = {
  title: 'Custom Llama 3.1 8B: monthly cost by serving path',
  subtitle:
    'Business-hours traffic, 1,150 tokens per request, us-east-1 prices. On-demand is the base model.',
  volumeUnit: 'tokens',
  workload: { volume: 40_000 * 1_150 * 30, label: 'Your workload' },
  series: [
    { pathId: 'spark', pathLabel: 'DGX Spark (owned)', shortLabel: 'Spark', points: sparkPoints() },
    {
      pathId: 'cmi',
      pathLabel: 'Bedrock Custom Model Import',
      shortLabel: 'CMI',
      points: grid.map((volume) => ({
        volume,
        cost: CMI_STORAGE.plus(CMI_COPY_HOUR.times(volume).div(CMI_TOKENS_PER_COPY_HOUR)).toFixed(2),
      })),
    },
    {
      pathId: 'on-demand',
      pathLabel: 'On-demand tokens (base 8B)',
      shortLabel: 'On-demand',
      points: grid.map((volume) => ({
        volume,
        cost: ON_DEMAND_PER_MILLION.times(volume).div(1e6).toFixed(4),
      })),
    },
    {
      pathId: 'pt',
      pathLabel: 'Provisioned Throughput',
      shortLabel: 'PT',
      points: [
        { volume: MIN_TOKENS, cost: PT_MONTHLY.toFixed(2) },
        { volume: MAX_TOKENS, cost: PT_MONTHLY.toFixed(2) },
      ],
    },
  ],
  breakEvens: [
    {
      pathA: 'spark',
      pathB: 'cmi',
      volume: SPARK_MONTHLY.minus(CMI_STORAGE).div(CMI_COPY_HOUR).times(CMI_TOKENS_PER_COPY_HOUR).toNumber(),
      cost: SPARK_MONTHLY.toFixed(2),
    },
    {
      pathA: 'spark',
      pathB: 'on-demand',
      volume: SPARK_MONTHLY.div(ON_DEMAND_PER_MILLION).times(1e6).toNumber(),
      cost: SPARK_MONTHLY.toFixed(2),
    },
    {
      pathA: 'cmi',
      pathB: 'pt',
      volume: PT_MONTHLY.minus(CMI_STORAGE).div(CMI_COPY_HOUR).times(CMI_TOKENS_PER_COPY_HOUR).toNumber(),
      cost: PT_MONTHLY.toFixed(2),
    },
  ],
};

const DECODE_HISTORY: readonly [string, number][] = [
  ['2025-09-02T10:00:00Z', 38.1],
  ['2025-09-05T10:00:00Z', 38.6],
  ['2025-09-09T10:00:00Z', 38.4],
  ['2025-09-12T10:00:00Z', 38.9],
  ['2025-09-16T10:00:00Z', 38.7],
  ['2025-09-19T10:00:00Z', 38.2],
  ['2025-09-23T10:00:00Z', 38.8],
  ['2025-09-26T10:00:00Z', 31.4],
  ['2025-09-30T10:00:00Z', 38.5],
  ['2025-10-03T10:00:00Z', 39.0],
  ['2025-10-07T10:00:00Z', 38.6],
  ['2025-10-10T10:00:00Z', 41.2],
  ['2025-10-14T10:00:00Z', 41.5],
  ['2025-10-17T10:00:00Z', 41.0],
  ['2025-10-21T10:00:00Z', 41.4],
  ['2025-10-24T10:00:00Z', 35.2],
  ['2025-10-28T10:00:00Z', 35.6],
  ['2025-10-31T10:00:00Z', 41.3],
];

export const sampleHistoryChartInput: HistoryChartInput = {
  box: 'DGX Spark #1',
  model: 'llama-3.1-8b-lora (NVFP4)',
  profile: 'concurrency=1',
  metric: 'DECODE_TOKENS_PER_S',
  roofline: { value: 59.3, label: 'Roofline 59.3 tokens/s (273 GB/s ÷ 4.6 GB read per token)' },
  points: DECODE_HISTORY.map(([at, value], index) => ({
    at,
    value,
    runId: `run-${index + 1}`,
    ...(value === 31.4 ? { regression: { percentChange: -18.6, zScore: -9.4 } } : {}),
    ...(value === 35.2 ? { regression: { percentChange: -14.4, zScore: -6.1 } } : {}),
  })),
};
