import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ActionId } from '../../../bot/constants';
import { type FakeResult, progressJson } from '../../fakes/floorplan-api';
import { ADMIN, BotHarness, CHANNEL, messageText, OPERATOR, VIEWER } from './harness';

const RESULT: FakeResult = {
  id: 'res1',
  concurrency: 1,
  profileKey: 'concurrency=1',
  decodeTokensPerSecond: 21.4,
  outputTokensPerSecond: 21.4,
  ttftP95Ms: 180,
  regressionVerdict: 'REGRESSED',
  regression: {
    verdict: 'REGRESSED',
    metrics: {
      decodeTokensPerSecond: {
        verdict: 'REGRESSED',
        percentChange: -12.5,
        zScore: -4.2,
        historyUsed: 5,
        reason: 'slower',
      },
      ttftP99Ms: null,
    },
  },
  roofline: { ceilingTokensPerSecond: 30.1, efficiency: 0.71 },
};

describe('live benchmark runs', () => {
  const harness = new BotHarness();
  beforeAll(() => harness.start());
  afterAll(() => harness.stop());
  afterEach(async () => {
    harness.api.finishAllRuns();
    // A watcher registers once chat.postMessage has answered; give in-flight deliveries time to land.
    await new Promise((resolve) => setTimeout(resolve, 200));
    await harness.bot.tasks.idle();
    harness.slack.reset();
  });

  async function queueRun(text = 'bench llama-3.1-8b-lora concurrency=1,8,32 prompts=20') {
    const delivery = await harness.slashCommand(text, { user: OPERATOR });
    expect(delivery.status).toBe(200);
    const posted = await harness.slack.waitFor(
      () => harness.slack.callsTo('chat.postMessage')[0],
      5000,
      'the queued message',
    );
    const created = harness.api.operationsNamed('CreateBenchmarkRun').at(-1);
    const runId = [...harness.api.runs.keys()].at(-1) ?? '';
    await harness.slack.waitFor(
      () => harness.api.openStreamCount(runId) > 0,
      5000,
      'the progress subscription',
    );
    return { delivery, posted, created, runId };
  }

  it('refuses a viewer politely, names who can by user id, and queues nothing', async () => {
    const before = harness.api.operationsNamed('CreateBenchmarkRun').length;
    const delivery = await harness.slashCommand('bench llama-3.1-8b-lora concurrency=1', { user: VIEWER });
    const ack = JSON.parse(delivery.body) as Record<string, unknown>;
    expect(ack.response_type).toBe('ephemeral');
    expect(messageText(ack)).toContain('only operators can start benchmark runs');
    expect(messageText(ack)).toContain(`<@${OPERATOR}>`);
    expect(messageText(ack)).toContain(`<@${ADMIN}>`);
    expect(harness.api.operationsNamed('CreateBenchmarkRun').length).toBe(before);
  });

  it('queues, updates in place at most once a second, then posts the result with a chart', async () => {
    const { posted, created, runId } = await queueRun();
    expect(created?.variables.input).toMatchObject({
      box: 'dgx-spark',
      variant: 'llama-3.1-8b-lora',
      endpointKind: 'CHAT',
      spec: {
        profile: { kind: 'CONCURRENCY', concurrency: [1, 8, 32] },
        numPrompts: 20,
        inputTokens: 512,
        outputTokens: 256,
      },
    });
    expect(
      String((created?.variables.input as { idempotencyKey?: string } | undefined)?.idempotencyKey),
    ).toMatch(/^slack:[0-9a-f]{48}$/);
    expect(posted.params.channel).toBe(CHANNEL);
    expect(messageText(posted.params)).toContain('Cancel run');

    for (let completed = 1; completed <= 30; completed += 1) {
      harness.api.updateRun(runId, { status: 'LEASED', progress: progressJson(completed * 2, 60) });
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    await harness.slack.waitFor(
      () => messageText(harness.slack.callsTo('chat.update').at(-1)?.params ?? {}).includes('60/60'),
      5000,
      'the last progress state',
    );
    harness.api.finishRun(runId, { status: 'SUCCEEDED', results: [RESULT] });
    await harness.bot.tasks.idle();

    const updates = harness.slack.callsTo('chat.update');
    const postedTs = posted.response.ts;
    expect(typeof postedTs).toBe('string');
    expect(
      updates.every((update) => update.params.ts === postedTs && update.params.channel === CHANNEL),
    ).toBe(true);
    // 30 progress events over ~1.5 s must not become 30 updates: at most one per second (plus the final).
    expect(updates.length).toBeLessThanOrEqual(4);
    for (let index = 1; index < updates.length; index += 1) {
      expect((updates[index]?.at ?? 0) - (updates[index - 1]?.at ?? 0)).toBeGreaterThanOrEqual(950);
    }
    expect(messageText(updates.at(-1)?.params ?? {})).toContain('finished');
    expect(messageText(updates.at(-1)?.params ?? {})).not.toContain('Cancel run');

    const result = harness.slack
      .callsTo('chat.postMessage')
      .find((call) => messageText(call.params).includes('roofline'));
    expect(result).toBeDefined();
    expect(String(result?.params.reply_broadcast)).toBe('true');
    const resultText = messageText(result?.params ?? {});
    expect(resultText).toContain('Regression');
    expect(resultText).toContain('71%');
    expect(resultText).toContain('-12.5%');
    expect(resultText).toContain('Run again');
    expect(messageText(updates.at(-1)?.params ?? {})).toContain(`requested by <@${OPERATOR}>`);
    expect(harness.api.chartRequests).toContain(
      '/charts/history.png?box=dgx-spark&model=llama-3.1-8b-lora&profile=concurrency%3D1&metric=DECODE_TOKENS_PER_S',
    );
    expect(harness.slack.callsTo('files.getUploadURLExternal')).toHaveLength(1);
    expect(harness.slack.uploads).toHaveLength(1);
    const [complete] = harness.slack.callsTo('files.completeUploadExternal');
    expect(complete?.params.channel_id).toBe(CHANNEL);
    expect(result?.params.thread_ts).toBe(postedTs);
    expect(complete?.params.thread_ts).toBe(postedTs);
  });

  it('makes one run from a Slack retry of the same command (same trigger_id)', async () => {
    const { triggerId } = await harness.slashCommand('bench qwen3-4b-lora concurrency=1', { user: OPERATOR });
    await harness.slack.waitFor(() => harness.slack.callsTo('chat.postMessage')[0]);
    const retry = await harness.slashCommand('bench qwen3-4b-lora concurrency=1', {
      user: OPERATOR,
      triggerId,
    });
    const notice = await harness.waitForResponse(retry.responseId);
    expect(messageText(notice.body)).toContain('already queued');
    // The retry never reached the API twice: one run, one message.
    const runsForVariant = [...harness.api.runs.values()].filter(
      (run) => run.modelVariant.slug === 'qwen3-4b-lora',
    );
    expect(runsForVariant).toHaveLength(1);
    expect(harness.slack.callsTo('chat.postMessage')).toHaveLength(1);
    const runId = [...harness.api.runs.keys()].at(-1) ?? '';
    harness.api.finishRun(runId, { status: 'CANCELLED' });
  });

  it('makes one run from a double click on "Run a benchmark"', async () => {
    const value = JSON.stringify({ modelVariant: 'llama-3.1-8b-lora', box: 'dgx-spark' });
    const runsBefore = harness.api.runs.size;
    await Promise.all([
      harness.buttonClick({
        actionId: ActionId.runBenchmark,
        value,
        user: OPERATOR,
        messageTs: '1700000099.000100',
      }),
      harness.buttonClick({
        actionId: ActionId.runBenchmark,
        value,
        user: OPERATOR,
        messageTs: '1700000099.000100',
      }),
    ]);
    await harness.slack.waitFor(() => harness.slack.callsTo('chat.postMessage')[0]);
    await harness.slack.waitFor(() => harness.slack.responseUrlPosts[0]);
    expect(harness.api.runs.size).toBe(runsBefore + 1);
    expect(harness.slack.callsTo('chat.postMessage')).toHaveLength(1);
    const runId = [...harness.api.runs.keys()].at(-1) ?? '';
    harness.api.finishRun(runId, { status: 'CANCELLED' });
  });

  it('waits out a 429 Retry-After on chat.update and still shows the newest state', async () => {
    const { runId } = await queueRun('bench qwen3-4b-lora concurrency=8');
    harness.slack.rateLimitNext('chat.update', 2, 1);
    harness.api.updateRun(runId, { status: 'LEASED', progress: progressJson(5, 200) });
    const limited = await harness.slack.waitFor(() =>
      harness.slack.callsTo('chat.update', { includeRateLimited: true }).find((call) => call.status === 429),
    );
    harness.api.updateRun(runId, { status: 'LEASED', progress: progressJson(150, 200) });
    const delivered = await harness.slack.waitFor(
      () => harness.slack.callsTo('chat.update').find((call) => call.at > (limited?.at ?? 0)),
      6000,
      'an update after the 429',
    );
    expect(delivered.at - (limited?.at ?? 0)).toBeGreaterThanOrEqual(1900);
    expect(messageText(delivered.params)).toContain('150/200');
    harness.api.finishRun(runId, { status: 'FAILED', failureReason: 'vLLM endpoint stopped answering' });
    await harness.bot.tasks.idle();
    const result = harness.slack.callsTo('chat.postMessage').at(-1);
    expect(messageText(result?.params ?? {})).toContain('vLLM endpoint stopped answering');
    expect(harness.slack.callsTo('files.getUploadURLExternal')).toHaveLength(0);
  });

  it('recovers when the progress stream breaks mid-run and still posts the final result', async () => {
    const { runId } = await queueRun('bench llama-3.1-8b-lora concurrency=1 prompts=5');
    harness.api.breakProgressStreams(runId);
    await harness.slack.waitFor(() => harness.api.openStreamCount(runId) > 0, 5000, 're-subscription');
    harness.api.finishRun(runId, { status: 'SUCCEEDED', results: [{ ...RESULT, regression: null }] });
    await harness.bot.tasks.idle();
    expect(
      harness.api.operationsNamed('BenchmarkRunProgress').filter((op) => op.variables.id === runId).length,
    ).toBeGreaterThanOrEqual(2);
    expect(
      harness.slack
        .callsTo('chat.postMessage')
        .some((call) => messageText(call.params).includes('benchmark finished')),
    ).toBe(true);
  });

  it('cancels from the button (operators only) and from the command', async () => {
    const { runId } = await queueRun('bench qwen3-4b-lora concurrency=32');
    const refused = await harness.buttonClick({ actionId: ActionId.cancelRun, value: runId, user: VIEWER });
    const refusal = await harness.waitForResponse(refused.responseId);
    expect(messageText(refusal.body)).toContain('only operators can cancel');
    expect(harness.api.runs.get(runId)?.status).toBe('QUEUED');

    const clicked = await harness.buttonClick({ actionId: ActionId.cancelRun, value: runId, user: OPERATOR });
    const answer = await harness.waitForResponse(clicked.responseId);
    expect(messageText(answer.body)).toContain(`Run \`${runId}\` is cancelled`);
    expect(harness.api.runs.get(runId)?.status).toBe('CANCELLED');
    harness.api.finishRun(runId, { status: 'CANCELLED' });

    const command = await harness.slashCommand(`cancel ${runId}`, { user: ADMIN });
    const commandAnswer = await harness.waitForResponse(command.responseId);
    expect(messageText(commandAnswer.body)).toContain(runId);
  });

  it('answers an unknown model with the API refusal and a working example, queuing nothing', async () => {
    const delivery = await harness.slashCommand('bench gpt-17-lora concurrency=1', { user: OPERATOR });
    const post = await harness.waitForResponse(delivery.responseId);
    expect(post.body.response_type).toBe('ephemeral');
    expect(messageText(post.body)).toContain('No model variant');
    expect(messageText(post.body)).toContain('/floorplan bench llama-3.1-8b-lora concurrency=1,8,32');
    expect(harness.slack.callsTo('chat.postMessage')).toHaveLength(0);
  });

  it('tells the operator to invite the bot when it cannot post in the channel', async () => {
    harness.slack.failMethod('chat.postMessage', 'not_in_channel');
    const delivery = await harness.slashCommand('bench qwen3-4b-lora concurrency=2', { user: OPERATOR });
    const post = await harness.waitForResponse(delivery.responseId);
    expect(messageText(post.body)).toContain('`/invite` me');
    harness.slack.failMethod('chat.postMessage', undefined);
    const runId = [...harness.api.runs.keys()].at(-1) ?? '';
    harness.api.finishRun(runId, { status: 'CANCELLED' });
  });

  it('says the API is down when queuing fails to reach it', async () => {
    harness.api.unavailable = true;
    const delivery = await harness.slashCommand('bench qwen3-4b-lora concurrency=4', { user: OPERATOR });
    const post = await harness.waitForResponse(delivery.responseId);
    harness.api.unavailable = false;
    expect(messageText(post.body)).toContain('floorplan API is not answering');
  });
});
