import { describe, expect, it } from 'vitest';
import { renderCostChart } from '../../../src/charts/costChart';
import { ChartInputError, type CostChartInput } from '../../../src/charts/schemas';
import { parseSvg, pngDimensions } from './imageAssertions';
import { sampleCostChartInput } from './sampleCharts';

describe('renderCostChart', () => {
  it('renders a PNG of exactly the requested size', async () => {
    const image = await renderCostChart(sampleCostChartInput, { format: 'png', width: 1200, height: 675 });
    expect(image.contentType).toBe('image/png');
    expect(pngDimensions(image.body)).toEqual({ width: 1200, height: 675 });
  });

  it.each([
    [2400, 1350],
    [640, 360],
    [200, 2400],
  ])('honours %ix%i', async (width, height) => {
    const image = await renderCostChart(sampleCostChartInput, { format: 'png', width, height });
    expect(pngDimensions(image.body)).toEqual({ width, height });
  });

  it('renders a well-formed SVG with series, axis titles, break-evens and the workload', async () => {
    const image = await renderCostChart(sampleCostChartInput, { format: 'svg', width: 1200, height: 675 });
    expect(image.contentType).toBe('image/svg+xml');
    const svg = parseSvg(image.body);
    expect(svg).toMatchObject({ width: 1200, height: 675 });
    expect(svg.texts).toEqual(
      expect.arrayContaining([
        'Custom Llama 3.1 8B: monthly cost by serving path',
        'DGX Spark (owned)',
        'Bedrock Custom Model Import',
        'On-demand tokens (base 8B)',
        'Provisioned Throughput',
        'Tokens per month (log scale)',
        'USD per month (log scale)',
        'Spark = CMI 31.4M tokens/mo, $122/mo',
        'Spark = On-demand 555M tokens/mo, $122/mo',
        'CMI = PT 4.55B tokens/mo, $17,155/mo',
        'Your workload: 1.38B tokens/mo',
        'On-demand tokens (base 8B) cheapest',
        'DGX Spark (owned) cheapest',
        '2nd box',
        '$100',
        '$10k',
        '1B',
      ]),
    );
  });

  it('sets every text in the bundled font at 14 px or more at 1200 px wide', async () => {
    const image = await renderCostChart(sampleCostChartInput, { format: 'svg', width: 1200, height: 675 });
    const svg = String(image.body);
    const families = new Set([...svg.matchAll(/font-family="([^"]*)"/g)].map((match) => match[1]));
    expect([...families]).toEqual(['DejaVu Sans, Verdana, Geneva, sans-serif']);
    const sizes = [...svg.matchAll(/font-size="([\d.]+)px"/g)].map((match) => Number(match[1]));
    expect(sizes.length).toBeGreaterThan(10);
    expect(Math.min(...sizes)).toBeGreaterThanOrEqual(14);
  });

  it('titles the volume axis in requests and supports a linear cost axis', async () => {
    const input: CostChartInput = {
      volumeUnit: 'requests',
      costAxis: 'linear',
      series: [
        {
          pathId: 'spark',
          pathLabel: 'DGX Spark',
          points: [
            { volume: 1000, cost: '122.08' },
            { volume: 1_000_000, cost: '122.08' },
          ],
        },
        {
          pathId: 'on-demand',
          pathLabel: 'On-demand',
          points: [
            { volume: 1000, cost: '0' },
            { volume: 1_000_000, cost: '253.00' },
          ],
        },
      ],
    };
    const svg = parseSvg((await renderCostChart(input, { format: 'svg', width: 900, height: 500 })).body);
    expect(svg.texts).toEqual(
      expect.arrayContaining([
        'Requests per month (log scale)',
        'USD per month',
        'Monthly cost by serving path',
      ]),
    );
  });
});

describe('cost chart input validation', () => {
  const render = (input: unknown, options: object = { format: 'svg' }) =>
    renderCostChart(input as CostChartInput, options as { format: 'svg' });
  const withSeries = (series: unknown) => ({ ...sampleCostChartInput, series, breakEvens: [] });
  const onePath = (points: unknown) => withSeries([{ pathId: 'a', pathLabel: 'A', points }]);

  it.each([
    ['an empty series list', withSeries([]), 'series: series must hold at least one path'],
    ['a single point', onePath([{ volume: 1, cost: '1' }]), 'a cost series needs at least 2 points'],
    [
      'a zero volume',
      onePath([
        { volume: 0, cost: '1' },
        { volume: 10, cost: '1' },
      ]),
      'series.0.points.0.volume: volume must be greater than 0: the volume axis is logarithmic',
    ],
    [
      'a negative volume',
      onePath([
        { volume: -5, cost: '1' },
        { volume: 10, cost: '1' },
      ]),
      'volume must be greater than 0',
    ],
    [
      'a money number instead of a string',
      onePath([
        { volume: 1, cost: 1 },
        { volume: 10, cost: '1' },
      ]),
      'money must be a decimal string',
    ],
    [
      'a zero cost on the log axis',
      onePath([
        { volume: 1, cost: '0' },
        { volume: 10, cost: '1' },
      ]),
      'cost must be greater than 0 on a log cost axis',
    ],
    [
      'unsorted volumes',
      onePath([
        { volume: 10, cost: '1' },
        { volume: 1, cost: '1' },
      ]),
      'points must be sorted by volume',
    ],
    [
      'a break-even naming an unknown path',
      { ...sampleCostChartInput, breakEvens: [{ pathA: 'spark', pathB: 'nope', volume: 5, cost: '1' }] },
      'breakEvens.0.pathB: break-even names unknown path "nope"',
    ],
    ['an unknown volume unit', { ...sampleCostChartInput, volumeUnit: 'bytes' }, 'volumeUnit must be'],
  ])('rejects %s', async (_, input, message) => {
    const failure = render(input);
    await expect(failure).rejects.toBeInstanceOf(ChartInputError);
    await expect(failure).rejects.toThrow(message);
  });

  it.each([
    [{ format: 'png', width: 199, height: 675 }, 'width must be at least 200 px'],
    [{ format: 'png', width: 1200, height: 2401 }, 'height must be at most 2400 px'],
    [{ format: 'png', width: 1200.5, height: 675 }, 'width must be a whole number of pixels'],
    [{ format: 'gif', width: 1200, height: 675 }, 'format must be "svg" or "png"'],
  ])('rejects options %o', async (options, message) => {
    await expect(render(sampleCostChartInput, options)).rejects.toThrow(message);
  });
});
