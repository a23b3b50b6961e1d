import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { enableEvidenceCache, listenForEvidenceChanges, walPosition } from '../app/decisions/evidence-cache';
import { slackWatchNotifier } from '../app/decisions/slack-notifier';
import { startDecisionWatcher } from '../app/decisions/watch';
import { startRunQueue } from '../app/runs/runtime';
import { ConfigError, loadConfig } from '../config';
import { bootstrapDatabase } from '../db/bootstrap';
import { describeTarget, EmbeddedDatabaseBusyError, openDatabase, targetFromConfig } from '../db/connection';
import { accessCsvRoute } from './http/access-csv';
import { chartRoute } from './http/charts';
import { decisionVersionRoute } from './http/decision-versions';
import { metricsRoute } from './http/metrics';
import { priceHistoryCsvRoute } from './http/price-history-csv';
import { createLogger, type Logger } from './log';
import { createApiMetrics } from './metrics';
import { startApiServer } from './server';

/** `npm start`: one process that migrates, seeds when empty, and serves the API (and GraphiQL). */
async function main(): Promise<void> {
  const config = loadConfig();
  // Structured JSON lines on stdout; the banner for the person at the terminal (the first admin
  // token, a query to try) goes to stderr, outside the log.
  const log = createLogger(config.FLOORPLAN_LOG_LEVEL);
  const target = targetFromConfig(config);
  log.info({ database: describeTarget(target) }, `floorplan: using ${describeTarget(target)}`);
  // On the embedded database this process becomes the folder's one owner, or refuses to start.
  const database = await openDatabase(target, {
    role: 'server',
    label: 'the floorplan server (npm start)',
    onWait: (message) => log.warn(message),
  });
  const report = await bootstrapDatabase(database, { createFirstAdmin: true });
  if (report.appliedMigrations.length)
    log.info(
      { migrations: report.appliedMigrations },
      `Applied migrations: ${report.appliedMigrations.join(', ')}`,
    );
  if (report.seeded) log.info('Seeded the lab evidence and public price facts (seeds/).');
  // Run progress reaches subscribers on every API process through Postgres LISTEN/NOTIFY; every
  // process sweeps expired leases, so no run stays LEASED after its runner died.
  const metrics = createApiMetrics(database.prisma);
  const runQueue = await startRunQueue(database.prisma, {
    onSwept: (runs) => metrics.recordSweep(runs),
    databaseUrl: target.kind === 'postgres' ? target.url : null,
    leaseSeconds: config.FLOORPLAN_LEASE_SECONDS,
    maxAttempts: config.FLOORPLAN_RUN_MAX_ATTEMPTS,
    sweepIntervalMs: config.FLOORPLAN_SWEEP_INTERVAL_SECONDS * 1000,
    log: (line) => log.info(line),
  });
  // Answers share one evidence snapshot until evidence changes: mutations drop it in this process;
  // on Postgres, triggers on the evidence tables tell every process (replicas, the CLI's imports).
  // The embedded database hears no NOTIFY from the commands beside it: it checks its WAL position instead.
  enableEvidenceCache(
    database.prisma,
    target.kind === 'pglite' ? { changeProbe: () => walPosition(database.prisma) } : {},
  );
  const stopEvidenceListener =
    target.kind === 'postgres' ? await listenForEvidenceChanges(database.prisma, target.url) : async () => {};
  const api = await startApiServer({
    log,
    prisma: database.prisma,
    host: config.HOST,
    port: config.PORT,
    isProduction: config.isProduction,
    publicCatalog: !config.isProduction,
    yogaPlugins: [metrics.graphqlPlugin()],
    routes: [
      metricsRoute(metrics),
      accessCsvRoute(database.prisma, !config.isProduction),
      priceHistoryCsvRoute(database.prisma, !config.isProduction),
      decisionVersionRoute(database.prisma, !config.isProduction),
      chartRoute(database.prisma, !config.isProduction),
    ],
    corsOrigins: config.FLOORPLAN_CORS_ORIGINS,
    timeouts: {
      headersMs: config.FLOORPLAN_HEADERS_TIMEOUT_SECONDS * 1000,
      requestMs: config.FLOORPLAN_REQUEST_TIMEOUT_SECONDS * 1000,
    },
  });
  // Watched decisions re-check themselves after every evidence change; every replica polls, each
  // change is claimed once. With the bot's token, changes are posted to the watching channel.
  const stopWatcher = startDecisionWatcher(database.prisma, {
    replica: `${process.pid}@${api.url}`,
    notifier: process.env.SLACK_BOT_TOKEN
      ? slackWatchNotifier(process.env.SLACK_BOT_TOKEN, process.env.SLACK_API_URL)
      : null,
    publicUrl: process.env.FLOORPLAN_PUBLIC_URL ?? api.url,
    intervalMs: 2000,
    onError: (error) => log.error({ err: error }, `watched decisions: ${(error as Error).message}`),
    warn: (line) => log.warn(line),
  });
  log.info({ url: `${api.url}/graphql` }, 'listening');
  // One write: whoever waits for "ready" (a person, a script, a test) finds the first admin token
  // in the same block, never a moment later.
  console.error(
    [
      `\nfloorplan API ready: ${api.url}/graphql${config.isProduction ? '' : '  (GraphiQL: open it in a browser)'}`,
      'Try:  { servingPaths { slug kind priceComponents { slug price { amount currency } source asOf confidence } } }',
      ...(report.firstAdminToken
        ? [
            `\nFirst admin token (shown once, store it now):\n  ${report.firstAdminToken}`,
            'Send it as "Authorization: Bearer <token>". More: npx floorplan token create --role viewer --name alice',
          ]
        : []),
    ].join('\n'),
  );
  // With Slack credentials in the environment the bot runs beside the API, as its own process and
  // one more GraphQL client of it: the API never loads the bot's code.
  const bot =
    process.env.SLACK_SIGNING_SECRET && process.env.SLACK_BOT_TOKEN
      ? startBot(`${api.url}/graphql`, log)
      : null;

  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    const deadlineMs = config.FLOORPLAN_SHUTDOWN_DEADLINE_SECONDS * 1000;
    log.info(
      `${signal}: draining: no new connections; finishing in-flight requests (up to ${deadlineMs / 1000} s), then closing the database.`,
    );
    // Whatever hangs past the deadline (a bot call, the database), the process still exits.
    setTimeout(() => {
      log.error('Shutdown took longer than its deadline; exiting anyway.');
      process.exit(1);
    }, deadlineMs + 5_000).unref();
    if (bot !== null && bot.exitCode === null) {
      const exited = new Promise((resolve) => bot.once('exit', resolve));
      bot.kill('SIGTERM');
      await exited;
    }
    const drained = await api.close({ deadlineMs, onDrain: () => runQueue.endSubscriptions() });
    log.info(
      { cut: drained.cut, durationMs: drained.durationMs },
      drained.cut === 0
        ? `Drained in ${drained.durationMs} ms: every request answered.`
        : `Deadline reached after ${drained.durationMs} ms: cut ${drained.cut} unfinished request(s).`,
    );
    await stopWatcher();
    await runQueue.stop();
    await stopEvidenceListener();
    await database.close();
    process.exit(0);
  };
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
}

/**
 * `npm run bot` as a child of `npm start`, pointed at this API unless FLOORPLAN_API_URL says
 * otherwise. Its output is passed through; if it stops (a bad Slack token, say), the API goes on.
 */
function startBot(apiUrl: string, log: Logger): ChildProcess {
  const entry = fileURLToPath(new URL('../../bot/main.ts', import.meta.url));
  // process.execArgv carries tsx's loader, so the child runs TypeScript the way this process does.
  const child = spawn(process.execPath, [...process.execArgv, entry], {
    env: { FLOORPLAN_API_URL: apiUrl, ...process.env },
    stdio: 'inherit',
  });
  log.info({ botPid: child.pid }, `Slack bot started as process ${child.pid} (see bot/README.md).`);
  child.once('exit', (code, signal) => {
    if (code !== 0 && signal !== 'SIGTERM') log.error(`Slack bot stopped (exit ${code ?? signal}).`);
  });
  return child;
}

main().catch((error: unknown) => {
  if (error instanceof ConfigError || error instanceof EmbeddedDatabaseBusyError) {
    console.error(error.message);
  } else {
    console.error('floorplan failed to start:', error instanceof Error ? error.message : error);
  }
  process.exit(1);
});
