import { describe, expect, it } from 'vitest';
import { cheapestRegions, costAlongCurve, plottedCurve } from '../../../src/charts/costCurves';
import { costChartInputSchema } from '../../../src/charts/schemas';
import { sampleCostChartInput } from './sampleCharts';

describe('plottedCurve', () => {
  it('carries the previous cost flat to a step flagged at a larger volume, then jumps', () => {
    const curve = plottedCurve({
      pathId: 'spark',
      pathLabel: 'Spark',
      points: [
        { volume: 1e6, cost: '122.08' },
        { volume: 2e9, cost: '244.16', stepChange: true, stepLabel: '2nd box' },
      ],
    });
    expect(curve.points.map((point) => [point.volume, point.cost, point.stepChange])).toEqual([
      [1e6, 122.08, false],
      [2e9, 122.08, false],
      [2e9, 244.16, true],
    ]);
    expect(curve.shortLabel).toBe('Spark');
  });
});

describe('costAlongCurve', () => {
  const curve = plottedCurve({
    pathId: 'metered',
    pathLabel: 'Metered',
    points: [
      { volume: 1e6, cost: '0.22' },
      { volume: 1e9, cost: '220' },
    ],
  });

  it('follows the straight line the log-log chart draws', () => {
    expect(costAlongCurve(curve, 1e7, 'log')).toBeCloseTo(2.2, 9);
  });

  it('interpolates linearly in cost on a linear cost axis', () => {
    const fraction = Math.log(1e7 / 1e6) / Math.log(1e9 / 1e6);
    expect(costAlongCurve(curve, 1e7, 'linear')).toBeCloseTo(0.22 + fraction * (220 - 0.22), 9);
  });

  it('is undefined outside the evaluated range', () => {
    expect(costAlongCurve(curve, 1e5, 'log')).toBeUndefined();
    expect(costAlongCurve(curve, 2e9, 'log')).toBeUndefined();
  });

  it('takes the cost after a step at the step volume', () => {
    const stepped = plottedCurve({
      pathId: 's',
      pathLabel: 'S',
      points: [
        { volume: 1, cost: '1' },
        { volume: 10, cost: '1' },
        { volume: 10, cost: '2', stepChange: true },
        { volume: 100, cost: '2' },
      ],
    });
    expect(costAlongCurve(stepped, 10, 'log')).toBe(2);
    expect(costAlongCurve(stepped, 9.99, 'log')).toBeCloseTo(1, 9);
  });
});

describe('cheapestRegions', () => {
  it('finds on-demand cheapest below the ~555M-token break-even and the Spark above it', () => {
    const input = costChartInputSchema.parse(sampleCostChartInput);
    const regions = cheapestRegions(input.series.map(plottedCurve), 'log');
    expect(regions.map((region) => region.pathId)).toEqual(['on-demand', 'spark']);
    const [onDemand, spark] = regions;
    expect(onDemand?.fromVolume).toBe(1e6);
    // $122.08 / $0.22 per 1M tokens = 554.9M tokens, to within the chart's interpolation.
    expect((onDemand?.toVolume ?? 0) / 554.9e6).toBeCloseTo(1, 2);
    expect(spark?.fromVolume).toBe(onDemand?.toVolume);
    expect(spark?.toVolume).toBe(5e9);
  });

  it('lets a path that stops early hand over to the next cheapest', () => {
    const curves = [
      plottedCurve({
        pathId: 'cheap',
        pathLabel: 'Cheap but capped',
        points: [
          { volume: 1, cost: '1' },
          { volume: 100, cost: '1' },
        ],
      }),
      plottedCurve({
        pathId: 'dear',
        pathLabel: 'Dear',
        points: [
          { volume: 1, cost: '5' },
          { volume: 1000, cost: '5' },
        ],
      }),
    ];
    const regions = cheapestRegions(curves, 'log');
    expect(regions.map((region) => region.pathId)).toEqual(['cheap', 'dear']);
    expect(regions[0]?.toVolume).toBeCloseTo(100, 6);
  });
});
