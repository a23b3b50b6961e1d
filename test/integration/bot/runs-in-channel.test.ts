import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ActionId } from '../../../bot/constants';
import type { RecordedSlackCall } from '../../fakes/slack-server';
import { ADMIN, BotHarness, OPERATOR } from './harness';

/**
 * Runs in the channel, as Slack sees them: the bot queues through the real API, the real runner
 * agent measures a fake vLLM, and the live message's final state ends with the headline numbers.
 * Expected texts are written out in full; the measured numbers in them are read from the database
 * the runner reported into and formatted here the way a reader sees them.
 */

const DATE = /<!date\^(\d+)\^\{date_short_pretty\} \{time\}\|(\d{4}-\d{2}-\d{2} \d{2}:\d{2}) UTC>/;

const one = (value: number | null, digits = 1) =>
  value === null ? 'n/a' : value.toLocaleString('en-US', { maximumFractionDigits: digits });
const percent = (ratio: number) => `${(ratio * 100).toFixed(0)}%`;
const slackDate = (date: Date) =>
  `<!date^${Math.floor(date.getTime() / 1000)}^{date_short_pretty} {time}|${date.toISOString().slice(0, 16).replace('T', ' ')} UTC>`;

interface Section {
  type: string;
  text?: { text: string };
  elements?: { text: string }[];
}

function blocksOf(call: RecordedSlackCall | undefined): Section[] {
  return (call?.params.blocks ?? []) as Section[];
}

function lastSectionText(call: RecordedSlackCall | undefined): string {
  return blocksOf(call).at(-1)?.text?.text ?? '';
}

function contentOf(call: RecordedSlackCall): string {
  return JSON.stringify([call.params.text, call.params.blocks]);
}

describe('runs in the channel', () => {
  const harness = new BotHarness();
  beforeAll(() => harness.start({ liveRunOptions: { minUpdateIntervalMs: 300 } }));
  afterAll(() => harness.stop());
  afterEach(async () => {
    await harness.stopRunner();
    await harness.cancelOpenRuns();
    await new Promise((resolve) => setTimeout(resolve, 200));
    await harness.bot.tasks.idle();
    harness.slack.reset();
  });

  async function benchAndWaitForResult(text: string) {
    const before = harness.slack.callsTo('chat.postMessage').length;
    const delivery = await harness.slashCommand(text, { user: OPERATOR });
    expect(delivery.status).toBe(200);
    const posted = await harness.slack.waitFor(
      () => harness.slack.callsTo('chat.postMessage')[before],
      10_000,
      'the run message',
    );
    const [run] = await harness.runs();
    if (run === undefined) throw new Error('no run was queued');
    await harness.slack.waitFor(
      () =>
        harness.slack
          .callsTo('chat.postMessage')
          .find((call) => call.params.thread_ts === posted.response.ts && call.params.text !== undefined),
      60_000,
      `the result of ${run.id} (runner: ${harness.runnerLog.slice(-5).join(' | ')})`,
    );
    await harness.bot.tasks.idle();
    const updates = harness.slack
      .callsTo('chat.update')
      .filter((call) => call.params.ts === posted.response.ts);
    const stored = await harness.api.database.prisma.benchmarkRun.findUniqueOrThrow({
      where: { id: run.id },
      include: { results: { orderBy: { concurrency: 'asc' } } },
    });
    return { posted, updates, run: stored };
  }

  async function rooflineEfficiency(resultId: string): Promise<number> {
    const response = await fetch(harness.api.graphqlUrl, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        authorization: `Bearer ${harness.api.tokens.operator}`,
        'x-graphql-client': 'test',
      },
      body: JSON.stringify({
        query: 'query ($id: ID!) { benchmarkResult(id: $id) { roofline { efficiency } } }',
        variables: { id: resultId },
      }),
    });
    const body = (await response.json()) as {
      data: { benchmarkResult: { roofline: { efficiency: number } } };
    };
    return body.data.benchmarkResult.roofline.efficiency;
  }

  it('ends the run message with the headline numbers, flags a rate above the roofline, and compares with the last comparable run', async () => {
    // A fake answering ~500 tokens/s per stream: far above what a DGX Spark can do for an 8B model.
    await harness.startRunner({ ttftMs: 20, tokenGapMs: 2 });
    const command = 'bench llama-3.1-8b-lora concurrency=1 prompts=3 in=16 out=8';
    const first = await benchAndWaitForResult(command);
    const [result] = first.run.results;
    if (result === undefined) throw new Error('no result stored');
    const efficiency = await rooflineEfficiency(result.id);
    expect(efficiency).toBeGreaterThan(1);

    const final = first.updates.at(-1);
    expect(lastSectionText(final)).toBe(
      `*concurrency 1*: decode ${one(result.decodeTokensPerSecond)} tok/s per stream · output ${one(result.outputTokensPerSecond)} tok/s · TTFT p95 ${one(result.ttftP95Ms, 0)} ms · ${percent(efficiency)} of roofline · first comparable run\n:warning: ${percent(efficiency)} of roofline is faster than this box can run this model: check the endpoint and model.`,
    );
    // Times in Slack's date formatting: each reader sees local time.
    const contextText = JSON.stringify(blocksOf(final).find((block) => block.type === 'context'));
    expect(contextText).toContain(`queued ${slackDate(first.run.createdAt)}`);
    expect(contextText).toContain(`ended ${slackDate(first.run.finishedAt ?? new Date(0))}`);
    expect(contextText).toMatch(DATE);
    // Never an update that repeats what the message shows; the final state is sent once.
    const shown = [contentOf(first.posted), ...first.updates.map(contentOf)];
    for (let index = 1; index < shown.length; index += 1) expect(shown[index]).not.toBe(shown[index - 1]);
    expect(
      first.updates.filter((call) => contentOf(call) === contentOf(final as RecordedSlackCall)),
    ).toHaveLength(1);
    // The thread result carries the same headline.
    const threadResult = harness.slack
      .callsTo('chat.postMessage')
      .find((call) => call.params.thread_ts === first.posted.response.ts);
    expect(JSON.stringify(threadResult?.params.blocks)).toContain(
      'of roofline is faster than this box can run this model: check the endpoint and model.',
    );

    harness.slack.reset();
    const second = await benchAndWaitForResult(command);
    const [again] = second.run.results;
    if (again === undefined || again.decodeTokensPerSecond === null || result.decodeTokensPerSecond === null)
      throw new Error('no second result');
    const change =
      Math.round(
        ((again.decodeTokensPerSecond - result.decodeTokensPerSecond) / result.decodeTokensPerSecond) * 1000,
      ) / 10;
    const signed = change === 0 ? '±0' : `${change > 0 ? '+' : '−'}${one(Math.abs(change))}`;
    // The verdict against history, read from the typed decodeRegression the API stored with the result.
    const stored = (
      again.regression as {
        metrics: { decodeTokensPerSecond: { historyUsed: number; percentChange: number } };
      }
    ).metrics.decodeTokensPerSecond;
    const secondResult = harness.slack
      .callsTo('chat.postMessage')
      .find((call) => call.params.thread_ts === second.posted.response.ts);
    expect(JSON.stringify(secondResult?.params.blocks)).toContain(
      `• concurrency 1: not enough history to judge (${stored.percentChange > 0 ? '+' : ''}${one(stored.percentChange)}% decode, ${stored.historyUsed} earlier run${stored.historyUsed === 1 ? '' : 's'})`,
    );
    expect(lastSectionText(second.updates.at(-1))).toContain(
      ` of roofline · ${signed}% decode vs last comparable run (${slackDate(result.measuredAt)})\n:warning: `,
    );
  }, 120_000);

  it('shows no warning when the box runs under its roofline', async () => {
    // ~5 tokens/s per stream: well under the Spark's ceiling for an 8B model.
    await harness.startRunner({ ttftMs: 20, tokenGapMs: 200 });
    const { run, updates } = await benchAndWaitForResult(
      'bench llama-3.1-8b-lora concurrency=2 prompts=2 in=16 out=4',
    );
    const [result] = run.results;
    if (result === undefined) throw new Error('no result stored');
    const efficiency = await rooflineEfficiency(result.id);
    expect(efficiency).toBeLessThan(1);
    expect(lastSectionText(updates.at(-1))).toBe(
      `*concurrency 2*: decode ${one(result.decodeTokensPerSecond)} tok/s per stream · output ${one(result.outputTokensPerSecond)} tok/s · TTFT p95 ${one(result.ttftP95Ms, 0)} ms · ${percent(efficiency)} of roofline · first comparable run`,
    );
  }, 120_000);

  it('says who cancelled, from the button and from the command', async () => {
    const queue = async (text: string) => {
      const before = harness.slack.callsTo('chat.postMessage').length;
      await harness.slashCommand(text, { user: OPERATOR });
      const posted = await harness.slack.waitFor(() => harness.slack.callsTo('chat.postMessage')[before]);
      const [run] = await harness.runs();
      return { posted, runId: run?.id ?? '' };
    };
    const byButton = await queue('bench llama-3.1-8b-lora concurrency=3');
    await harness.buttonClick({ actionId: ActionId.cancelRun, value: byButton.runId, user: OPERATOR });
    const byCommand = await queue('bench llama-3.1-8b-lora concurrency=5');
    const cancel = await harness.slashCommand(`cancel ${byCommand.runId}`, { user: ADMIN });
    expect(cancel.status).toBe(200);

    for (const [queued, who] of [
      [byButton, OPERATOR],
      [byCommand, ADMIN],
    ] as const) {
      const final = await harness.slack.waitFor(
        () =>
          harness.slack
            .callsTo('chat.update')
            .find(
              (call) =>
                call.params.ts === queued.posted.response.ts &&
                JSON.stringify(call.params).includes('Cancelled by'),
            ),
        10_000,
        `the cancelled state of ${queued.runId}`,
      );
      const run = await harness.api.database.prisma.benchmarkRun.findUniqueOrThrow({
        where: { id: queued.runId },
      });
      expect(run.status).toBe('CANCELLED');
      expect(lastSectionText(final)).toBe(
        `:no_entry_sign: Cancelled by <@${who}> ${slackDate(run.finishedAt ?? new Date(0))}.`,
      );
    }
  });

  it('says who cancelled a run the runner was measuring', async () => {
    // Slow answers (~1 s a request), so the run is still measuring when the cancel arrives.
    await harness.startRunner({ ttftMs: 200, tokenGapMs: 100 });
    await harness.slashCommand('bench llama-3.1-8b-lora concurrency=1 prompts=20 in=16 out=8', {
      user: OPERATOR,
    });
    const posted = await harness.slack.waitFor(() => harness.slack.callsTo('chat.postMessage')[0]);
    const [queued] = await harness.runs();
    if (queued === undefined) throw new Error('no run queued');
    const leaseDeadline = Date.now() + 15_000;
    while (
      (await harness.api.database.prisma.benchmarkRun.findUniqueOrThrow({ where: { id: queued.id } }))
        .status !== 'LEASED'
    ) {
      if (Date.now() > leaseDeadline) throw new Error('the runner did not lease the run');
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    await harness.buttonClick({ actionId: ActionId.cancelRun, value: queued.id, user: OPERATOR });
    const final = await harness.slack.waitFor(
      () =>
        harness.slack
          .callsTo('chat.update')
          .find(
            (call) =>
              call.params.ts === posted.response.ts && JSON.stringify(call.params).includes('Cancelled by'),
          ),
      20_000,
      'the cancelled state',
    );
    const run = await harness.api.database.prisma.benchmarkRun.findUniqueOrThrow({
      where: { id: queued.id },
    });
    expect(run.status).toBe('CANCELLED');
    expect(run.startedAt).not.toBeNull();
    expect(lastSectionText(final)).toBe(
      `:no_entry_sign: Cancelled by <@${OPERATOR}> ${slackDate(run.finishedAt ?? new Date(0))}.`,
    );
  }, 60_000);
});
