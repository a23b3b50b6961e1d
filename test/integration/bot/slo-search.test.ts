import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { WorkloadInput } from '../../../bot/floorplan-api';
import {
  LOADED_CONFIGURATIONS,
  largestConcurrencyForTpot,
  startLoadedServer,
} from '../../fakes/loaded-server';
import { BotHarness, OPERATOR } from './harness';

/**
 * `/floorplan bench … slo-search` from Slack through the real API and the real runner against the
 * loaded fake vLLM, whose SLO crossing is known: TPOT = 3c ms, so TPOT mean ≤ 16.5 ms holds up to
 * five streams. The run and the result show the largest concurrency at the SLO and the goodput the
 * API stored; the frontier chart of the saved workload for that model follows in the thread.
 */

const baseline = LOADED_CONFIGURATIONS.baseline as NonNullable<(typeof LOADED_CONFIGURATIONS)['baseline']>;
const one = (value: number | null, digits = 1) =>
  value === null ? 'n/a' : value.toLocaleString('en-US', { maximumFractionDigits: digits });

describe('SLO search from Slack', () => {
  const harness = new BotHarness();
  beforeAll(() => harness.start({ liveRunOptions: { minUpdateIntervalMs: 300 } }));
  afterAll(() => harness.stop());
  afterEach(async () => {
    await harness.stopRunner();
    await harness.cancelOpenRuns();
    await harness.bot.tasks.idle();
    harness.slack.reset();
  });

  it('queues an SLO_SEARCH run, shows the largest concurrency at the SLO and the goodput, then the frontier chart', async () => {
    expect(largestConcurrencyForTpot(baseline, 16.5)).toBe(5);
    // A teammate saved the lab workload for this model: the frontier chart is drawn for it.
    const { name: _name, ...workload } = JSON.parse(
      await readFile(path.join(process.cwd(), 'seeds/workloads/lab-retrieval.json'), 'utf8'),
    ) as Record<string, unknown>;
    const saved = await harness.adminApi().saveDecision(workload as unknown as WorkloadInput, [], {
      name: 'lab workload',
      onBehalfOf: 'slack:U0LAB',
    });

    await harness.startRunner({ server: await startLoadedServer(baseline) });
    const delivery = await harness.slashCommand(
      'bench llama-3.1-8b-lora slo-search tpot<=16.5 prompts=15 in=16 out=40 max-concurrency=64',
      { user: OPERATOR },
    );
    expect(delivery.status).toBe(200);
    const posted = await harness.slack.waitFor(() => harness.slack.callsTo('chat.postMessage')[0]);
    const [queued] = await harness.runs();
    if (queued === undefined) throw new Error('no run queued');
    expect((queued.spec as { profile: unknown }).profile).toMatchObject({
      kind: 'slo-search',
      slos: { tpotMeanMs: 16.5 },
      maxConcurrency: 64,
    });
    expect(JSON.stringify(posted.params)).toContain(
      'SLO search (TPOT mean ≤ 16.5 ms, up to 64 streams) · 15 prompts · 16 in / 40 out',
    );

    await harness.slack.waitFor(
      () => harness.slack.callsTo('files.completeUploadExternal')[1],
      90_000,
      `the history and frontier charts (runner: ${harness.runnerLog.slice(-5).join(' | ')})`,
    );
    await harness.bot.tasks.idle();

    const sweep = await harness.api.database.prisma.sloSweep.findFirstOrThrow({
      where: { runId: queued.id },
    });
    // The steady-state crossing lies between 5 and 6 streams; on a loaded machine (CI with other
    // suites, or other work beside it) level 5 can measure just over the SLO, so the answer is
    // accepted within one bisection step, as the issue states. What the bot shows must be the sweep's.
    const largest = sweep.maxConcurrencyAtSlo ?? 0;
    expect([4, 5]).toContain(largest);
    expect(sweep.firstMissConcurrency).toBe(largest + 1);
    const expected = `*SLO search* (TPOT mean ≤ 16.5 ms): largest concurrency at the SLO *${largest}* (${largest + 1} missed) · goodput ${one(sweep.goodputRequestsPerSecond, 2)} req/s, ${one(sweep.goodputOutputTokensPerSecond)} output tok/s\n*concurrency ${largest}*: decode `;

    const final = harness.slack.callsTo('chat.update').at(-1);
    expect(final?.params.ts).toBe(posted.response.ts);
    const blocks = final?.params.blocks as { text?: { text: string } }[];
    expect(blocks.at(-1)?.text?.text.startsWith(expected)).toBe(true);
    const result = harness.slack
      .callsTo('chat.postMessage')
      .find(
        (call) =>
          call.params.thread_ts === posted.response.ts &&
          JSON.stringify(call.params).includes('benchmark finished'),
      );
    expect(JSON.stringify(result?.params.blocks)).toContain(JSON.stringify(expected).slice(1, -1));

    const [history, frontier] = harness.slack.callsTo('files.completeUploadExternal');
    expect(JSON.stringify(history?.params)).toContain('History: llama-3.1-8b-lora on dgx-spark');
    expect(frontier?.params.thread_ts).toBe(posted.response.ts);
    expect(frontier?.params.initial_comment).toBe(
      `$/1M goodput tokens per path for the saved workload \`${saved.id}\` (llama-3.1-8b-lora), with this sweep.`,
    );
    expect(harness.slack.uploads[1]?.bytes.subarray(1, 4).toString()).toBe('PNG');
  }, 120_000);

  it('answers bad slo-search syntax in the ack with the exact help, queuing nothing', async () => {
    const before = (await harness.runs()).length;
    const delivery = await harness.slashCommand('bench llama-3.1-8b-lora slo-search ttft_p50<=200', {
      user: OPERATOR,
    });
    const ack = JSON.parse(delivery.body) as { response_type: string; text: string };
    expect(ack.response_type).toBe('ephemeral');
    expect(delivery.body).toContain(
      '`ttft_p50` is not an objective: use `ttft_p95`, `ttft_p99`, `tpot` (the mean), `tpot_p99`, `itl_p99` or `e2el_p99`, in ms, e.g. `ttft_p95<=200`.',
    );
    expect(delivery.body).toContain('/floorplan bench llama-3.1-8b-lora slo-search ttft_p95<=200 tpot<=20');
    expect((await harness.runs()).length).toBe(before);
    expect(harness.slack.callsTo('chat.postMessage')).toHaveLength(0);
  });
});
