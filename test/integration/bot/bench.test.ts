import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ActionId } from '../../../bot/constants';
import { ADMIN, BotHarness, CHANNEL, messageText, OPERATOR, VIEWER } from './harness';

/**
 * Live runs from Slack against the real API: the bot queues through GraphQL, the real runner agent
 * (in this process) leases and measures a fake vLLM, and the bot follows the run over the API's
 * SSE subscription, editing one Slack message in place.
 */
describe('live benchmark runs', () => {
  const harness = new BotHarness();
  beforeAll(() => harness.start({ liveRunOptions: { minUpdateIntervalMs: 1000 } }));
  afterAll(() => harness.stop());
  afterEach(async () => {
    await harness.stopRunner();
    harness.api.gate.up();
    await harness.cancelOpenRuns();
    // A watcher registers once chat.postMessage has answered; give in-flight deliveries time to land.
    await new Promise((resolve) => setTimeout(resolve, 200));
    await harness.bot.tasks.idle();
    harness.slack.reset();
    harness.slack.failMethod('chat.postMessage', undefined);
  });

  async function queueRun(text: string) {
    const delivery = await harness.slashCommand(text, { user: OPERATOR });
    expect(delivery.status).toBe(200);
    const posted = await harness.slack.waitFor(
      () => harness.slack.callsTo('chat.postMessage')[0],
      10_000,
      'the queued message',
    );
    const [run] = await harness.runs();
    if (run === undefined) throw new Error('no run was queued');
    return { delivery, posted, runId: run.id };
  }

  it('refuses a viewer politely, names who can by user id, and queues nothing', async () => {
    const before = (await harness.runs()).length;
    const delivery = await harness.slashCommand('bench llama-3.1-8b-lora concurrency=1', { user: VIEWER });
    const ack = JSON.parse(delivery.body) as Record<string, unknown>;
    expect(ack.response_type).toBe('ephemeral');
    expect(messageText(ack)).toContain('only operators can start benchmark runs');
    expect(messageText(ack)).toContain(`<@${OPERATOR}>`);
    expect(messageText(ack)).toContain(`<@${ADMIN}>`);
    expect((await harness.runs()).length).toBe(before);
  });

  it('queues, updates in place at most once a second, then posts the result with a chart', async () => {
    await harness.startRunner({ ttftMs: 40, tokenGapMs: 20 });
    const { posted, runId } = await queueRun(
      'bench llama-3.1-8b-lora concurrency=1,2 prompts=4 in=32 out=16',
    );
    const stored = await harness.api.database.prisma.benchmarkRun.findUniqueOrThrow({
      where: { id: runId },
      include: { variant: true },
    });
    expect(stored.variant.slug).toBe('llama-3.1-8b-lora');
    expect(stored.requestedBy).toContain(`slack:${OPERATOR}`);
    expect(stored.idempotencyKey).toMatch(/^slack:[0-9a-f]{48}$/);
    expect(posted.params.channel).toBe(CHANNEL);
    expect(messageText(posted.params)).toContain('Cancel run');

    await harness.slack.waitFor(
      () => harness.slack.callsTo('files.completeUploadExternal')[0],
      30_000,
      `the result chart (runner: ${harness.runnerLog.join(' | ')})`,
    );
    await harness.bot.tasks.idle();

    const updates = harness.slack.callsTo('chat.update');
    const postedTs = posted.response.ts;
    expect(typeof postedTs).toBe('string');
    expect(
      updates.every((update) => update.params.ts === postedTs && update.params.channel === CHANNEL),
    ).toBe(true);
    for (let index = 1; index < updates.length; index += 1) {
      expect((updates[index]?.at ?? 0) - (updates[index - 1]?.at ?? 0)).toBeGreaterThanOrEqual(950);
    }
    expect(messageText(updates.at(-1)?.params ?? {})).toContain('finished');
    expect(messageText(updates.at(-1)?.params ?? {})).not.toContain('Cancel run');
    expect(messageText(updates.at(-1)?.params ?? {})).toContain(`requested by <@${OPERATOR}>`);

    const result = harness.slack
      .callsTo('chat.postMessage')
      .find((call) => messageText(call.params).includes('benchmark finished'));
    expect(result).toBeDefined();
    const resultText = messageText(result?.params ?? {});
    expect(resultText).toContain('roofline');
    expect(resultText).toContain('Run again');
    expect(result?.params.thread_ts).toBe(postedTs);
    expect(harness.slack.callsTo('files.getUploadURLExternal')).toHaveLength(1);
    expect(harness.slack.uploads).toHaveLength(1);
    expect(harness.slack.uploads[0]?.bytes.subarray(1, 4).toString()).toBe('PNG');
    const [complete] = harness.slack.callsTo('files.completeUploadExternal');
    expect(complete?.params.channel_id).toBe(CHANNEL);
    expect(complete?.params.thread_ts).toBe(postedTs);
  }, 60_000);

  it('makes one run from a Slack retry of the same command (same trigger_id)', async () => {
    const { triggerId } = await harness.slashCommand('bench llama-3.1-8b-lora concurrency=1', {
      user: OPERATOR,
    });
    await harness.slack.waitFor(() => harness.slack.callsTo('chat.postMessage')[0]);
    const before = (await harness.runs()).length;
    const retry = await harness.slashCommand('bench llama-3.1-8b-lora concurrency=1', {
      user: OPERATOR,
      triggerId,
    });
    const notice = await harness.waitForResponse(retry.responseId);
    expect(messageText(notice.body)).toContain('already queued');
    expect((await harness.runs()).length).toBe(before);
    expect(harness.slack.callsTo('chat.postMessage')).toHaveLength(1);
  });

  it('makes one run from a double click on "Run a benchmark"', async () => {
    const value = JSON.stringify({ modelVariant: 'llama-3.1-8b-lora', box: 'dgx-spark' });
    const before = (await harness.runs()).length;
    await Promise.all([
      harness.buttonClick({
        actionId: ActionId.runBenchmark,
        value,
        user: OPERATOR,
        messageTs: '1700000099.1',
      }),
      harness.buttonClick({
        actionId: ActionId.runBenchmark,
        value,
        user: OPERATOR,
        messageTs: '1700000099.1',
      }),
    ]);
    await harness.slack.waitFor(() => harness.slack.callsTo('chat.postMessage')[0]);
    await harness.slack.waitFor(() => harness.slack.responseUrlPosts[0]);
    expect((await harness.runs()).length).toBe(before + 1);
    expect(harness.slack.callsTo('chat.postMessage')).toHaveLength(1);
  });

  it('refuses "Run a benchmark" from a viewer, even with a stale value, and queues nothing', async () => {
    const before = (await harness.runs()).length;
    const clicked = await harness.buttonClick({ actionId: ActionId.runBenchmark, value: '{', user: VIEWER });
    const refusal = await harness.waitForResponse(clicked.responseId);
    expect(messageText(refusal.body)).toContain('only operators can start benchmark runs');
    expect((await harness.runs()).length).toBe(before);
  });

  it('waits out a 429 Retry-After on chat.update and still shows the final state', async () => {
    const { runId } = await queueRun('bench llama-3.1-8b-lora concurrency=8');
    harness.slack.rateLimitNext('chat.update', 2, 1);
    await harness.adminApi().cancelBenchmarkRun(runId);
    const limited = await harness.slack.waitFor(
      () =>
        harness.slack
          .callsTo('chat.update', { includeRateLimited: true })
          .find((call) => call.status === 429),
      5000,
      'a rate-limited update',
    );
    const delivered = await harness.slack.waitFor(
      () => harness.slack.callsTo('chat.update').find((call) => call.at > (limited?.at ?? 0)),
      6000,
      'an update after the 429',
    );
    expect(delivered.at - (limited?.at ?? 0)).toBeGreaterThanOrEqual(1900);
    expect(messageText(delivered.params)).toContain('cancelled');
    await harness.bot.tasks.idle();
    expect(harness.slack.callsTo('files.getUploadURLExternal')).toHaveLength(0);
  });

  it('recovers when the API connection breaks mid-run and still posts the final result', async () => {
    const { runId } = await queueRun('bench llama-3.1-8b-lora concurrency=1 prompts=2 in=16 out=8');
    // The API "restarts": every open connection (the progress stream included) is cut.
    harness.api.gate.down();
    await new Promise((resolve) => setTimeout(resolve, 300));
    harness.api.gate.up();
    await harness.startRunner();
    await harness.slack.waitFor(
      () =>
        harness.slack
          .callsTo('chat.postMessage')
          .find((call) => messageText(call.params).includes('benchmark finished')),
      30_000,
      `the result after the break (runner: ${harness.runnerLog.join(' | ')})`,
    );
    const run = await harness.api.database.prisma.benchmarkRun.findUniqueOrThrow({ where: { id: runId } });
    expect(run.status).toBe('SUCCEEDED');
  }, 60_000);

  it('cancels from the button (operators only) and from the command', async () => {
    const { runId } = await queueRun('bench llama-3.1-8b-lora concurrency=32');
    const refused = await harness.buttonClick({ actionId: ActionId.cancelRun, value: runId, user: VIEWER });
    const refusal = await harness.waitForResponse(refused.responseId);
    expect(messageText(refusal.body)).toContain('only operators can cancel');
    const status = async () =>
      (await harness.api.database.prisma.benchmarkRun.findUniqueOrThrow({ where: { id: runId } })).status;
    expect(await status()).toBe('QUEUED');

    const clicked = await harness.buttonClick({ actionId: ActionId.cancelRun, value: runId, user: OPERATOR });
    const answer = await harness.waitForResponse(clicked.responseId);
    expect(messageText(answer.body)).toContain(`Run \`${runId}\` is cancelled`);
    expect(await status()).toBe('CANCELLED');

    const command = await harness.slashCommand(`cancel ${runId}`, { user: ADMIN });
    const commandAnswer = await harness.waitForResponse(command.responseId);
    expect(messageText(commandAnswer.body)).toContain(runId);
  });

  it('answers an unknown model with the models command and a working example, queuing nothing', async () => {
    const delivery = await harness.slashCommand('bench gpt-17-lora concurrency=1', { user: OPERATOR });
    const post = await harness.waitForResponse(delivery.responseId);
    expect(post.body.response_type).toBe('ephemeral');
    expect(post.body.text).toBe(
      "I don't know the model `gpt-17-lora`. `/floorplan models` lists the ones you can ask about.",
    );
    expect(messageText(post.body)).toContain('Try: `/floorplan bench llama-3.1-8b-lora concurrency=1,8,32');
    expect(harness.slack.callsTo('chat.postMessage')).toHaveLength(0);
  });

  it('tells the operator to invite the bot when it cannot post in the channel', async () => {
    harness.slack.failMethod('chat.postMessage', 'not_in_channel');
    const delivery = await harness.slashCommand('bench llama-3.1-8b-lora concurrency=2', { user: OPERATOR });
    const post = await harness.waitForResponse(delivery.responseId);
    expect(messageText(post.body)).toContain('`/invite` me');
  });

  it('says the API is down when queuing fails to reach it', async () => {
    harness.api.gate.down();
    const delivery = await harness.slashCommand('bench llama-3.1-8b-lora concurrency=4', { user: OPERATOR });
    const post = await harness.waitForResponse(delivery.responseId);
    expect(messageText(post.body)).toContain('floorplan API is not answering');
  });
});
