import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { decide } from '../src/domain/engine/decide';
import { parseWorkload, WORKLOAD_RANGES, type Workload } from '../src/domain/engine/workload';
import { labEvidence } from '../test/fixtures/lab/lab-evidence';
import {
  baseModelWorkload,
  customRetrievalWorkload,
  MOE_ALTERNATIVE,
  withMoeLora,
} from '../test/fixtures/lab/lab-workloads';
import { inRange, inRangeWorkload } from '../test/support/workload-arbitrary';
import { compareAnswers } from './compare-answers';

/**
 * Writes `JSON.stringify` of `decide` (every analysis) for the lab workloads, seeds/workloads and
 * ANSWERS_COUNT (default 300) random in-range workloads (fixed fast-check seed), one per line, to
 * the file named by the first argument: run it before and after an engine speed change and diff.
 * With `--compare <before.jsonl>`, the new answers are then compared with those (see
 * `compareAnswers`): the command fails when any differs beyond what a speed change may move.
 */
const args = process.argv.slice(2);
const compareIndex = args.indexOf('--compare');
const before = compareIndex >= 0 ? args.splice(compareIndex, 2)[1] : undefined;
if (compareIndex >= 0 && !before) throw new Error('--compare needs the file of answers to compare with');
const output = args[0] ?? 'bench/results/engine-answers.jsonl';
const count = Number(process.env.ANSWERS_COUNT ?? 300);
const evidence = withMoeLora(labEvidence());
const R = WORKLOAD_RANGES;
const inputs = fc.sample(
  inRangeWorkload({
    models: ['llama-3.1-8b-lora', 'llama-3.1-8b-instruct-base', 'moe-26b-a4b-base', 'moe-26b-a4b-lora'],
    extra: {
      neededByDays: fc.option(inRange(R.neededByDays), { nil: null }),
      amortizationMonths: fc.option(inRange(R.amortizationMonths), { nil: null }),
      monthlyBudget: fc.option(fc.constantFrom('0', '100', '1500.00', '50000'), { nil: null }),
    },
  }),
  { seed: 15, numRuns: count },
);
const workloads: Workload[] = [customRetrievalWorkload(), baseModelWorkload()];
const dir = 'seeds/workloads';
for (const name of readdirSync(dir).sort()) {
  const parsed = parseWorkload(JSON.parse(readFileSync(join(dir, name), 'utf8')), evidence);
  if (parsed.ok) workloads.push(parsed.workload);
  else throw new Error(`${name}: ${JSON.stringify(parsed.issues)}`);
}
let skipped = 0;
for (const input of inputs) {
  const parsed = parseWorkload(input, evidence);
  if (parsed.ok) workloads.push(parsed.workload);
  else skipped++;
}
const lines: string[] = [];
const start = performance.now();
for (const workload of workloads) {
  for (const options of [{ alternativeModelSlugs: MOE_ALTERNATIVE }, {}]) {
    try {
      lines.push(JSON.stringify(decide(workload, evidence, options)));
    } catch (error) {
      lines.push(`error: ${(error as Error).message}`);
    }
  }
}
writeFileSync(output, `${lines.join('\n')}\n`);
console.log(
  `${workloads.length} workloads (${skipped} inputs not parsed), ${lines.length} answers in ${((performance.now() - start) / 1000).toFixed(1)} s -> ${output}`,
);
if (before) {
  const comparison = compareAnswers(readFileSync(before, 'utf8'), `${lines.join('\n')}\n`);
  console.log(comparison.report);
  if (!comparison.ok) process.exitCode = 1;
}
