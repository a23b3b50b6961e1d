import { describe, expect, it } from 'vitest';
import { accessPathFigures } from '../../../src/domain/access';
import { toCsv } from '../../../src/domain/csv';

const at = (iso: string) => new Date(iso);

describe('access path figures', () => {
  it('measures waits, counts an unanswered request as still open, and rates decided outcomes', () => {
    const figures = accessPathFigures(
      [
        {
          requestedAt: at('2026-06-08T15:00:00Z'),
          answeredAt: at('2026-06-08T15:01:00Z'),
          outcome: 'SOFT_DENY_WRONG_LANE',
        },
        {
          requestedAt: at('2026-06-09T00:00:00Z'),
          answeredAt: at('2026-06-09T06:00:00Z'),
          outcome: 'APPROVED',
        },
        { requestedAt: at('2026-06-10T00:00:00Z'), answeredAt: null, outcome: 'NO_ANSWER' },
      ],
      at('2026-06-11T12:00:00Z'),
    );
    expect(figures.medianHoursToAnswer).toBeCloseTo((1 / 60 + 6) / 2, 6);
    expect(figures.worstHoursToAnswer).toBe(36);
    expect(figures.worstIsStillOpen).toBe(true);
    expect(figures.successRate).toBe(0.5);
    expect(figures.hoursToFirstUsableCapacity).toBe(6);
  });

  it('says "unknown" (null) rather than zero when nothing was answered', () => {
    const figures = accessPathFigures([], at('2026-06-11T12:00:00Z'));
    expect(figures).toMatchObject({
      medianHoursToAnswer: null,
      successRate: null,
      hoursToFirstUsableCapacity: null,
    });
  });
});

describe('CSV', () => {
  it('quotes separators and defuses spreadsheet formulas', () => {
    expect(
      toCsv(
        ['a', 'b'],
        [
          ['x,"y"', '=HYPERLINK("evil")'],
          [null, 3],
        ],
      ),
    ).toBe('a,b\r\n"x,""y""","\'=HYPERLINK(""evil"")"\r\n,3\r\n');
  });
});
