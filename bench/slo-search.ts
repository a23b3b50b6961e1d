/**
 * What does the SLO search save? Against the loaded fake (its own process, launched the way the
 * runner launches a server configuration), for SLOs whose crossing is known (TPOT = 3c ms, so
 * TPOT mean ≤ 3c* + 1.5 ms puts the largest concurrency at exactly c*), it runs:
 *  - the SLO search (geometric climb, bisection to one stream, levels stopped once certain to miss);
 *  - the baseline: a plain geometric ladder to the same precision (one stream), which must step
 *    1, 2, 3, … up to the first level that misses, each level measured in full.
 * and prints levels, requests and wall time for each, and whether each found c*.
 * Run with `npm run bench:slo-search`; writes bench/results/slo-search.json.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { runBenchmark } from '../runner/load';
import { launchServer } from '../runner/server-configurations';
import { type BenchmarkRunSpecInput, parseBenchmarkRunSpec } from '../src/domain/run-spec';
import { levelMeetsSlos, sweepLevelOf, sweepOutcome } from '../src/domain/slo-search';
import {
  expectedTpotMs,
  LOADED_CONFIGURATIONS,
  largestConcurrencyForTpot,
} from '../test/fakes/loaded-server';

const CROSSINGS = [3, 6, 12, 20] as const;
const COMMON = {
  endpointKind: 'completions',
  model: 'fake-model',
  numPrompts: 8,
  inputTokens: 16,
  outputTokens: 16,
  warmupRequests: 1,
} as const;
const model = LOADED_CONFIGURATIONS.baseline as NonNullable<(typeof LOADED_CONFIGURATIONS)['baseline']>;

function spec(input: Partial<BenchmarkRunSpecInput>) {
  const parsed = parseBenchmarkRunSpec({ ...COMMON, ...input });
  if (!parsed.success) throw new Error(parsed.errors.join('; '));
  return parsed.spec;
}

interface Strategy {
  found: number | null;
  levels: number;
  requests: number;
  wallS: number;
}

async function main(): Promise<void> {
  const server = await launchServer(
    {
      name: 'baseline',
      command: 'node --import tsx test/fakes/loaded-server-main.ts --port {port} --config baseline',
    },
    { startupTimeoutMs: 60_000, log: () => {} },
  );
  const rows: { crossing: number; limitMs: number; search: Strategy; ladder: Strategy }[] = [];
  try {
    for (const crossing of CROSSINGS) {
      // Halfway between the TPOT at c* and at c* + 1.
      const limitMs = (expectedTpotMs(model, crossing) + expectedTpotMs(model, crossing + 1)) / 2;
      if (largestConcurrencyForTpot(model, limitMs) !== crossing) throw new Error('crossing arithmetic');
      const slos = { tpotMeanMs: limitMs };
      const requestsOf = (levels: { summary: { completed: number; failed: number } }[]) =>
        levels.reduce(
          (sum, level) => sum + level.summary.completed + level.summary.failed + COMMON.warmupRequests,
          0,
        );

      let started = performance.now();
      const searchSpec = spec({ profile: { kind: 'slo-search', slos, maxConcurrency: 256 } });
      const searched = await runBenchmark(searchSpec, { endpointUrl: server.endpointUrl });
      if (searchSpec.profile.kind !== 'slo-search') throw new Error('unreachable');
      const settings = searchSpec.profile;
      const outcome = sweepOutcome(
        searched.levels.map((level) => sweepLevelOf(level.summary, slos, level.searchPhase ?? 'CLIMB')),
        slos,
        settings,
      );
      const search: Strategy = {
        found: outcome.maxConcurrencyAtSlo,
        levels: searched.levels.length,
        requests: requestsOf(searched.levels),
        wallS: (performance.now() - started) / 1000,
      };

      // The ladder: every concurrency from 1 until the first miss, each level in full.
      started = performance.now();
      const ladderLevels: { summary: { completed: number; failed: number } }[] = [];
      let found: number | null = null;
      for (let concurrency = 1; concurrency <= 256; concurrency++) {
        const ladderSpec = spec({
          profile: { kind: 'concurrency', levels: [concurrency] },
          slos: { tpotMs: limitMs },
        });
        // The same whole rounds per level as the search, so the two measure each level alike.
        ladderSpec.numPrompts = concurrency * Math.max(2, Math.ceil(COMMON.numPrompts / concurrency));
        const [level] = (await runBenchmark(ladderSpec, { endpointUrl: server.endpointUrl })).levels;
        if (!level) break;
        ladderLevels.push(level);
        if (!levelMeetsSlos(level.summary, slos)) break;
        found = concurrency;
      }
      const ladder: Strategy = {
        found,
        levels: ladderLevels.length,
        requests: requestsOf(ladderLevels),
        wallS: (performance.now() - started) / 1000,
      };
      rows.push({ crossing, limitMs, search, ladder });
      process.stderr.write(`crossing ${crossing}: search ${search.levels} levels, ladder ${ladder.levels}\n`);
    }
  } finally {
    await server.stop();
  }

  const header = [
    'known c*',
    'TPOT limit ms',
    'search found',
    'levels',
    'requests',
    'wall s',
    'ladder found',
    'levels',
    'requests',
    'wall s',
    'requests saved',
  ];
  const table = rows.map((row) => [
    String(row.crossing),
    row.limitMs.toFixed(1),
    String(row.search.found),
    String(row.search.levels),
    String(row.search.requests),
    row.search.wallS.toFixed(1),
    String(row.ladder.found),
    String(row.ladder.levels),
    String(row.ladder.requests),
    row.ladder.wallS.toFixed(1),
    `${Math.round((1 - row.search.requests / row.ladder.requests) * 100)}%`,
  ]);
  const widths = header.map((title, column) =>
    Math.max(title.length, ...table.map((cells) => (cells[column] ?? '').length)),
  );
  const render = (cells: readonly string[]) =>
    cells.map((cell, column) => cell.padStart(widths[column] ?? 0)).join('  ');
  console.log('SLO search vs a plain geometric ladder to one-stream precision (loaded fake, TPOT = 3c ms)');
  console.log(render(header));
  for (const cells of table) console.log(render(cells));
  const exact = (strategy: 'search' | 'ladder') =>
    rows.filter((row) => row[strategy].found === row.crossing).length;
  const withinOne = (strategy: 'search' | 'ladder') =>
    rows.every((row) => Math.abs((row[strategy].found ?? -10) - row.crossing) <= 1);
  console.log(
    `known crossings found exactly: search ${exact('search')}/${rows.length}, ladder ${exact('ladder')}/${rows.length}; ` +
      `within one stream: search ${withinOne('search') ? 'all' : 'NOT all'}, ladder ${withinOne('ladder') ? 'all' : 'NOT all'} ` +
      '(a level 4% from its limit can measure on the other side on a busy machine)',
  );
  const searchExact = exact('search') === rows.length;
  const ladderExact = exact('ladder') === rows.length;

  const out = join(dirname(fileURLToPath(import.meta.url)), 'results', 'slo-search.json');
  await mkdir(dirname(out), { recursive: true });
  await writeFile(
    out,
    `${JSON.stringify({ measuredAt: new Date().toISOString(), fake: model, common: COMMON, rows, searchExact, ladderExact }, null, 2)}\n`,
  );
  console.log(`wrote ${out}`);
  if (!withinOne('search')) process.exitCode = 1;
}

await main();
