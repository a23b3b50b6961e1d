import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type BotApp, createBotApp, SLACK_EVENTS_PATH } from '../../../bot/app';
import { loadBotConfig } from '../../../bot/config';
import { computeSlackSignature } from '../../../bot/security/request-signature';
import { createApiToken } from '../../../src/app/auth/tokens';
import { type FakeOpenAiServer, startFakeOpenAiServer } from '../../fakes/openai-server';
import { FakeSlackServer, type RecordedSlackCall } from '../../fakes/slack-server';
import { createMemoryLogger } from '../../integration/bot/harness';
import { createTestDatabase, type TestDatabase, usingPostgres } from '../../support/database';
import {
  type ApiProcess,
  type ChildHandle,
  startApiProcess,
  startRunnerProcess,
  waitFor,
} from '../../support/processes';

/**
 * The whole Slack path with real processes on loopback: a signed `/floorplan bench` reaches the bot
 * (in this process, a real HTTP server), the bot queues the run on the API (a child process on a
 * fresh Postgres database), a runner (a child process) leases it and drives the fake OpenAI
 * endpoint, and the bot keeps the Slack message (the fake Slack Web API) up to date until the result
 * and its chart are posted. Slack redelivers the command (`X-Slack-Retry-Num`): still one run.
 */

const SIGNING_SECRET = 'e2e-signing-secret-0123456789';
const OPERATOR = 'U0E2EOPERATOR';
const CHANNEL = 'C0E2EBENCH';
const COMMAND = 'bench llama-3.1-8b-lora concurrency=1,2 prompts=4 in=32 out=16';
const TOTAL_REQUESTS = 8;

const text = (call: RecordedSlackCall | undefined) => JSON.stringify(call?.params ?? {});

describe.skipIf(!usingPostgres())(
  '/floorplan bench from Slack to a result (Postgres only: set TEST_DATABASE_URL)',
  () => {
    let database: TestDatabase;
    let api: ApiProcess;
    let runner: ChildHandle | undefined;
    let openAi: FakeOpenAiServer;
    let bot: BotApp | undefined;
    let botUrl = '';
    const slack = new FakeSlackServer();
    const logger = createMemoryLogger();

    const diagnostics = () =>
      [
        `slack calls: ${slack.calls.map((call) => `${call.method}${call.status === 200 ? '' : `(${call.status})`}`).join(', ')}`,
        `bot log:\n${logger.lines.slice(-30).join('\n')}`,
        `runner:\n${runner?.output().slice(-3000) ?? ''}`,
        `api:\n${api?.output().slice(-3000) ?? ''}`,
      ].join('\n');

    beforeAll(async () => {
      database = await createTestDatabase();
      const runnerToken = (
        await createApiToken(database.prisma, { name: 'spark-runner', role: 'RUNNER', boxSlug: 'dgx-spark' })
      ).token;
      const botToken = (await createApiToken(database.prisma, { name: 'slack-bot', role: 'OPERATOR' })).token;
      // About 0.5 s a request: a run of 8 requests outlasts a few heartbeats (lease 5 s, beat ~1.7 s).
      openAi = await startFakeOpenAiServer({ ttftMs: 60, tokenGapMs: 30, defaultMaxTokens: 16 });
      await slack.start();
      api = await startApiProcess({
        databaseUrl: database.url as string,
        env: { FLOORPLAN_LEASE_SECONDS: '5' },
      });
      const config = loadBotConfig({
        SLACK_SIGNING_SECRET: SIGNING_SECRET,
        SLACK_BOT_TOKEN: 'xoxb-e2e-token',
        SLACK_API_URL: slack.apiUrl,
        FLOORPLAN_API_URL: `${api.url}/graphql`,
        FLOORPLAN_BOT_TOKEN: botToken,
        FLOORPLAN_OPERATORS: OPERATOR,
        BOT_PORT: '0',
        BOT_HOST: '127.0.0.1',
      });
      bot = createBotApp(config, {
        logger,
        liveRunOptions: { minUpdateIntervalMs: 300, resubscribeDelayMs: 200, pollIntervalMs: 1000 },
      });
      botUrl = (await bot.start()).url ?? '';
      runner = startRunnerProcess({
        apiUrl: api.url,
        token: runnerToken,
        box: 'dgx-spark',
        endpointUrl: `${openAi.url}`,
        name: 'slack-e2e',
        extraArgs: ['--model', 'fake-model'],
      });
    }, 45_000);

    afterAll(async () => {
      await bot?.stop();
      await runner?.kill('SIGKILL');
      await api?.kill('SIGKILL');
      await openAi?.close();
      await slack.stop();
      await database?.drop();
    });

    /** Posts the slash command to the bot, signed the way Slack signs it. */
    async function deliver(body: string, timestamp: number, headers: Record<string, string> = {}) {
      const response = await fetch(`${botUrl}${SLACK_EVENTS_PATH}`, {
        method: 'POST',
        headers: {
          'content-type': 'application/x-www-form-urlencoded',
          'x-slack-request-timestamp': String(timestamp),
          'x-slack-signature': computeSlackSignature(SIGNING_SECRET, String(timestamp), body),
          ...headers,
        },
        body,
      });
      return { status: response.status, body: await response.text() };
    }

    it('queues one run, shows its progress, then posts the result and a chart; a Slack retry makes no second run', async () => {
      const body = new URLSearchParams({
        token: 'legacy-verification-token',
        team_id: 'T0FAKE',
        team_domain: 'fake',
        channel_id: CHANNEL,
        channel_name: 'bench',
        user_id: OPERATOR,
        user_name: 'operator',
        command: '/floorplan',
        text: COMMAND,
        api_app_id: 'A0FLOORPLAN',
        response_url: slack.newResponseUrl(),
        trigger_id: `1.${Date.now()}.trigger`,
      }).toString();
      const now = Math.floor(Date.now() / 1000);
      const first = await deliver(body, now - 1);
      expect(first.status).toBe(200);

      const posted = await waitFor('the queued message', () => slack.callsTo('chat.postMessage')[0], {
        describe: diagnostics,
      });
      // Slack redelivers the same request (our 200 was "late"): newly signed, same body.
      const retry = await deliver(body, now, {
        'x-slack-retry-num': '1',
        'x-slack-retry-reason': 'http_timeout',
      });
      expect(retry.status).toBe(200);

      // The retry was told so on its response_url instead of queuing again.
      const notice = await waitFor('the retry notice', () => slack.responseUrlPosts[0], {
        describe: diagnostics,
      });
      expect(JSON.stringify(notice.body)).toContain('already queued');
      const postedTs = posted.response.ts as string;
      expect(posted.params.channel).toBe(CHANNEL);
      expect(text(posted)).toContain('Cancel run');

      const runs = await database.prisma.benchmarkRun.findMany();
      expect(runs).toHaveLength(1);
      const runId = runs[0]?.id as string;

      const finished = await waitFor(
        'the run to succeed',
        async () => {
          const run = await database.prisma.benchmarkRun.findUniqueOrThrow({ where: { id: runId } });
          return run.status === 'SUCCEEDED' || run.status === 'FAILED' ? run : null;
        },
        { timeoutMs: 30_000, intervalMs: 200, describe: diagnostics },
      );
      expect(finished.status, diagnostics()).toBe('SUCCEEDED');
      await waitFor('the chart upload to complete', () => slack.callsTo('files.completeUploadExternal')[0], {
        timeoutMs: 10_000,
        describe: diagnostics,
      });
      await bot?.tasks.idle();

      // Still one run, one measurement per level, asked for by the Slack user through the bot.
      const allRuns = await database.prisma.benchmarkRun.findMany({ include: { results: true } });
      expect(allRuns).toHaveLength(1);
      const [run] = allRuns;
      expect(run?.requestedBy).toContain(`slack:${OPERATOR}`);
      expect(run?.results).toHaveLength(2);
      expect(openAi.requests().length).toBeGreaterThanOrEqual(TOTAL_REQUESTS);

      // One queued message; progress and the final state edit that same message in place.
      const updates = slack.callsTo('chat.update');
      expect(updates.length).toBeGreaterThanOrEqual(2);
      expect(
        updates.every((update) => update.params.ts === postedTs && update.params.channel === CHANNEL),
      ).toBe(true);
      // The runner's progress (from its heartbeats) reached the message before the final state.
      const progressAt = updates.findIndex((update) => /\d\/4 requests · level [12]\/2/.test(text(update)));
      expect(progressAt, diagnostics()).toBeGreaterThanOrEqual(0);
      expect(progressAt).toBeLessThan(updates.length - 1);
      expect(text(updates.at(-1))).toContain('finished');
      expect(text(updates.at(-1))).not.toContain('Cancel run');

      // The result, in the message's thread, and the chart through Slack's three-step upload.
      const resultMessages = slack
        .callsTo('chat.postMessage')
        .filter((call) => call.params.thread_ts === postedTs && text(call).includes('finished'));
      expect(resultMessages).toHaveLength(1);
      const result = text(resultMessages[0]);
      expect(result).toContain('benchmark finished: llama-3.1-8b-lora on dgx-spark');
      expect(result).toMatch(/conc decode tok\/s/);
      expect(result).toMatch(/\\n +1 +\d/);
      expect(result).toMatch(/\\n +2 +\d/);
      expect(result).toContain(`run \`${runId}\``);
      expect(
        slack.callsTo('chat.postMessage').filter((call) => call.params.thread_ts === undefined),
      ).toHaveLength(1);
      const [getUrl] = slack.callsTo('files.getUploadURLExternal');
      expect(slack.callsTo('files.getUploadURLExternal')).toHaveLength(1);
      expect(slack.uploads).toHaveLength(1);
      expect(slack.uploads[0]?.fileId).toBe(getUrl?.response.file_id);
      expect(slack.uploads[0]?.bytes.subarray(0, 8)).toEqual(
        Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
      );
      const complete = slack.callsTo('files.completeUploadExternal');
      expect(complete).toHaveLength(1);
      expect(complete[0]?.params.channel_id).toBe(CHANNEL);
      expect(complete[0]?.params.thread_ts).toBe(postedTs);
    }, 50_000);
  },
);
