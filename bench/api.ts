/**
 * The API under load, side by side with a bare graphql-yoga `{ hello }` server of the same version,
 * on the local PostgreSQL in production mode (`npm run bench:api`):
 *
 * - open-loop load at a constant arrival rate (50, 100, 200 req/s): latency is measured from each
 *   request's scheduled time, so a server that falls behind is charged for the queue it builds, and
 *   every body is checked for GraphQL `errors`;
 * - closed-loop throughput (a fixed number of clients sending back to back) as a ratio to bare Yoga;
 * - SQL statements per operation, counted in the API process;
 * - `decide` alone at 48, 1,000 and 10,000 stored benchmark results and back at 48, with the
 *   server's memory; the 10,000 p50 is compared with the mean of both 48 p50s.
 *
 * It creates its own database `floorplan_bench_<random>` on BENCH_DATABASE_URL (default
 * postgresql://postgres@127.0.0.1:5432/postgres) and drops it at the end. Prints a table and writes
 * bench/results/api-<label>.json (BENCH_LABEL, default "run"). BENCH_SECONDS sets each open-loop
 * level's duration (default 5). To measure only part of it: BENCH_ONLY=catalog,decide keeps the
 * operations whose names contain one of the words (bare Yoga always runs), BENCH_PARTS=closed,growth
 * keeps those parts (open, closed, growth; default all), and BENCH_REPEATS=3 repeats the closed
 * loop, alternating with bare Yoga, and reports each operation's median ratio.
 */
import { type ChildProcess, fork } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import http from 'node:http';
import { dirname, join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { createApiToken } from '../src/app/auth/tokens';
import { bootstrapDatabase } from '../src/db/bootstrap';
import { openDatabase } from '../src/db/connection';
import { benchmarkRunSpecSchema } from '../src/domain/run-spec';
import type { PrismaClient } from '../src/generated/prisma/client';
import { type ParentMessage, type ServerMessage, serveBareYoga, serveFloorplanApi } from './api-processes';

const API_FLAG = '--serve-api';
const BARE_FLAG = '--serve-bare';
const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..');

const SERVER_URL = process.env.BENCH_DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres';
const SECONDS = Number(process.env.BENCH_SECONDS ?? 5);
const LABEL = process.env.BENCH_LABEL ?? 'run';
const RATES = [50, 100, 200] as const;
const CLOSED_LOOP_CLIENTS = 16;
const CLOSED_LOOP_SECONDS = Number(process.env.BENCH_CLOSED_SECONDS ?? 4);
const RESULT_COUNTS = [48, 1000, 10000] as const;
const ONLY = (process.env.BENCH_ONLY ?? '').split(',').filter(Boolean);
const PARTS = new Set((process.env.BENCH_PARTS ?? 'open,closed,growth').split(','));
const REPEATS = Number(process.env.BENCH_REPEATS ?? 1);
/** How long a level may take to drain after its last arrival before what is left counts as unfinished. */
const DRAIN_GRACE_MS = 10_000;

// --- Operations -------------------------------------------------------------------------------

const operationText = (file: string) => readFileSync(join(root, 'schema', 'operations', 'bot', file), 'utf8');
const fragments = operationText('fragments.graphql');
/** The bot's Decide document with only the fragments it spreads (what the bot sends). */
function withFragments(document: string): string {
  const used = new Set<string>();
  const pending = [document];
  while (pending.length > 0) {
    const text = pending.pop() ?? '';
    for (const match of text.matchAll(/\.\.\.(\w+)/g)) {
      const name = match[1] ?? '';
      if (used.has(name)) continue;
      used.add(name);
      const body = new RegExp(`fragment ${name} on [\\s\\S]*?\\n}\\n`).exec(fragments)?.[0];
      if (body) pending.push(body);
    }
  }
  const bodies = [...used].map(
    (name) => new RegExp(`fragment ${name} on [\\s\\S]*?\\n}\\n`).exec(fragments)?.[0],
  );
  return [document, ...bodies.filter(Boolean)].join('\n');
}

const [saveDecisionDocument = '', recentDecisionsDocument = ''] =
  operationText('Decisions.graphql').split(/\n(?=query RecentDecisions)/);

const labWorkload = JSON.parse(readFileSync(join(root, 'seeds', 'workloads', 'lab-retrieval.json'), 'utf8'));
const { name: _name, ...workloadInput } = labWorkload as Record<string, unknown>;

interface Operation {
  name: string;
  target: 'api' | 'bare';
  /** The request body; a function where each request asks something new. */
  body: string | (() => string);
}

const bodyOf = (operation: Operation) =>
  typeof operation.body === 'string' ? operation.body : operation.body();

/**
 * A different question each time (the lab workload at another daily volume): the API remembers
 * answers per evidence snapshot and question, so this is what deciding afresh costs.
 */
let questionsAsked = 0;
const NEW_QUESTION_DOCUMENT = withFragments(operationText('Decide.graphql'));
const newQuestionBody = () =>
  JSON.stringify({
    query: NEW_QUESTION_DOCUMENT,
    variables: { workload: { ...workloadInput, requestsPerDay: 1000 + (questionsAsked++ % 1_000_000) } },
  });

const OPERATIONS: Operation[] = [
  { name: 'bare { hello }', target: 'bare', body: JSON.stringify({ query: '{ hello }' }) },
  {
    name: 'servingPaths catalog',
    target: 'api',
    body: JSON.stringify({ query: operationText('ServingPaths.graphql') }),
  },
  {
    name: 'benchmarkRuns listing with results (5 runs)',
    target: 'api',
    body: JSON.stringify({
      query: withFragments(
        'query Runs { benchmarkRuns(first: 5) { edges { node { ...BotRunSummary results { id concurrency profileKey decodeTokensPerSecond outputTokensPerSecond ttftP95Ms } } } } }',
      ),
    }),
  },
  {
    name: 'savedDecisions',
    target: 'api',
    body: JSON.stringify({ query: withFragments(recentDecisionsDocument), variables: { last: 10 } }),
  },
  {
    name: 'decide (lab workload, bot document)',
    target: 'api',
    body: JSON.stringify({
      query: withFragments(operationText('Decide.graphql')),
      variables: { workload: workloadInput },
    }),
  },
  { name: 'decide, a new question each request', target: 'api', body: newQuestionBody },
];

/** The operations this run measures (BENCH_ONLY); the bare server always, as the baseline. */
const SELECTED = OPERATIONS.filter(
  (operation) =>
    operation.target === 'bare' || ONLY.length === 0 || ONLY.some((word) => operation.name.includes(word)),
);

// --- HTTP client --------------------------------------------------------------------------------

interface Reply {
  ok: boolean;
  status: number;
  error: string | null;
  body: string;
}

const agent = new http.Agent({ keepAlive: true, maxSockets: Number.POSITIVE_INFINITY });

function post(
  url: string,
  body: string,
  token: string | null,
): { promise: Promise<Reply>; abort: () => void } {
  let request: http.ClientRequest | null = null;
  const promise = new Promise<Reply>((resolve) => {
    request = http.request(
      `${url}/graphql`,
      {
        method: 'POST',
        agent,
        headers: {
          'content-type': 'application/json',
          'x-graphql-client': 'bench',
          ...(token ? { authorization: `Bearer ${token}` } : {}),
        },
      },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let error: string | null = null;
          if (response.statusCode !== 200) error = `HTTP ${response.statusCode}`;
          try {
            const parsed = JSON.parse(text) as { errors?: { message: string }[]; data?: unknown };
            if (parsed.errors?.length) error = `${error ?? 'errors'}: ${parsed.errors[0]?.message}`;
            else if (!parsed.data) error = error ?? 'no data';
          } catch {
            error = error ?? 'body is not JSON';
          }
          resolve({ ok: error === null, status: response.statusCode ?? 0, error, body: text });
        });
        response.on('error', (failure) =>
          resolve({ ok: false, status: 0, error: failure.message, body: '' }),
        );
      },
    );
    request.on('error', (failure) => resolve({ ok: false, status: 0, error: failure.message, body: '' }));
    request.end(body);
  });
  return { promise, abort: () => (request as http.ClientRequest | null)?.destroy() };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function percentile(sorted: readonly number[], fraction: number): number {
  if (sorted.length === 0) return Number.NaN;
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil(fraction * sorted.length) - 1));
  return sorted[index] ?? Number.NaN;
}

// --- Measurements -------------------------------------------------------------------------------

interface OpenLoopLevel {
  operation: string;
  rate: number;
  seconds: number;
  sent: number;
  completed: number;
  errors: number;
  overloaded: number;
  unfinished: number;
  firstError: string | null;
  p50Ms: number;
  p90Ms: number;
  p99Ms: number;
  maxMs: number;
}

/**
 * Constant arrival rate: request i is due at start + i/rate whatever happened to earlier ones, and
 * its latency counts from that due time. Requests still open after the grace period are aborted
 * and counted as unfinished (their latency is at least the grace period: p99 then reads as such).
 */
async function openLoop(
  operation: Operation,
  url: string,
  token: string | null,
  rate: number,
): Promise<OpenLoopLevel> {
  const total = Math.round(rate * SECONDS);
  const latencies: number[] = [];
  let errors = 0;
  let overloaded = 0;
  let firstError: string | null = null;
  const open = new Set<() => void>();
  const pending: Promise<void>[] = [];
  const start = performance.now() + 20;
  for (let index = 0; index < total; index++) {
    const due = start + (index * 1000) / rate;
    const wait = due - performance.now();
    if (wait > 1) await sleep(wait - 0.5);
    const call = post(url, bodyOf(operation), token);
    open.add(call.abort);
    pending.push(
      call.promise.then((reply) => {
        open.delete(call.abort);
        latencies.push(performance.now() - due);
        if (reply.status === 503) overloaded++;
        else if (!reply.ok) {
          errors++;
          firstError ??= reply.error;
        }
      }),
    );
  }
  const settled = Promise.all(pending);
  const timedOut = await Promise.race([settled.then(() => false), sleep(DRAIN_GRACE_MS).then(() => true)]);
  const unfinished = timedOut ? open.size : 0;
  if (timedOut) for (const abort of [...open]) abort();
  await settled;
  latencies.sort((a, b) => a - b);
  const censored = [...latencies.slice(0, latencies.length - unfinished)];
  for (let index = 0; index < unfinished; index++) censored.push(SECONDS * 1000 + DRAIN_GRACE_MS);
  censored.sort((a, b) => a - b);
  return {
    operation: operation.name,
    rate,
    seconds: SECONDS,
    sent: total,
    completed: total - unfinished,
    errors,
    overloaded,
    unfinished,
    firstError,
    p50Ms: percentile(censored, 0.5),
    p90Ms: percentile(censored, 0.9),
    p99Ms: percentile(censored, 0.99),
    maxMs: censored[censored.length - 1] ?? Number.NaN,
  };
}

/** Fixed clients sending back to back: completed requests per second. */
async function closedLoop(operation: Operation, url: string, token: string | null) {
  const end = performance.now() + CLOSED_LOOP_SECONDS * 1000;
  let completed = 0;
  let errors = 0;
  let overloaded = 0;
  await Promise.all(
    Array.from({ length: CLOSED_LOOP_CLIENTS }, async () => {
      while (performance.now() < end) {
        const reply = await post(url, bodyOf(operation), token).promise;
        if (reply.ok) completed++;
        else if (reply.status === 503) overloaded++;
        else errors++;
      }
    }),
  );
  return {
    operation: operation.name,
    clients: CLOSED_LOOP_CLIENTS,
    seconds: CLOSED_LOOP_SECONDS,
    requestsPerSecond: completed / CLOSED_LOOP_SECONDS,
    errors,
    overloaded,
  };
}

/**
 * Waits until the API has worked through any backlog of aborted requests (it still executes them):
 * two windows in a row in which it sent no more SQL than it does idle. Idle is not silent: the
 * watched-decisions watcher polls every 2 s, so "no statement at all" never came and each wait ran
 * to its cap. Measurements "alone" start only then.
 */
const QUIET_WINDOW_MS = 2_500;
let idleStatementsPerWindow: number | null = null;

/** The API's own background SQL per window, measured once on the freshly started, unloaded server. */
async function measureIdle(api: Server): Promise<void> {
  const before = (await api.stats()).sqlStatements;
  await sleep(QUIET_WINDOW_MS * 2);
  const after = (await api.stats()).sqlStatements;
  idleStatementsPerWindow = Math.ceil((after - before) / 2);
}

async function quiet(api: Server): Promise<void> {
  const allowance = (idleStatementsPerWindow ?? 0) + 3;
  let calm = 0;
  let previous = (await api.stats()).sqlStatements;
  for (let attempt = 0; attempt < 48 && calm < 2; attempt++) {
    await sleep(QUIET_WINDOW_MS);
    const now = (await api.stats()).sqlStatements;
    calm = now - previous <= allowance ? calm + 1 : 0;
    previous = now;
  }
}

/** Waits until the server has worked through any backlog: a probe answers only after it. */
async function drained(operation: Operation, url: string, token: string | null): Promise<void> {
  for (let attempt = 0; attempt < 600; attempt++) {
    const started = performance.now();
    const reply = await post(url, bodyOf(operation), token).promise;
    if (reply.ok && performance.now() - started < 2000) return;
    await sleep(200);
  }
}

// --- Processes ----------------------------------------------------------------------------------

interface Server {
  child: ChildProcess;
  url: string;
  stats(): Promise<Extract<ServerMessage, { kind: 'stats' }>>;
  stop(): Promise<void>;
}

function nextMessage<Kind extends ServerMessage['kind']>(
  child: ChildProcess,
  kind: Kind,
): Promise<Extract<ServerMessage, { kind: Kind }>> {
  return new Promise((resolve, reject) => {
    const onMessage = (message: ServerMessage) => {
      if (message.kind !== kind) return;
      child.off('message', onMessage);
      child.off('exit', onExit);
      resolve(message as Extract<ServerMessage, { kind: Kind }>);
    };
    const onExit = (code: number | null) =>
      reject(new Error(`server process exited (${code}) before "${kind}"`));
    child.on('message', onMessage);
    child.once('exit', onExit);
  });
}

async function startServer(flag: string, env: NodeJS.ProcessEnv): Promise<Server> {
  const child = fork(fileURLToPath(import.meta.url), [flag], {
    env,
    stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
  });
  const { url } = await nextMessage(child, 'ready');
  return {
    child,
    url,
    stats: () => {
      const reply = nextMessage(child, 'stats');
      child.send({ kind: 'stats' } satisfies ParentMessage);
      return reply;
    },
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
        setTimeout(() => child.kill('SIGKILL'), 8000).unref();
      }),
  };
}

// --- Evidence -----------------------------------------------------------------------------------

/** A canonical summary the size a runner stores (~4 KB): distributions of every latency metric. */
function runnerSizedSummary(decode: number, output: number, ttftP95: number | null) {
  const distribution = (center: number) =>
    Object.fromEntries(
      [1, 5, 10, 25, 50, 75, 90, 95, 99, 99.9].map((p) => [
        `p${p}`,
        Number((center * (0.7 + p / 200)).toFixed(3)),
      ]),
    );
  return {
    kind: 'canonical',
    decodeTokensPerSecond: decode,
    outputTokensPerSecond: output,
    ttftMs: distribution(ttftP95 ?? 200),
    tpotMs: distribution(1000 / decode),
    itlMs: distribution(1000 / decode),
    e2elMs: distribution((1000 / decode) * 250),
    requestsPerSecond: output / 250,
    completed: 512,
    failed: 0,
    durationSeconds: 120,
    inputTokens: distribution(900),
    outputTokens: distribution(250),
    notes: Array.from(
      { length: 12 },
      (_, index) => `level note ${index}: steady state reached after warm-up`,
    ),
  };
}

/** Attaches box results to finished runs, three levels a run, so the runs listing has results. */
async function attachResultsToRuns(prisma: PrismaClient): Promise<number> {
  const results = await prisma.benchmarkResult.findMany({
    where: { boxId: { not: null }, runId: null },
    orderBy: { measuredAt: 'asc' },
  });
  let runs = 0;
  for (let index = 0; index < results.length; index += 3) {
    const group = results.slice(index, index + 3);
    const first = group[0];
    if (!first?.boxId) continue;
    const run = await prisma.benchmarkRun.create({
      data: {
        boxId: first.boxId,
        variantId: first.variantId,
        endpointKind: 'CHAT',
        // A spec as createBenchmarkRun stores it: the API reads it back through the same schema.
        spec: benchmarkRunSpecSchema.parse({
          endpointKind: 'chat',
          model: 'bench',
          profile: {
            kind: 'concurrency',
            levels: [...new Set(group.map((result) => result.concurrency ?? 1))],
          },
          numPrompts: 200,
          inputTokens: 512,
          outputTokens: 256,
        }),
        specHash: randomBytes(8).toString('hex'),
        status: 'SUCCEEDED',
        idempotencyKey: `bench-${randomBytes(8).toString('hex')}`,
        requestedBy: 'bench',
        startedAt: first.measuredAt,
        finishedAt: first.measuredAt,
      },
    });
    await prisma.benchmarkResult.updateMany({
      where: { id: { in: group.map((result) => result.id) } },
      data: { runId: run.id },
    });
    runs++;
  }
  return runs;
}

/**
 * Nightly sweeps: more results for the same boxes, paths, variants and load levels, each the same
 * numbers as the seed's (so the answer stays the same and only the history grows), measured later.
 */
/** Deletes what `growResults` added: the history of the seeded points, back to the seeds alone. */
async function dropGrownResults(prisma: PrismaClient): Promise<void> {
  await prisma.benchmarkResult.deleteMany({ where: { fingerprint: { startsWith: 'bench-' } } });
}

async function growResults(prisma: PrismaClient, target: number): Promise<void> {
  const existing = await prisma.benchmarkResult.count();
  if (existing >= target) return;
  const templates = await prisma.benchmarkResult.findMany({
    where: { source: 'SEED', decodeTokensPerSecond: { not: null } },
    orderBy: { fingerprint: 'asc' },
  });
  const rows = [];
  for (let index = 0; index < target - existing; index++) {
    const template = templates[index % templates.length];
    if (!template) break;
    const decode = template.decodeTokensPerSecond ?? 1;
    const output = template.outputTokensPerSecond ?? decode;
    rows.push({
      boxId: template.boxId,
      pathId: template.pathId,
      variantId: template.variantId,
      source: 'IMPORT' as const,
      sourceTool: 'vllm bench serve',
      fingerprint: `bench-${randomBytes(10).toString('hex')}`,
      profileKey: template.profileKey,
      concurrency: template.concurrency,
      quantization: template.quantization,
      decodeTokensPerSecond: template.decodeTokensPerSecond,
      outputTokensPerSecond: template.outputTokensPerSecond,
      ttftP95Ms: template.ttftP95Ms,
      ttftP99Ms: template.ttftP99Ms,
      isEstimate: template.isEstimate,
      note: template.note,
      summary: runnerSizedSummary(decode, output, template.ttftP95Ms),
      // Older than the seed: history that accumulated before, which must not change the answer.
      measuredAt: new Date(template.measuredAt.getTime() - (1 + index) * 60_000),
    });
  }
  for (let index = 0; index < rows.length; index += 1000) {
    await prisma.benchmarkResult.createMany({ data: rows.slice(index, index + 1000) });
  }
}

// --- Main ---------------------------------------------------------------------------------------

interface Report {
  label: string;
  at: string;
  node: string;
  cpus: number;
  seconds: number;
  database: string;
  sqlStatements: { operation: string; perRequest: number }[];
  openLoop: OpenLoopLevel[];
  closedLoop: (Awaited<ReturnType<typeof closedLoop>> & { ratioToBare: number })[];
  growth: {
    storedResults: number;
    samples: number;
    p50Ms: number;
    p90Ms: number;
    serverRssMB: number;
    sqlPerDecide: number;
    sameAnswerAsFirst: boolean;
  }[];
  /** p50 at the most stored results over the mean p50 at the fewest (measured before and after). */
  growthRatio: number | null;
}

async function main(): Promise<void> {
  const name = `floorplan_bench_${randomBytes(5).toString('hex')}`;
  const admin = new pg.Client({ connectionString: SERVER_URL });
  await admin.connect();
  await admin.query(`CREATE DATABASE "${name}"`);
  const url = new URL(SERVER_URL);
  url.pathname = `/${name}`;
  const databaseUrl = url.toString();
  console.log(`bench:api: database ${name}; ${SECONDS} s per open-loop level`);
  const database = await openDatabase({ kind: 'postgres', url: databaseUrl });
  const servers: Server[] = [];
  try {
    await bootstrapDatabase(database, { createFirstAdmin: false });
    // 48 stored results (the seed's and earlier sweeps), the box ones filed under runs.
    await growResults(database.prisma, RESULT_COUNTS[0]);
    const runs = await attachResultsToRuns(database.prisma);
    const { token } = await createApiToken(database.prisma, { name: 'bench-admin', role: 'ADMIN' });
    const seedResults = await database.prisma.benchmarkResult.count();
    console.log(`stored: ${seedResults} benchmark results, ${runs} runs with results`);

    const env = {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      NODE_ENV: 'production',
      DATABASE_URL: databaseUrl,
      PORT: '0',
      HOST: '127.0.0.1',
    };
    const api = await startServer(API_FLAG, env);
    await measureIdle(api);
    servers.push(api);
    const bare = await startServer(BARE_FLAG, env);
    servers.push(bare);
    const target = (operation: Operation) => (operation.target === 'api' ? api.url : bare.url);
    const tokenFor = (operation: Operation) => (operation.target === 'api' ? token : null);
    const sameQuestion = OPERATIONS.find((operation) => operation.name.startsWith('decide ('));
    const newQuestion = OPERATIONS.find((operation) => operation.name.startsWith('decide, a new'));
    if (!sameQuestion || !newQuestion) throw new Error('no decide operation');

    // Saved decisions to list: the bot's SaveDecision document.
    const save = withFragments(saveDecisionDocument);
    for (let index = 0; index < 12; index++) {
      const reply = await post(
        api.url,
        JSON.stringify({ query: save, variables: { workload: workloadInput, name: `bench ${index}` } }),
        token,
      ).promise;
      if (!reply.ok) throw new Error(`saveDecision failed: ${reply.error}`);
    }

    // Warm-up and a correctness check of every operation.
    for (const operation of SELECTED) {
      for (let index = 0; index < 30; index++) {
        const reply = await post(target(operation), bodyOf(operation), tokenFor(operation)).promise;
        if (!reply.ok) throw new Error(`${operation.name}: ${reply.error}`);
      }
    }

    const sqlStatements: Report['sqlStatements'] = [];
    for (const operation of SELECTED.filter((item) => item.target === 'api')) {
      const before = await api.stats();
      const count = 20;
      for (let index = 0; index < count; index++) await post(api.url, bodyOf(operation), token).promise;
      const after = await api.stats();
      sqlStatements.push({
        operation: operation.name,
        perRequest: (after.requestSqlStatements - before.requestSqlStatements) / count,
      });
    }

    const openLoopLevels: OpenLoopLevel[] = [];
    for (const operation of PARTS.has('open') ? SELECTED : []) {
      for (const rate of RATES) {
        const level = await openLoop(operation, target(operation), tokenFor(operation), rate);
        openLoopLevels.push(level);
        console.log(
          `  open loop ${operation.name} @ ${rate}/s: p50 ${level.p50Ms.toFixed(1)} p99 ${level.p99Ms.toFixed(1)} ms, ${level.errors} errors, ${level.overloaded} overloaded, ${level.unfinished} unfinished`,
        );
        await drained(operation, target(operation), tokenFor(operation));
        // Aborted requests are still executed by the API: the next level starts on an idle server.
        await quiet(api);
      }
    }

    const closedLoopResults: Report['closedLoop'] = [];
    for (let repeat = 0; repeat < (PARTS.has('closed') ? REPEATS : 0); repeat++) {
      const closed = [];
      for (const operation of SELECTED) {
        closed.push(await closedLoop(operation, target(operation), tokenFor(operation)));
        await drained(operation, target(operation), tokenFor(operation));
      }
      // Each repeat against the bare server's rate in the same repeat.
      const bareRate = closed[0]?.requestsPerSecond ?? Number.NaN;
      for (const item of closed)
        closedLoopResults.push({ ...item, ratioToBare: item.requestsPerSecond / bareRate });
    }

    await quiet(api);
    const growth: Report['growth'] = [];
    let firstAnswer: string | null = null;
    // Up through 48, 1,000 and 10,000 results, then back to 48 (the added history deleted): the
    // first level's p50 is compared with the mean of both 48-result levels, so a server that only
    // got slower with time (a bigger heap after the load above, a noisy neighbour) is not taken
    // for one that gets slower with history.
    const levels = PARTS.has('growth') ? [...RESULT_COUNTS, 'back' as const] : [];
    for (const level of levels) {
      if (level === 'back') await dropGrownResults(database.prisma);
      await growResults(database.prisma, level === 'back' ? (RESULT_COUNTS[0] ?? 0) : level);
      const stored = await database.prisma.benchmarkResult.count();
      // The first decide after the write (a cache, if any, reloads here) is not a sample.
      await quiet(api);
      const first = await post(api.url, bodyOf(newQuestion), token).promise;
      if (!first.ok) throw new Error(`decide at ${stored} results: ${first.error}`);
      const samples: number[] = [];
      const budgetEnd = performance.now() + 20_000;
      const statsBefore = await api.stats();
      let answer = '';
      while (samples.length < 60 && (samples.length < 3 || performance.now() < budgetEnd)) {
        const started = performance.now();
        // A new question each time: what deciding costs at this much history, not a remembered answer.
        const reply = await post(api.url, bodyOf(newQuestion), token).promise;
        samples.push(performance.now() - started);
        if (!reply.ok) throw new Error(`decide at ${stored} results: ${reply.error}`);
      }
      const statsAfter = await api.stats();
      // The lab question at every level: more history of the same points must not change the answer.
      const check = await post(api.url, bodyOf(sameQuestion), token).promise;
      if (!check.ok) throw new Error(`decide at ${stored} results: ${check.error}`);
      answer = check.body;
      firstAnswer ??= answer;
      samples.sort((a, b) => a - b);
      growth.push({
        storedResults: stored,
        samples: samples.length,
        p50Ms: percentile(samples, 0.5),
        p90Ms: percentile(samples, 0.9),
        serverRssMB: statsAfter.rssBytes / 2 ** 20,
        sqlPerDecide: (statsAfter.requestSqlStatements - statsBefore.requestSqlStatements) / samples.length,
        sameAnswerAsFirst: answer === firstAnswer,
      });
      console.log(`  decide alone at ${stored} results: p50 ${percentile(samples, 0.5).toFixed(1)} ms`);
    }

    const report: Report = {
      label: LABEL,
      at: new Date().toISOString(),
      node: process.version,
      cpus: (await import('node:os')).cpus().length,
      seconds: SECONDS,
      database: 'PostgreSQL (local), NODE_ENV=production',
      sqlStatements,
      openLoop: openLoopLevels,
      closedLoop: closedLoopResults,
      growth,
      growthRatio: null,
    };
    report.growthRatio = growthRatio(report.growth);
    printReport(report);
    const output = join(here, 'results', `api-${LABEL}.json`);
    await mkdir(dirname(output), { recursive: true });
    await writeFile(output, `${JSON.stringify(report, null, 2)}\n`);
    console.log(`wrote ${output}`);
  } finally {
    for (const server of servers) await server.stop();
    agent.destroy();
    await database.close();
    await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    await admin.end();
  }
}

function printReport(report: Report): void {
  const pad = (text: string | number, width: number) => String(text).padEnd(width);
  const ms = (value: number) => (Number.isFinite(value) ? value.toFixed(1) : '-');
  console.log(`\nOpen loop (${report.seconds} s per level; latency from the scheduled time)`);
  console.log(
    `${pad('operation', 38)}${pad('req/s', 7)}${pad('p50 ms', 9)}${pad('p99 ms', 9)}${pad('max ms', 9)}${pad('errors', 8)}${pad('503s', 6)}unfinished`,
  );
  for (const level of report.openLoop) {
    console.log(
      `${pad(level.operation, 38)}${pad(level.rate, 7)}${pad(ms(level.p50Ms), 9)}${pad(ms(level.p99Ms), 9)}${pad(ms(level.maxMs), 9)}${pad(level.errors, 8)}${pad(level.overloaded, 6)}${level.unfinished}`,
    );
  }
  console.log(`\nClosed loop (${CLOSED_LOOP_CLIENTS} clients, ${CLOSED_LOOP_SECONDS} s)`);
  console.log(`${pad('operation', 38)}${pad('req/s', 10)}${pad('vs bare', 10)}errors`);
  for (const item of report.closedLoop) {
    console.log(
      `${pad(item.operation, 38)}${pad(item.requestsPerSecond.toFixed(0), 10)}${pad(item.ratioToBare.toFixed(3), 10)}${item.errors}`,
    );
  }
  if (REPEATS > 1) {
    console.log(`median ratio to bare Yoga over ${REPEATS} repeats`);
    for (const operation of new Set(report.closedLoop.map((item) => item.operation))) {
      const ratios = report.closedLoop
        .filter((item) => item.operation === operation)
        .map((item) => item.ratioToBare)
        .sort((a, b) => a - b);
      console.log(`${pad(operation, 38)}${percentile(ratios, 0.5).toFixed(3)}`);
    }
  }
  console.log('\nSQL statements per request (authentication included)');
  for (const item of report.sqlStatements)
    console.log(`${pad(item.operation, 38)}${item.perRequest.toFixed(2)}`);
  console.log('\ndecide alone as stored results grow');
  console.log(
    `${pad('stored results', 16)}${pad('p50 ms', 10)}${pad('p90 ms', 10)}${pad('server RSS MB', 15)}${pad('SQL/decide', 12)}same answer`,
  );
  for (const item of report.growth) {
    console.log(
      `${pad(item.storedResults, 16)}${pad(ms(item.p50Ms), 10)}${pad(ms(item.p90Ms), 10)}${pad(item.serverRssMB.toFixed(0), 15)}${pad(item.sqlPerDecide.toFixed(2), 12)}${item.sameAnswerAsFirst}`,
    );
  }
  const ratio = growthRatio(report.growth);
  if (ratio !== null)
    console.log(
      `p50 at the most results / mean p50 of the first level and the same count again at the end: ${ratio.toFixed(2)} (target <= 1.5)`,
    );
}

/**
 * The p50 at the most stored results over the mean p50 of the first level and the last (the same
 * count, measured before and after); null when the growth part did not run.
 */
function growthRatio(growth: Report['growth']): number | null {
  const first = growth[0];
  const last = growth[growth.length - 1];
  const top = growth.reduce<Report['growth'][number] | null>(
    (most, item) => (!most || item.storedResults > most.storedResults ? item : most),
    null,
  );
  if (!first || !last || !top || first === last) return null;
  return top.p50Ms / ((first.p50Ms + last.p50Ms) / 2);
}

if (process.argv.includes(API_FLAG)) {
  void serveFloorplanApi();
} else if (process.argv.includes(BARE_FLAG)) {
  void serveBareYoga();
} else {
  main().catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
}
