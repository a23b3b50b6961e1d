import type { KnownBlock } from '@slack/web-api';
import { describe, expect, it } from 'vitest';
import { buildAccessPathsMessage } from '../../../bot/blocks/access';
import { buildAppHomeView } from '../../../bot/blocks/app-home';
import { buildCostMessage } from '../../../bot/blocks/cost';
import { buildDecisionMessage } from '../../../bot/blocks/decision';
import { buildHelpMessage } from '../../../bot/blocks/help';
import { BlockKitLimits, type SlackMessage } from '../../../bot/blocks/limits';
import { buildPathsMessage } from '../../../bot/blocks/paths';
import { buildApiErrorMessage } from '../../../bot/blocks/replies';
import { buildRunListMessage } from '../../../bot/blocks/run-list';
import { buildRunProgressMessage, progressBar } from '../../../bot/blocks/run-progress';
import { buildRunResultMessage } from '../../../bot/blocks/run-result';
import type {
  AccessPath,
  BenchmarkRun,
  Decision,
  RunPage,
  SavedDecisionSummary,
} from '../../../bot/floorplan-api';
import { GraphqlCallError } from '../../../bot/floorplan-api';
import { formatMoney, formatMonthlyRange, normalizeDollarsIn } from '../../../bot/format/money';
import { formatCompact, formatTokensPerMonth, formatTokensPerSecond } from '../../../bot/format/words';
import { sampleDecision, samplePaths } from '../../fixtures/bot/answers';

/** Every limit Slack enforces on what the builders produce. */
function expectWithinLimits(
  blocks: readonly KnownBlock[],
  maxBlocks: number = BlockKitLimits.blocksPerMessage,
): void {
  expect(blocks.length).toBeLessThanOrEqual(maxBlocks);
  if (maxBlocks === BlockKitLimits.blocksPerMessage)
    expect(JSON.stringify(blocks).length).toBeLessThanOrEqual(13_000);
  for (const block of blocks) {
    const record = block as unknown as Record<string, unknown>;
    const text = (record.text as { text?: string } | undefined)?.text;
    if (block.type === 'section' && text !== undefined) expect(text.length).toBeLessThanOrEqual(3000);
    if (block.type === 'header' && text !== undefined) expect(text.length).toBeLessThanOrEqual(150);
    const fields = record.fields as { text: string }[] | undefined;
    if (fields) {
      expect(fields.length).toBeLessThanOrEqual(10);
      for (const field of fields) expect(field.text.length).toBeLessThanOrEqual(2000);
    }
    const elements = [
      ...((record.elements as Record<string, unknown>[] | undefined) ?? []),
      ...(record.accessory ? [record.accessory as Record<string, unknown>] : []),
    ];
    if (block.type === 'context') expect(elements.length).toBeLessThanOrEqual(10);
    for (const element of elements) {
      if (element.type !== 'button') continue;
      expect((element.text as { text: string }).text.length).toBeLessThanOrEqual(75);
      expect(String(element.value ?? '').length).toBeLessThanOrEqual(2000);
      expect(String(element.action_id).length).toBeLessThanOrEqual(255);
    }
  }
}

const longText = (length: number) => 'x'.repeat(length);

function hugeDecision(): Decision {
  const base = sampleDecision();
  const template = base.paths[0];
  const unlocked = base.minimalKeptSets[0]?.unlocked[0];
  if (template === undefined || unlocked === undefined) throw new Error('sample changed');
  return {
    ...base,
    paths: Array.from({ length: 400 }, (_, index) => ({
      ...template,
      optionId: `o${index}`,
      pathSlug: `path-${index}-${longText(40)}`,
    })),
    minimalKeptSets: Array.from({ length: 200 }, () => ({
      kept: ['FAST', 'CHEAP'],
      unlocked: [{ ...unlocked, shortfalls: [{ axis: 'FAST', shortfall: longText(500) }] }],
    })),
    warnings: Array.from({ length: 300 }, (_, index) => ({
      code: 'STALE_PRICE',
      message: longText(200),
      optionId: `o${index}`,
      affectsRecommendation: false,
    })),
    recommendation:
      base.recommendation === null ? null : { ...base.recommendation, reasons: [longText(5000)] },
    breakEvens: Array.from({ length: 300 }, () => ({
      optionA: 'a',
      optionB: 'b',
      summary: longText(300),
      crossings: [],
    })),
  };
}

function run(overrides: Partial<BenchmarkRun> = {}): BenchmarkRun {
  return {
    id: 'run0001',
    status: 'LEASED',
    box: { slug: 'dgx-spark', name: 'DGX Spark' },
    modelVariant: { slug: 'llama-3.1-8b-lora', name: 'Llama LoRA' },
    spec: {
      profile: { __typename: 'ConcurrencyProfile', levels: [1, 8, 32] },
      numPrompts: 200,
      inputTokens: 512,
      outputTokens: 256,
    },
    requestedBy: 'token:bot',
    attempt: 1,
    createdAt: '2026-01-05T10:00:00.000Z',
    startedAt: null,
    finishedAt: null,
    cancelRequested: false,
    failureReason: null,
    progress: { levelIndex: 1, levelCount: 3, phase: 'MEASURE', completed: 50, failed: 0, total: 200 },
    results: [],
    sloSweeps: [],
    cancelledBy: null,
    ...overrides,
  };
}

function page(runs: BenchmarkRun[]): RunPage {
  return { runs, totalCount: runs.length, page: 1, pageCount: 1, pageSize: runs.length };
}

describe('Block Kit builders', () => {
  it('say what is kept in plain words, with the cost, and the other choices with their gaps', () => {
    const message = buildDecisionMessage({
      decision: sampleDecision(),
      workloadArguments: 'model=m requests=1/day in=1 out=1',
      modelVariant: 'm',
    });
    const text = JSON.stringify(message.blocks);
    expect(text).toContain('*$122/mo*');
    expect(text).toContain('• keeps FAST: 21 vs 30 tok/s');
    expect(text).toContain(
      '• `bedrock-pt` $17,155/mo: keeps CHEAP: $17,155 where the budget is $500; keeps CONTROLLED: weights stay with the platform',
    );
    expect(text).toContain('FAIL FAST: 21 vs 30 tok/s');
    expectWithinLimits(message.blocks);
  });

  it('put a base-model stand-in last, labelled not eligible, never as the cheapest row', () => {
    const decision = sampleDecision();
    const template = decision.paths[0];
    if (template === undefined) throw new Error('sample changed');
    const standIn = {
      ...template,
      optionId: 'bedrock-on-demand/base',
      pathSlug: 'bedrock-on-demand',
      servedVariant: 'base',
      eligible: false,
      monthlyCost: { amount: '15.18', currency: 'USD' },
    };
    const message = buildDecisionMessage({
      decision: {
        ...decision,
        paths: [standIn, ...decision.paths],
        notEligible: [
          {
            optionId: standIn.optionId,
            pathSlug: standIn.pathSlug,
            reason: 'serves base models only',
          },
        ],
      },
      workloadArguments: 'model=m requests=1/day in=1 out=1',
      modelVariant: 'm',
    });
    const table = JSON.stringify(message.blocks.filter((block) => JSON.stringify(block).includes('```')));
    expect(table).toMatch(/bedrock-on-demand +\$15\.18 not eligible/);
    expect(table.indexOf('bedrock-on-demand')).toBeGreaterThan(table.indexOf('dgx-spark'));
  });

  it('keep a huge decision within the limits, with its buttons and a pointer to the rest', () => {
    const message = buildDecisionMessage({
      decision: hugeDecision(),
      workloadArguments: longText(3000),
      modelVariant: 'm',
    });
    expectWithinLimits(message.blocks);
    const text = JSON.stringify(message.blocks);
    expect(text).toContain('Run a benchmark');
    expect(text).toMatch(/more blocks not shown|see the full answer/);
    expect(message.text.length).toBeLessThanOrEqual(3000);
  });

  it('page a long path list and say how to get the next page', () => {
    const message = buildPathsMessage(
      samplePaths(500).map((path) => ({ ...path, name: longText(400), quotaWall: longText(3000) })),
      1,
    );
    expectWithinLimits(message.blocks);
    expect(JSON.stringify(message.blocks)).toContain('/floorplan paths page=2');
  });

  it('keep cost, access, runs, help, progress, result and App Home within limits for huge inputs', () => {
    const messages: SlackMessage[] = [
      buildCostMessage(hugeDecision(), longText(5000), true),
      buildAccessPathsMessage(
        longText(300),
        Array.from(
          { length: 200 },
          (): AccessPath => ({
            slug: 's',
            name: longText(3000),
            vendor: { name: 'v' },
            acceleratorClass: 'gb300',
            channel: 'RELATIONSHIP',
            region: null,
            minimumCommitment: { amount: '1000', currency: 'USD' },
            minimumCommitmentHours: 24,
            paidUpFront: true,
            cancellable: false,
            quotaNeeded: longText(2000),
            typicalLeadTimeDays: 14,
            figures: { attempts: 4, medianHoursToAnswer: 36, successRate: 0.25 },
            attempts: [{ outcome: 'NO_ANSWER', requestedAt: '2026-01-01T00:00:00Z', answeredAt: null }],
          }),
        ),
      ),
      buildRunListMessage(
        page(Array.from({ length: 300 }, (_, index) => run({ id: `run${index}` }))),
        undefined,
      ),
      buildHelpMessage(longText(5000)),
      buildRunProgressMessage(run({ failureReason: longText(9000), status: 'FAILED' })),
      buildRunResultMessage(
        run({
          status: 'SUCCEEDED',
          results: Array.from({ length: 300 }, (_, index) => ({
            id: `r${index}`,
            concurrency: index,
            profileKey: `concurrency=${index}`,
            serverConfiguration: null,
            previousComparable: null,
            decodeTokensPerSecond: 20,
            outputTokensPerSecond: 20,
            ttftP95Ms: 100,
            roofline: { ceilingTokensPerSecond: 30, efficiency: 0.7 },
            regressionVerdict: 'REGRESSED',
            decodeRegression: { percentChange: -10, zScore: -5, historyUsed: 5, reason: longText(500) },
          })),
        }),
        { chartAttached: true },
      ),
    ];
    for (const message of messages) expectWithinLimits(message.blocks);

    const decisions: SavedDecisionSummary[] = Array.from({ length: 200 }, (_, index) => ({
      id: `d${index}`,
      createdAt: '2026-01-01T00:00:00Z',
      name: longText(300),
      createdBy: longText(300),
      requestedBy: `slack:${longText(300)}`,
      keep: ['FAST'],
      workload: { model: longText(3000) },
      decision: {
        recommendation: { pathSlug: 'dgx-spark', monthlyCost: { amount: '1', currency: 'USD' } },
      },
    }));
    const runs = Array.from({ length: 200 }, (_, index) => run({ id: `r${index}` }));
    const home = buildAppHomeView({
      queued: page(runs),
      running: page(runs),
      recent: page(runs),
      decisions,
      viewerCanOperate: true,
    });
    expectWithinLimits(home.blocks as KnownBlock[], BlockKitLimits.blocksPerView);
  });

  it('show the progress as a text bar, clamping nonsense', () => {
    expect(progressBar(50, 200, 10)).toBe('▓▓▓░░░░░░░ 25%');
    expect(progressBar(500, 200, 4)).toBe('▓▓▓▓ 100%');
    expect(progressBar(-3, 0, 4)).toBe('░░░░ 0%');
    expect(progressBar(Number.NaN, 10, 2)).toBe('░░ 0%');
    const text = JSON.stringify(buildRunProgressMessage(run(), 'U0OPERATOR').blocks);
    expect(text).toContain('50/200 requests · level 2/3 (concurrency 8)');
    expect(text).toContain('requested by <@U0OPERATOR>');
    expect(text).toContain('floorplan.cancel_run');
  });

  it('flag a regression in the result header and broadcastable text', () => {
    const result = buildRunResultMessage(
      run({
        status: 'SUCCEEDED',
        results: [
          {
            id: 'r1',
            concurrency: 1,
            profileKey: 'concurrency=1',
            serverConfiguration: null,
            previousComparable: null,
            decodeTokensPerSecond: 18.2,
            outputTokensPerSecond: 18.2,
            ttftP95Ms: 140,
            roofline: { ceilingTokensPerSecond: 26, efficiency: 0.7 },
            regressionVerdict: 'REGRESSED',
            decodeRegression: { percentChange: -14.2, zScore: -5.1, historyUsed: 6, reason: null },
          },
        ],
      }),
      { chartAttached: true },
    );
    expect(result.text).toContain('(regression)');
    const text = JSON.stringify(result.blocks);
    expect(text).toContain('Regression: benchmark finished');
    expect(text).toContain('-14.2% decode, z -5.1, 6 earlier runs');
    expect(text).toContain('70%');
  });
});

describe('the API down, in words', () => {
  const failure = (message: string) =>
    new GraphqlCallError('unavailable', message, null, 'CreateBenchmarkRun');
  it('says nothing was queued when the request never reached the API, and never shows its address', () => {
    const refused = buildApiErrorMessage(
      failure('The floorplan API at http://10.0.0.7:4000 is not reachable (ECONNREFUSED).'),
      undefined,
      'queue',
    );
    expect(refused.text).toBe(
      'The floorplan API is not answering right now (it is not reachable), so I cannot answer from its evidence. Nothing was queued. Try again in a minute.',
    );
    const cut = buildApiErrorMessage(
      failure('The floorplan API at http://10.0.0.7:4000 is not reachable (ECONNRESET).'),
      undefined,
      'queue',
    );
    expect(cut.text).toContain('I cannot tell whether the run was queued: `/floorplan runs` shows it');
    const read = buildApiErrorMessage(
      failure('The floorplan API at http://10.0.0.7:4000 is not reachable (it did not answer in time).'),
    );
    expect(read.text).toContain('(it did not answer in time)');
    expect(read.text).toContain('Nothing was saved or queued.');
    for (const message of [refused, cut, read]) expect(JSON.stringify(message)).not.toContain('10.0.0.7');
  });
});

describe('money at presentation', () => {
  it('rounds half-even to cents from the decimal string, never through a float', () => {
    expect(formatMoney({ amount: '0.125', currency: 'USD' })).toBe('$0.12');
    expect(formatMoney({ amount: '0.135', currency: 'USD' })).toBe('$0.14');
    expect(formatMoney({ amount: '99.995', currency: 'USD' })).toBe('$100.00');
    expect(formatMoney({ amount: '17155', currency: 'USD' })).toBe('$17,155');
    expect(formatMoney({ amount: '1234567.5', currency: 'EUR' })).toBe('€1,234,568');
    expect(formatMoney({ amount: '1234568.5', currency: 'EUR' })).toBe('€1,234,568');
    expect(formatMoney({ amount: '-3.999', currency: 'GBP' })).toBe('-£4.00');
    expect(formatMoney({ amount: '90071992547409930.015', currency: 'USD' })).toBe('$90,071,992,547,409,930');
    expect(formatMoney({ amount: '5', currency: 'JPY' })).toBe('5.00 JPY');
    expect(formatMoney({ amount: 'oops', currency: 'USD' })).toBe('oops USD');
  });

  it('writes ranges, rates and volumes one way everywhere', () => {
    const usd = (amount: string) => ({ amount, currency: 'USD' });
    expect(formatMonthlyRange(usd('2853.449997645'), usd('2853.449997645'), usd('2862.40018535'))).toBe(
      '$2,853–2,862/mo',
    );
    expect(formatMonthlyRange(usd('137.31'), usd('137.2'), usd('137.4'))).toBe('$137/mo');
    expect(formatMonthlyRange(usd('15.18'))).toBe('$15.18/mo');
    expect(formatTokensPerSecond(20.4)).toBe('20.4 tok/s');
    expect(formatTokensPerSecond(30)).toBe('30 tok/s');
    expect(formatTokensPerMonth(12_400_000_000)).toBe('12.4B tokens/mo');
    expect(formatTokensPerMonth(69_000_000)).toBe('69M tokens/mo');
    expect(formatCompact(950)).toBe('950');
    expect(normalizeDollarsIn('costs $1,922.35/month vs $500.00 budget; $15.185 a day')).toBe(
      'costs $1,922/mo vs $500 budget; $15.18 a day',
    );
  });
});
