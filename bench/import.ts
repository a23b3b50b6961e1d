/**
 * Memory of a large import (`npm run bench:import`): writes a `vllm bench serve --save-detailed`
 * file of ~58 MB (per-request TTFTs, inter-token latencies and generated texts, as vLLM writes
 * them) and imports it with the real CLI (`floorplan import`) into a throwaway database
 * `floorplan_bench_<random>` on BENCH_DATABASE_URL (default the local PostgreSQL), reporting the
 * process's peak RSS. In the same run, two baselines on the same
 * machine: the CLI importing a small file (what startup, migrations and the seed cost) and a bare
 * `node` doing nothing but JSON.parse of the big file (the floor for holding it parsed at all).
 *
 * Target: the large import peaks under 500 MB. Writes bench/results/import-<label>.json
 * (BENCH_LABEL, default "run"). BENCH_IMPORT_REQUESTS sets the number of requests (default 11,800: about 58 MB).
 */
import { execFile } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { mkdir, mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import pg from 'pg';
import { bootstrapDatabase } from '../src/db/bootstrap';
import { openDatabase } from '../src/db/connection';

const run = promisify(execFile);
const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..');
const LABEL = process.env.BENCH_LABEL ?? 'run';
const REQUESTS = Number(process.env.BENCH_IMPORT_REQUESTS ?? 11_800);
const OUTPUT_TOKENS = 200;
const TARGET_MB = 500;
const SERVER_URL = process.env.BENCH_DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres';

/** A migrated, seeded database of its own; returns its URL and how to drop it. */
async function benchDatabase(): Promise<{ url: string; drop: () => Promise<void> }> {
  const name = `floorplan_bench_${Math.random().toString(16).slice(2, 12)}`;
  const admin = new pg.Client({ connectionString: SERVER_URL });
  await admin.connect();
  await admin.query(`CREATE DATABASE "${name}"`);
  const url = new URL(SERVER_URL);
  url.pathname = `/${name}`;
  const database = await openDatabase({ kind: 'postgres', url: url.toString() });
  await bootstrapDatabase(database, { createFirstAdmin: false });
  await database.close();
  return {
    url: url.toString(),
    drop: async () => {
      await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      await admin.end();
    },
  };
}

/** A deterministic stream of plausible numbers (no Math.random: the file is the same every run). */
function generator(seed: number) {
  let state = seed;
  return () => {
    state = (state * 1_103_515_245 + 12_345) % 2_147_483_648;
    return state / 2_147_483_648;
  };
}

async function writeDetailedResult(path: string, requests: number): Promise<void> {
  const next = generator(42);
  const out = createWriteStream(path);
  const write = (text: string) =>
    out.write(text) ? Promise.resolve() : new Promise<void>((resolve) => out.once('drain', () => resolve()));
  const seconds = (base: number, spread: number) => base + next() * spread;
  await write(
    `{"date": "20261201-030000", "backend": "vllm", "model_id": "meta-llama/Llama-3.1-8B-Instruct", "tokenizer_id": "meta-llama/Llama-3.1-8B-Instruct", "num_prompts": ${requests}, "request_rate": "inf", "burstiness": 1.0, "max_concurrency": 64, "duration": 612.5, "completed": ${requests}, "failed": 0, "total_input_tokens": ${requests * 900}, "total_output_tokens": ${requests * OUTPUT_TOKENS}, "request_throughput": ${(requests / 612.5).toFixed(6)}, "output_throughput": ${((requests * OUTPUT_TOKENS) / 612.5).toFixed(6)}, "total_token_throughput": ${((requests * (OUTPUT_TOKENS + 900)) / 612.5).toFixed(6)}, "mean_ttft_ms": 210.5, "median_ttft_ms": 190.2, "std_ttft_ms": 40.1, "p99_ttft_ms": 390.7, "mean_tpot_ms": 31.2, "median_tpot_ms": 30.8, "std_tpot_ms": 2.1, "p99_tpot_ms": 36.4, "mean_itl_ms": 31.2, "median_itl_ms": 30.5, "std_itl_ms": 3.3, "p99_itl_ms": 44.9, "mean_e2el_ms": 6420.3, "median_e2el_ms": 6398.1, "std_e2el_ms": 300.2, "p99_e2el_ms": 7200.4`,
  );
  const array = async (key: string, item: (index: number) => string) => {
    await write(`, "${key}": [`);
    for (let index = 0; index < requests; index++) await write(`${index === 0 ? '' : ', '}${item(index)}`);
    await write(']');
  };
  await array('input_lens', () => '900');
  await array('output_lens', () => String(OUTPUT_TOKENS));
  await array('ttfts', () => String(seconds(0.15, 0.1)));
  await array('itls', () => {
    const gaps: string[] = [];
    for (let token = 1; token < OUTPUT_TOKENS; token++) gaps.push(String(seconds(0.028, 0.006)));
    return `[${gaps.join(', ')}]`;
  });
  await array('latencies', () => String(seconds(6.2, 0.5)));
  await array('start_times', (index) => String(1_764_558_000 + index * 0.05));
  await array(
    'generated_texts',
    (index) =>
      `"${`Answer ${index}: the retrieval context says the contract renews on the first business day of the quarter. `.repeat(8)}"`,
  );
  await array('errors', () => '""');
  await write('}\n');
  await new Promise<void>((resolve, reject) =>
    out.end((error?: Error | null) => (error ? reject(error) : resolve())),
  );
}

/** Peak resident set of a command, from GNU time's "Maximum resident set size (kbytes)". */
async function peakRssMB(command: string, args: string[], env: NodeJS.ProcessEnv) {
  const started = performance.now();
  const { stderr, stdout } = await run('/usr/bin/time', ['-v', command, ...args], {
    cwd: root,
    env,
    maxBuffer: 64 * 1024 * 1024,
  });
  const match = /Maximum resident set size \(kbytes\): (\d+)/.exec(stderr);
  if (!match) throw new Error(`no peak RSS in /usr/bin/time output:\n${stderr}\n${stdout}`);
  return { peakRssMB: Number(match[1]) / 1024, seconds: (performance.now() - started) / 1000, stdout };
}

async function main(): Promise<void> {
  const work = await mkdtemp(join(tmpdir(), 'floorplan-bench-import-'));
  const database = await benchDatabase();
  try {
    const big = join(work, 'vllm-detailed-big.json');
    await writeDetailedResult(big, REQUESTS);
    const small = join(work, 'vllm-detailed-small.json');
    await writeDetailedResult(small, 20);
    const bigMB = (await stat(big)).size / 2 ** 20;
    console.log(`bench:import: ${big} is ${bigMB.toFixed(1)} MB (${REQUESTS} requests)`);

    const cli = (file: string, ...flags: string[]) =>
      peakRssMB(
        process.execPath,
        [
          join(root, 'bin', 'floorplan.js'),
          'import',
          '--box',
          'dgx-spark',
          '--variant',
          'llama-3.1-8b-instruct-base',
          ...flags,
          file,
        ],
        { PATH: process.env.PATH, HOME: process.env.HOME, DATABASE_URL: database.url },
      );
    const smallImport = await cli(small);
    const parseOnly = await peakRssMB(
      process.execPath,
      ['-e', `JSON.parse(require('node:fs').readFileSync(${JSON.stringify(big)}, 'utf8'))`],
      { PATH: process.env.PATH },
    );
    const bigParse = await cli(big, '--dry-run');
    const bigImport = await cli(big);
    if (!/Stored 1 new result/.test(bigImport.stdout))
      throw new Error(`the import did not store:\n${bigImport.stdout}`);

    const rows = [
      { label: 'floorplan import, small file (20 requests): startup baseline', ...smallImport },
      { label: 'node JSON.parse of the big file alone: parse floor', ...parseOnly },
      { label: 'floorplan import --dry-run of the big file: parse and map only', ...bigParse },
      { label: `floorplan import, ${bigMB.toFixed(0)} MB file (${REQUESTS} requests)`, ...bigImport },
    ].map(({ stdout: _stdout, ...row }) => row);
    const pad = (text: string, width: number) => text.padEnd(width);
    console.log(`\n${pad('run', 64)}${pad('peak RSS MB', 14)}seconds`);
    for (const row of rows)
      console.log(`${pad(row.label, 64)}${pad(row.peakRssMB.toFixed(0), 14)}${row.seconds.toFixed(1)}`);
    const met = bigImport.peakRssMB < TARGET_MB;
    console.log(`target: large import under ${TARGET_MB} MB: ${met ? 'ok' : 'MISSED'}`);
    const output = join(here, 'results', `import-${LABEL}.json`);
    await mkdir(dirname(output), { recursive: true });
    await writeFile(
      output,
      `${JSON.stringify({ label: LABEL, at: new Date().toISOString(), node: process.version, fileMB: bigMB, requests: REQUESTS, targetMB: TARGET_MB, met, rows }, null, 2)}\n`,
    );
    console.log(`wrote ${output}`);
  } finally {
    await database.drop();
    await rm(work, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
