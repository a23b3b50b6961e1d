import { describe, expect, it } from 'vitest';
import { decide } from '../../../src/domain/engine/decide';
import { parseWorkload, WorkloadError } from '../../../src/domain/engine/workload';
import { labEvidence } from '../../fixtures/lab/lab-evidence';
import { customRetrievalWorkload } from '../../fixtures/lab/lab-workloads';

const valid = {
  requestsPerDay: 40_000,
  meanInputTokens: 900,
  meanOutputTokens: 250,
  activeHoursPerDay: 10,
  activeDaysPerMonth: 22,
  burstiness: 1,
  peakToMean: 2,
  model: 'llama-3.1-8b-lora',
  needsCustomWeights: true,
  mustOwnWeights: true,
  minDecodeTokensPerSecond: 30,
  maxTtftMsP95: 2000,
  minAcceptedRate: 0.6,
  neededByDays: 30,
  horizonMonths: 36,
  monthlyBudget: '1500.00',
  region: 'us-east-1',
};

function issuesFor(input: unknown) {
  const result = parseWorkload(input, labEvidence());
  if (result.ok) throw new Error('expected the workload to be rejected');
  return result.issues;
}

describe('workload validation', () => {
  it('parses a valid workload, with the budget as an exact Decimal', () => {
    const result = parseWorkload(valid, labEvidence());
    expect(result.ok).toBe(true);
    if (result.ok) expect(result.workload.monthlyBudget?.toFixed(2)).toBe('1500.00');
  });

  it('names the field and the fix for a negative volume', () => {
    const issues = issuesFor({ ...valid, requestsPerDay: -5 });
    expect(issues).toEqual([
      {
        field: 'requestsPerDay',
        message: expect.stringMatching(/requestsPerDay cannot be negative \(got -5\): use 0 or more/),
      },
    ]);
  });

  it('names the field and the fix for zero output tokens', () => {
    const issues = issuesFor({ ...valid, meanOutputTokens: 0 });
    expect(issues[0]?.field).toBe('meanOutputTokens');
    expect(issues[0]?.message).toMatch(
      /meanOutputTokens must be greater than 0 \(got 0\).*mean number of output tokens/,
    );
  });

  it('names the field and the fix for a malformed decimal', () => {
    for (const budget of ['12,5', '$1500', '1e3', 'abc']) {
      const issues = issuesFor({ ...valid, monthlyBudget: budget });
      expect(issues[0]?.field).toBe('monthlyBudget');
      expect(issues[0]?.message).toMatch(/monthlyBudget is not a valid decimal .*e\.g\. "1500\.00"/);
    }
    const numeric = issuesFor({ ...valid, monthlyBudget: 1500 });
    expect(numeric[0]?.message).toMatch(/monthlyBudget must be a decimal string/);
  });

  it('reports every bad field at once', () => {
    const issues = issuesFor({ ...valid, activeHoursPerDay: 25, minAcceptedRate: 70, horizonMonths: 0.5 });
    expect(issues.map((issue) => issue.field).sort()).toEqual([
      'activeHoursPerDay',
      'horizonMonths',
      'minAcceptedRate',
    ]);
    expect(issues.find((issue) => issue.field === 'minAcceptedRate')?.message).toMatch(
      /fraction such as 0\.6/,
    );
  });

  it('rejects an unknown model slug against the snapshot, listing the known ones', () => {
    const issues = issuesFor({ ...valid, model: 'llama-3.1-8b-lorra' });
    expect(issues).toEqual([
      {
        field: 'model',
        message: expect.stringMatching(
          /"llama-3\.1-8b-lorra" is not in the catalog: use one of .*llama-3\.1-8b-lora/,
        ),
      },
    ]);
    expect(() => decide(customRetrievalWorkload({ model: 'nope' }), labEvidence())).toThrow(WorkloadError);
  });
});
