import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ActionId, CallbackId } from '../../../bot/constants';
import { BotHarness, CHANNEL, messageText, OPERATOR } from '../../integration/bot/harness';

/**
 * A team member's journey through HTTP as Slack sends it: signed requests to the bot's own HTTP
 * receiver, the real floorplan API on loopback (in this process, PGlite or Postgres), the real
 * runner agent against a fake vLLM, the fake Slack Web API for what the bot sends back.
 * `keep …` → the recommendation → "Compare with cloud" → "Save decision" → "Run a benchmark" →
 * live updates → the result with its chart; and the workload modal submitted with its defaults.
 * Every message on the way is held to Block Kit's limits by the fake Slack.
 */
describe('Slack journey: the question, the answer, the evidence', () => {
  const harness = new BotHarness();
  beforeAll(() => harness.start({ liveRunOptions: { minUpdateIntervalMs: 300 } }));
  afterAll(async () => {
    await harness.cancelOpenRuns();
    await harness.bot.tasks.idle();
    await harness.stop();
  });

  const WORKLOAD = 'model=llama-3.1-8b-lora requests=2,000/day in=900 out=250 hours=10 custom own-weights';

  it('keep → compare → save → benchmark → result', async () => {
    // 1. The question as typed.
    const asked = await harness.slashCommand(`keep ${WORKLOAD}`, { user: OPERATOR });
    expect(asked.status).toBe(200);
    expect(asked.elapsedMs).toBeLessThan(3000);
    const answer = await harness.waitForResponse(asked.responseId, 15_000);
    expect(answer.body.response_type).toBe('in_channel');
    const blocks = answer.body.blocks as {
      type: string;
      elements?: { action_id: string; value: string }[];
    }[];
    const buttons = blocks.find((block) => block.type === 'actions')?.elements ?? [];
    const buttonValue = (actionId: string) => {
      const found = buttons.find((element) => element.action_id === actionId);
      if (found === undefined) throw new Error(`no ${actionId} button in ${messageText(answer.body)}`);
      return found.value;
    };
    expect(messageText(answer.body)).toContain('Serve it on');

    // 2. "Compare with cloud", with the value the answer carried: costs and break-evens, nothing saved.
    const savedBefore = await harness.api.database.prisma.decision.count();
    const compared = await harness.buttonClick({
      actionId: ActionId.compareWithCloud,
      value: buttonValue(ActionId.compareWithCloud),
      user: OPERATOR,
    });
    const comparison = await harness.waitForResponse(compared.responseId, 15_000);
    expect(messageText(comparison.body)).toContain('Where the costs cross');
    expect(await harness.api.database.prisma.decision.count()).toBe(savedBefore);

    // 3. "Save decision": stored for this Slack user and model.
    const saved = await harness.buttonClick({
      actionId: ActionId.saveDecision,
      value: buttonValue(ActionId.saveDecision),
      user: OPERATOR,
    });
    const savedNotice = await harness.waitForResponse(saved.responseId, 15_000);
    expect(messageText(savedNotice.body)).toContain(`asked by <@${OPERATOR}>`);
    const decision = await harness.api.database.prisma.decision.findFirstOrThrow({
      orderBy: { createdAt: 'desc' },
    });
    expect(decision.requestedBy).toBe(`slack:${OPERATOR}`);

    // 4. "Run a benchmark": queued for the operator, followed live, the result posted with a chart.
    await harness.startRunner({ ttftMs: 2, tokenGapMs: 0 });
    await harness.buttonClick({
      actionId: ActionId.runBenchmark,
      value: buttonValue(ActionId.runBenchmark),
      user: OPERATOR,
      messageTs: '1700000500.000100',
    });
    const posted = await harness.slack.waitFor(
      () => harness.slack.callsTo('chat.postMessage')[0],
      15_000,
      'the run message',
    );
    expect(posted.params.channel).toBe(CHANNEL);
    const [run] = await harness.runs();
    expect(run?.variant.slug).toBe('llama-3.1-8b-lora');
    expect(run?.requestedBy).toContain(`slack:${OPERATOR}`);
    await harness.slack.waitFor(
      () => harness.slack.callsTo('files.completeUploadExternal')[0],
      90_000,
      `the result chart (runner: ${harness.runnerLog.slice(-5).join(' | ')})`,
    );
    await harness.bot.tasks.idle();
    const stored = await harness.api.database.prisma.benchmarkRun.findUniqueOrThrow({
      where: { id: run?.id ?? '' },
      include: { results: true },
    });
    expect(stored.status).toBe('SUCCEEDED');
    expect(stored.results.length).toBe(3);
    const result = harness.slack
      .callsTo('chat.postMessage')
      .find((call) => call.params.thread_ts === posted.response.ts);
    expect(result, 'the result in the run thread').toBeDefined();
    expect(messageText(result?.params ?? {})).toMatch(/tok\/s|decode/);
    expect(harness.slack.uploads[0]?.bytes.subarray(1, 4).toString()).toBe('PNG');
    // Live updates edited the run's one message in place, ending in its final state.
    const updates = harness.slack
      .callsTo('chat.update')
      .filter((update) => update.params.ts === posted.response.ts);
    expect(updates.length).toBeGreaterThan(0);
    expect(messageText(updates.at(-1)?.params ?? {})).toContain('finished');
    await harness.stopRunner();
  }, 120_000);

  it('the workload modal, submitted with the defaults it shows', async () => {
    harness.slack.reset();
    await harness.slashCommand('keep', { user: OPERATOR });
    const open = await harness.slack.waitFor(() => harness.slack.callsTo('views.open')[0]);
    const view = open.params.view as {
      private_metadata: string;
      blocks: { block_id: string; element: { type: string; action_id: string; initial_value?: string } }[];
    };
    const values: Record<string, Record<string, unknown>> = {};
    for (const block of view.blocks) {
      if (block.element.type !== 'plain_text_input') continue;
      values[block.block_id] = {
        [block.element.action_id]: { type: 'plain_text_input', value: block.element.initial_value ?? null },
      };
    }
    const typed = (id: string, value: string) => {
      values[id] = { [id]: { type: 'plain_text_input', value } };
    };
    typed('model', 'llama-3.1-8b-lora');
    typed('requests', '60k/month');
    typed('input_tokens', '900');
    typed('output_tokens', '250');
    const submitted = await harness.viewSubmission(
      CallbackId.workloadForm,
      values,
      view.private_metadata,
      OPERATOR,
    );
    expect(submitted.status).toBe(200);
    const post = await harness.slack.waitFor(() => harness.slack.callsTo('chat.postMessage')[0], 15_000);
    expect(post.params.channel).toBe(CHANNEL);
    const text = messageText(post.params);
    expect(text).toContain('Serve it on');
    expect(text).toContain('60K requests/mo');
    expect(text).toContain('36-month horizon');
  });
});
