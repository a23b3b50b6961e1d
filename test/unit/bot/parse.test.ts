import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { buildSchema, type GraphQLInputObjectType } from 'graphql';
import { describe, expect, it } from 'vitest';
import {
  EXAMPLES,
  parseCommand,
  parseWorkloadArguments,
  tryParseWorkloadArguments,
  WORKLOAD_DEFAULTS,
  workloadToArguments,
} from '../../../bot/command-text/parse';
import type { WorkloadInput } from '../../../bot/floorplan-api';
import { FC_SEED } from '../../support/fast-check-seed';

const strip = (example: string) => example.replace(/^\/floorplan\s*/, '');

describe('parseCommand', () => {
  it('parses the keep example from the brief into the API workload', () => {
    const result = parseCommand(strip(EXAMPLES.keep));
    expect(result).toEqual({
      ok: true,
      command: {
        kind: 'keep',
        keep: [],
        workload: {
          model: 'llama-3.1-8b-lora',
          requestsPerDay: 2000,
          meanInputTokens: 900,
          meanOutputTokens: 250,
          activeHoursPerDay: 10,
          needsCustomWeights: true,
          mustOwnWeights: true,
        },
      },
    });
  });

  it('parses every example it shows to users', () => {
    for (const example of Object.values(EXAMPLES)) expect(parseCommand(strip(example)).ok).toBe(true);
  });

  it('parses bench with defaults, sorted unique levels, and the em dash Slack puts in `--page`', () => {
    expect(parseCommand('bench llama-3.1-8b-lora concurrency=32,1,8,8')).toEqual({
      ok: true,
      command: {
        kind: 'bench',
        modelVariant: 'llama-3.1-8b-lora',
        box: 'dgx-spark',
        profile: { concurrency: [1, 8, 32], prompts: 200, inputTokens: 512, outputTokens: 256 },
      },
    });
    expect(parseCommand('paths \u2014page 3')).toEqual({ ok: true, command: { kind: 'paths', page: 3 } });
    expect(parseCommand('keep')).toEqual({ ok: true, command: { kind: 'keep-form' } });
    expect(parseCommand('')).toEqual({ ok: true, command: { kind: 'help' } });
    expect(parseCommand('runs running n=5')).toEqual({
      ok: true,
      command: { kind: 'runs', status: 'LEASED', limit: 5, page: 1 },
    });
  });

  it('converts monthly requests with the active days, or the API default of every day', () => {
    const parsed = parseWorkloadArguments(['model=m', 'requests=1.1m/month', 'days=22', 'in=1', 'out=1']);
    expect(parsed.workload.requestsPerDay).toBe(50000);
    const everyDay = parseWorkloadArguments(['model=m', 'requests=60k/month', 'in=1', 'out=1']);
    expect(everyDay.workload.requestsPerDay).toBe(60_000 / WORKLOAD_DEFAULTS.activeDaysPerMonth);
    expect(everyDay.workload.activeDaysPerMonth).toBeUndefined();
  });

  it('takes the traffic shape: burstiness and peak-to-mean, bounded as the API bounds them', () => {
    const shaped = parseWorkloadArguments([
      'model=m',
      'requests=1/day',
      'in=1',
      'out=1',
      'burstiness=3',
      'peak=2.5x',
    ]);
    expect(shaped.workload).toMatchObject({ burstiness: 3, peakToMean: 2.5 });
    expect(
      parseWorkloadArguments(['model=m', 'requests=1/day', 'in=1', 'out=1', 'burst=0.5']).workload.burstiness,
    ).toBe(0.5);
    const tooBursty = tryParseWorkloadArguments([
      'model=m',
      'requests=1/day',
      'in=1',
      'out=1',
      'burstiness=5000',
    ]);
    expect(tooBursty).toMatchObject({
      ok: false,
      error: { argument: 'burstiness', message: '`burstiness` must be between 0.01 and 1000, got `5000`.' },
    });
    const belowFlat = tryParseWorkloadArguments(['model=m', 'requests=1/day', 'in=1', 'out=1', 'peak=0.5']);
    expect(belowFlat).toMatchObject({
      ok: false,
      error: { argument: 'peak', message: '`peak` must be between 1 and 1000, got `0.5`.' },
    });
  });

  it('reads numbers as people type them: 2,000 and 2k and 2000 are one workload', () => {
    const requestsOf = (raw: string) =>
      parseWorkloadArguments(['model=m', `requests=${raw}`, 'in=1,000', 'out=250']).workload;
    expect(requestsOf('2,000/day')).toEqual(requestsOf('2000/day'));
    expect(requestsOf('2k/day')).toEqual(requestsOf('2000'));
    expect(requestsOf('1,200,000/month').requestsPerDay).toBe(40_000);
    expect(requestsOf('2000').meanInputTokens).toBe(1000);
    const horizon = parseWorkloadArguments(['model=m', 'requests=1/day', 'in=1', 'out=1', 'months=12']);
    expect(horizon.workload.horizonMonths).toBe(12);
  });

  it('states the defaults the API states (schema/schema.graphql WorkloadInput)', () => {
    const sdl = buildSchema(readFileSync('schema/schema.graphql', 'utf8'));
    const input = sdl.getType('WorkloadInput') as GraphQLInputObjectType;
    const fields = input.getFields();
    expect(fields.activeHoursPerDay?.defaultValue).toBe(WORKLOAD_DEFAULTS.activeHoursPerDay);
    expect(fields.activeDaysPerMonth?.defaultValue).toBe(WORKLOAD_DEFAULTS.activeDaysPerMonth);
    expect(fields.horizonMonths?.defaultValue).toBe(WORKLOAD_DEFAULTS.horizonMonths);
    expect(fields.region?.defaultValue).toBe(WORKLOAD_DEFAULTS.region);
  });

  it.each([
    ['keep model=m requests=lots in=900 out=250', 'is not a number', 'requests'],
    ['keep model=m requests=10/day in=900', 'mean output tokens', 'out'],
    ['keep requests=10/day in=9 out=9', 'name the model', 'model'],
    ['keep model=m requests=10/day in=9 out=9 hours=25', 'between 0.1 and 24', 'hours'],
    ['keep model=m requests=-5/day in=9 out=9', '`requests` must be positive, got `-5`', 'requests'],
    ['keep model=m requests=10/day in=-5 out=9', '`in` must be positive, got `-5`', 'in'],
    ['keep model=m requests=10/day in=9 out=9 months=0', 'between 1 and 120', 'months'],
    ['keep model=m requests=10/day in=9 out=9 month=12', "I don't know the argument `month`", 'month'],
    ['keep model=m requests=10/day in=9 out=9 budget=lots', 'is not an amount', 'budget'],
    ['keep model=m requests=10/day in=9 out=9 tps<=30', 'write `tps>=30`', 'tps'],
    ['keep model=m requests=10/day in=9 out=9 in=10', 'given twice', 'in'],
    ['bench llama concurrency=0', 'between 1 and 512', 'concurrency'],
    ['bench llama', 'concurrency levels', 'concurrency'],
    ['cancel', 'say which run', 'id'],
    ['run a;b', 'is not a run id', 'id'],
  ])('%s → a clear error naming the argument, with a working example', (text, message, argument) => {
    const result = parseCommand(text);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error.message).toContain(message);
    expect(result.error.argument).toBe(argument);
    expect(parseCommand(strip(result.error.example)).ok).toBe(true);
  });

  it('never throws: any text gives a command or an error whose example parses', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 300 }), (text) => {
        const result = parseCommand(text);
        if (!result.ok) {
          expect(result.error.message.length).toBeGreaterThan(0);
          expect(parseCommand(strip(result.error.example)).ok).toBe(true);
        }
      }),
      { numRuns: 2000, seed: FC_SEED },
    );
  });

  it('never throws on command-shaped noise either', () => {
    const word = fc.constantFrom(
      'keep',
      'bench',
      'cost',
      'paths',
      'runs',
      'run',
      'cancel',
      'access',
      'help',
      'model=',
      'requests=',
      'in=',
      'out=',
      'tps>=',
      'ttft<=',
      'budget=',
      '/day',
      '/month',
      'k',
      'm',
      '--page',
      '\u2014',
      ',',
      '=',
      '>=',
      '1',
      '0',
      '-1',
      '1e9',
      'NaN',
      'custom',
      'own-weights',
    );
    fc.assert(
      fc.property(fc.array(fc.oneof(word, fc.string({ maxLength: 6 })), { maxLength: 12 }), (parts) => {
        const result = parseCommand(parts.join(' '));
        expect(typeof result.ok).toBe('boolean');
      }),
      { numRuns: 2000, seed: FC_SEED },
    );
  });

  it('round-trips a workload through its button arguments', () => {
    const workload = fc.record(
      {
        model: fc.constantFrom('llama-3.1-8b-lora', 'qwen3-4b-lora'),
        requestsPerDay: fc.integer({ min: 1, max: 10_000_000 }),
        meanInputTokens: fc.integer({ min: 1, max: 100_000 }),
        meanOutputTokens: fc.integer({ min: 1, max: 100_000 }),
        activeHoursPerDay: fc.integer({ min: 1, max: 24 }),
        activeDaysPerMonth: fc.integer({ min: 1, max: 30 }),
        horizonMonths: fc.integer({ min: 1, max: 120 }),
        minDecodeTokensPerSecond: fc.integer({ min: 1, max: 1000 }),
        maxTtftMsP95: fc.integer({ min: 1, max: 60_000 }),
        needsCustomWeights: fc.boolean(),
        mustOwnWeights: fc.constant(true),
        monthlyBudget: fc.integer({ min: 0, max: 1_000_000 }).map(String),
        neededByDays: fc.integer({ min: 0, max: 365 }),
        region: fc.constantFrom('us-east-1', 'eu-west-1'),
        burstiness: fc.constantFrom(0.01, 0.5, 1, 3, 1000),
        peakToMean: fc.constantFrom(1, 2.5, 1000),
      },
      { requiredKeys: ['model', 'requestsPerDay', 'meanInputTokens', 'meanOutputTokens'] },
    );
    fc.assert(
      fc.property(workload, (original: WorkloadInput) => {
        const parsed = parseWorkloadArguments(workloadToArguments(original).split(' '));
        expect(parsed.workload).toEqual(original);
      }),
      { numRuns: 500, seed: FC_SEED },
    );
  });
});
