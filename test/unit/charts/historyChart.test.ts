import { describe, expect, it } from 'vitest';
import { renderHistoryChart } from '../../../src/charts/historyChart';
import { ChartInputError, type HistoryChartInput } from '../../../src/charts/schemas';
import { parseSvg, pngDimensions } from './imageAssertions';
import { sampleHistoryChartInput } from './sampleCharts';

describe('renderHistoryChart', () => {
  it('renders a PNG of exactly the requested size', async () => {
    const image = await renderHistoryChart(sampleHistoryChartInput, {
      format: 'png',
      width: 1200,
      height: 675,
    });
    expect(image.contentType).toBe('image/png');
    expect(pngDimensions(image.body)).toEqual({ width: 1200, height: 675 });
  });

  it('labels the metric with its unit, the roofline, regressions and the latest run', async () => {
    const image = await renderHistoryChart(sampleHistoryChartInput, {
      format: 'svg',
      width: 1200,
      height: 675,
    });
    const svg = parseSvg(image.body);
    expect(svg).toMatchObject({ width: 1200, height: 675 });
    expect(svg.texts).toEqual(
      expect.arrayContaining([
        'Decode speed per stream over time',
        'DGX Spark #1 · llama-3.1-8b-lora (NVFP4) · concurrency=1 · 18 runs',
        'Decode speed per stream (tokens/s)',
        'Run finished (UTC)',
        'Roofline 59.3 tokens/s (273 GB/s ÷ 4.6 GB read per token)',
        'Regression −18.6% (z −9.4)',
        'Regression −14.4% (z −6.1)',
        'Latest 41.3 tokens/s, 70% of roofline',
        'Sep 27',
      ]),
    );
  });

  it('marks regressions with a shape of their own', async () => {
    const svg = String(
      (await renderHistoryChart(sampleHistoryChartInput, { format: 'svg', width: 1200, height: 675 })).body,
    );
    // Two regressed runs drawn as filled crimson triangles; ordinary runs are navy circles.
    expect(svg.match(/fill="#b2182b"[^>]*\/>/g)?.length).toBeGreaterThanOrEqual(2);
    expect(svg).toContain('fill="#0b2545"');
  });

  it('titles a latency metric in ms and names a default roofline bound', async () => {
    const input: HistoryChartInput = {
      ...sampleHistoryChartInput,
      metric: 'TTFT_P99_MS',
      roofline: { value: 95 },
      points: [
        { at: '2025-10-01T00:00:00Z', value: 180 },
        { at: '2025-10-02T00:00:00Z', value: 260, regression: { percentChange: 44.4 } },
      ],
    };
    const svg = parseSvg((await renderHistoryChart(input, { format: 'svg', width: 800, height: 450 })).body);
    expect(svg.texts).toEqual(
      expect.arrayContaining([
        'TTFT p99 (ms)',
        'Roofline bound: 95 ms',
        'Regression +44.4%',
        'Latest 260 ms',
      ]),
    );
  });

  it('renders a single run', async () => {
    const input: HistoryChartInput = {
      ...sampleHistoryChartInput,
      points: [{ at: '2025-10-01T00:00:00Z', value: 38 }],
    };
    const image = await renderHistoryChart(input, { format: 'png', width: 600, height: 400 });
    expect(pngDimensions(image.body)).toEqual({ width: 600, height: 400 });
  });
});

describe('history chart input validation', () => {
  const render = (input: unknown) => renderHistoryChart(input as HistoryChartInput, { format: 'svg' });

  it.each([
    [
      { ...sampleHistoryChartInput, metric: 'tokens_per_joule' },
      'metric: unknown metric "tokens_per_joule"; expected one of: DECODE_TOKENS_PER_S',
    ],
    [{ ...sampleHistoryChartInput, points: [] }, 'points: points must hold at least one result'],
    [
      { ...sampleHistoryChartInput, points: [{ at: 'yesterday', value: 1 }] },
      'points.0.at: at must be an ISO 8601 date-time',
    ],
    [
      { ...sampleHistoryChartInput, points: [{ at: '2025-10-01T00:00:00Z', value: -1 }] },
      'metric values must be 0 or more',
    ],
    [{ ...sampleHistoryChartInput, roofline: { value: 0 } }, 'roofline value must be greater than 0'],
    [{ ...sampleHistoryChartInput, box: '' }, 'box must not be empty'],
  ])('rejects %#', async (input, message) => {
    const failure = render(input);
    await expect(failure).rejects.toBeInstanceOf(ChartInputError);
    await expect(failure).rejects.toThrow(message);
  });

  it('rejects a size out of bounds', async () => {
    await expect(
      renderHistoryChart(sampleHistoryChartInput, { format: 'png', width: 2401, height: 675 }),
    ).rejects.toThrow('width must be at most 2400 px');
  });
});
