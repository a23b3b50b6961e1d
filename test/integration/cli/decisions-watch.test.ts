import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runWatchRound } from '../../../src/app/decisions/watch';
import { bootstrapDatabase } from '../../../src/db/bootstrap';
import { type Database, openDatabase } from '../../../src/db/connection';
import { usingPostgres } from '../../support/database';
import { createGraphQLCaller, type GraphQLCaller } from '../../support/graphql';

/**
 * `npx floorplan decisions watch|unwatch|history` as a user runs them: real CLI processes against
 * the embedded database this test owns (served to them over its socket), a real price edit through
 * the API's GraphQL, and the watcher's round in between.
 */

const run = promisify(execFile);

interface CliFailure {
  code: number;
  stdout: string;
  stderr: string;
}

// On the embedded database whatever TEST_DATABASE_URL says: it runs in the PGlite pass of the suite;
// the PostgreSQL pass would repeat it unchanged.
describe.skipIf(usingPostgres())('npx floorplan decisions', { timeout: 300_000 }, () => {
  let dataDir: string;
  let database: Database;
  let api: GraphQLCaller;
  const environment = () => {
    const { DATABASE_URL: _unused, ...inherited } = process.env;
    return { ...inherited, FLOORPLAN_DATA_DIR: dataDir };
  };
  const cli = (...args: string[]) =>
    run('node', ['bin/floorplan.js', 'decisions', ...args], { env: environment() });
  const cliFailure = (...args: string[]) =>
    cli(...args).then(
      (ok) => ({ code: 0, ...ok }) as CliFailure,
      (error: CliFailure) => error,
    );

  beforeAll(async () => {
    dataDir = path.join(await mkdtemp(path.join(tmpdir(), 'floorplan-decisions-')), 'pglite');
    database = await openDatabase({ kind: 'pglite', dataDir }, { role: 'server', label: 'decisions test' });
    await bootstrapDatabase(database, { createFirstAdmin: false });
    database.markReady();
    api = await createGraphQLCaller(database.prisma);
  });
  afterAll(async () => {
    await database.close();
    await rm(path.dirname(dataDir), { recursive: true, force: true });
  });

  it('watch, history after a price edit flips it, unwatch: text and --json in GraphQL shape', async () => {
    const { name: _title, ...workload } = JSON.parse(
      await readFile('seeds/workloads/base-model-commodity.json', 'utf8'),
    ) as Record<string, unknown>;
    const saved = await api.run<{ saveDecision: { id: string } }>(
      'mutation($w: WorkloadInput!) { saveDecision(workload: $w) { id } }',
      { w: workload },
      { as: 'VIEWER' },
    );
    expect(saved.body.errors).toBeUndefined();
    const id = saved.body.data?.saveDecision.id ?? '';

    const watched = await cli('watch', id, '--channel', 'C0CLI', '--json');
    expect(JSON.parse(watched.stdout)).toMatchObject({ channel: 'C0CLI', createdBy: expect.any(String) });
    const again = await cli('watch', id);
    expect(again.stdout).toContain(`Watching ${id} (no channel)`);
    expect(again.stdout).not.toContain('SLACK_BOT_TOKEN');
    // With a channel, the text says who posts there and what it needs (the same watch again).
    const channelText = await cli('watch', id, '--channel', 'C0CLI');
    expect(channelText.stdout).toContain(
      'Posts to C0CLI are sent by the API server (npm start) when it runs with SLACK_BOT_TOKEN',
    );

    // The stale prices it costs with, in GraphQL's shape; then the same as text with the refresh.
    const stale = JSON.parse(
      (await run('node', ['bin/floorplan.js', 'prices', 'stale', '--json'], { env: environment() })).stdout,
    ) as { olderThanDays: number; decisions: { decisionId: string; watched: boolean; channels: string[] }[] };
    expect(stale.olderThanDays).toBe(180);
    expect(stale.decisions.find((decision) => decision.decisionId === id)).toMatchObject({
      watched: true,
      channels: ['C0CLI'],
    });
    const staleText = (
      await run('node', ['bin/floorplan.js', 'prices', 'stale', '--days', '200'], { env: environment() })
    ).stdout;
    expect(staleText).toMatch(/^\d+ prices are older than 200 days/);
    expect(staleText).toContain(`Saved decision ${id} (watched in C0CLI;`);
    expect(staleText).toContain(
      'import: npx floorplan prices import model_prices_and_context_window.json --mapping seeds/price-mappings/litellm.mapping.yaml --dry-run',
    );

    const before = await cli('history', id);
    expect(before.stdout).toContain(`Saved decision ${id}`);
    expect(before.stdout).toContain('No new versions: no change of evidence has moved it.');

    const edit = await api.run(
      `mutation { updatePriceComponent(slug: "bedrock-on-demand-8b-output", input: { amount: "1000", source: "test: a later price page", asOf: "${new Date().toISOString()}" }) { slug } }`,
    );
    expect(edit.body.errors).toBeUndefined();
    await runWatchRound(database.prisma, 'test', null, 'http://127.0.0.1');

    const history = JSON.parse((await cli('history', id, '--json')).stdout) as {
      id: string;
      watches: { channel: string | null }[];
      versions: { summary: string; causes: { kind: string; input: string; verified: boolean }[] }[];
    };
    expect(history.id).toBe(id);
    expect(history.watches.map((watch) => watch.channel).sort()).toEqual(['C0CLI', null]);
    expect(history.versions).toHaveLength(1);
    expect(history.versions[0]?.causes).toEqual([
      {
        kind: 'PRICE_VALUE',
        input: 'bedrock-on-demand-8b-output',
        text: expect.any(String),
        verified: true,
        together: false,
      },
    ]);
    const text = (await cli('history', id)).stdout;
    expect(text).toContain(history.versions[0]?.summary ?? 'no summary');
    expect(text).toContain('verified alone: PRICE_VALUE bedrock-on-demand-8b-output');
    expect(text).toMatch(
      /after: PRICE_VALUE bedrock-on-demand-8b-output: \$0\.22 → \$1000 from \d{4}-\d{2}-\d{2} \(re-evaluated by test\)/,
    );

    const unwatched = JSON.parse((await cli('unwatch', id, '--channel', 'C0CLI', '--json')).stdout) as {
      watches: { channel: string | null }[];
    };
    expect(unwatched.watches.map((watch) => watch.channel)).toEqual([null]);
    expect((await cli('unwatch', id)).stdout).toBe(`Stopped watching ${id}.\n`);
    expect(await database.prisma.decisionWatch.count({ where: { decisionId: id } })).toBe(0);
  });

  it('names what is wrong: an unknown id (exit 1), a channel name instead of an id, a missing id (exit 2)', async () => {
    const unknown = await cliFailure('watch', 'no-such-decision');
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain('No saved decision "no-such-decision"');
    const channelName = await cliFailure('watch', 'some-id', '--channel', '#general');
    expect(channelName.code).toBe(2);
    expect(channelName.stderr).toContain('--channel: "#general" is not a Slack channel id');
    const missing = await cliFailure('history');
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('give exactly one saved decision id');
    const help = await cli('--help');
    expect(help.stdout).toContain('npx floorplan decisions watch ID [--channel C] [--json]');
  });
});
