import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildCatalog } from '../src/domain/engine/catalog';
import { costCurves } from '../src/domain/engine/curves';
import { decide } from '../src/domain/engine/decide';
import { resolveOptions } from '../src/domain/engine/evaluate';
import { buildServingOptions } from '../src/domain/engine/serving-options';
import { DEFAULT_VOLUME_RANGE } from '../src/domain/engine/volume-grid';
import { labEvidence } from '../test/fixtures/lab/lab-evidence';
import { customRetrievalWorkload, MOE_ALTERNATIVE, withMoeLora } from '../test/fixtures/lab/lab-workloads';

/**
 * Engine benchmark over the lab fixture (the evidence derived from seeds/, with the fine-tuned MoE
 * alternative the tests add): full `decide` (every analysis) and a 1,000-point cost curve over every
 * path. Prints a table and writes bench/results/engine.json. BENCH_RUNS (default 1,000) shortens a
 * run that only checks the bench works; warm-up is a tenth of it.
 */

const RUNS = Number(process.env.BENCH_RUNS ?? 1000);
const WARMUP = Math.ceil(RUNS / 10);

const workload = customRetrievalWorkload();
const decideOptions = { alternativeModelSlugs: MOE_ALTERNATIVE };

function percentile(sorted: readonly number[], fraction: number): number {
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil(fraction * sorted.length) - 1));
  return sorted[index] ?? Number.NaN;
}

function measure(label: string, run: () => unknown) {
  for (let index = 0; index < WARMUP; index++) run();
  const samples: number[] = [];
  for (let index = 0; index < RUNS; index++) {
    const start = performance.now();
    run();
    samples.push(performance.now() - start);
  }
  samples.sort((a, b) => a - b);
  return {
    label,
    runs: RUNS,
    medianMs: percentile(samples, 0.5),
    p99Ms: percentile(samples, 0.99),
    maxMs: samples[samples.length - 1] ?? Number.NaN,
  };
}

const evidence = withMoeLora(labEvidence());
const catalog = buildCatalog(evidence);
const { options } = buildServingOptions(
  catalog,
  workload,
  resolveOptions(workload, decideOptions).candidateModelSlugs,
);

const results = [
  { ...measure('decide (all analyses)', () => decide(workload, evidence, decideOptions)), targetMedianMs: 2 },
  {
    ...measure('decide (no sensitivity)', () =>
      decide(workload, evidence, { ...decideOptions, analyses: { sensitivity: false } }),
    ),
    targetMedianMs: null,
  },
  {
    ...measure('decide (core: costs, axes, kept sets)', () =>
      decide(workload, evidence, {
        ...decideOptions,
        analyses: { sensitivity: false, curves: false, breakEvens: false },
      }),
    ),
    targetMedianMs: null,
  },
  {
    ...measure(`cost curve, 1,000 points x ${options.length} options`, () =>
      costCurves(options, workload, DEFAULT_VOLUME_RANGE, 1000),
    ),
    targetMedianMs: 20,
  },
];

const pad = (text: string, width: number) => text.padEnd(width);
console.log(`${pad('benchmark', 48)}${pad('median ms', 12)}${pad('p99 ms', 12)}target`);
for (const result of results) {
  const target =
    result.targetMedianMs === null
      ? ''
      : `median <= ${result.targetMedianMs} ms ${result.medianMs <= result.targetMedianMs ? 'ok' : 'MISSED'}`;
  console.log(
    `${pad(result.label, 48)}${pad(result.medianMs.toFixed(3), 12)}${pad(result.p99Ms.toFixed(3), 12)}${target}`,
  );
}

const here = dirname(fileURLToPath(import.meta.url));
const output = join(here, 'results', 'engine.json');
mkdirSync(dirname(output), { recursive: true });
writeFileSync(
  output,
  `${JSON.stringify({ at: new Date().toISOString(), node: process.version, fixture: 'test/fixtures/lab/lab.generated.json', options: options.map((option) => option.id), results }, null, 2)}\n`,
);
console.log(`wrote ${output}`);
