import { describe, expect, it, vi } from 'vitest';
import { handleChartRequest, parseChartUrl } from '../../../src/charts/chart-url';
import type { ChartDataLoaders } from '../../../src/charts/requests';
import { pngDimensions } from './imageAssertions';
import { sampleCostChartInput, sampleHistoryChartInput } from './sampleCharts';

const parse = (url: string) => {
  const parsed = new URL(url, 'http://floorplan.test');
  return parseChartUrl(parsed.pathname, parsed.searchParams);
};

describe('parseChartUrl', () => {
  it('parses a cost chart request with defaults for size', () => {
    expect(parse('/charts/cost.png?workloadId=w1&minVolume=1e6&maxVolume=5e9&costAxis=linear')).toEqual({
      ok: true,
      request: {
        chart: 'cost',
        options: { format: 'png', width: 1200, height: 675 },
        query: { workloadId: 'w1', minVolume: 1e6, maxVolume: 5e9, costAxis: 'linear' },
      },
    });
  });

  it('parses a history chart request', () => {
    expect(
      parse(
        '/charts/history.svg?box=spark-1&model=llama-3.1-8b-lora&profile=concurrency%3D1&metric=TTFT_P99_MS&width=800&height=450&limit=50',
      ),
    ).toEqual({
      ok: true,
      request: {
        chart: 'history',
        options: { format: 'svg', width: 800, height: 450 },
        query: {
          box: 'spark-1',
          model: 'llama-3.1-8b-lora',
          profile: 'concurrency=1',
          metric: 'TTFT_P99_MS',
          limit: 50,
        },
      },
    });
  });

  it.each([
    ['/charts/cost.png?workloadId=w1&width=100', 'width: width must be at least 200 px'],
    ['/charts/cost.png?workloadId=w1&height=5000', 'height: height must be at most 2400 px'],
    ['/charts/cost.png?workloadId=w1&width=wide', 'width must be a number of pixels'],
    ['/charts/cost.png', 'workloadId: workloadId is required'],
    ['/charts/cost.svg?workloadId=w1&minVolume=0', 'minVolume: minVolume must be greater than 0'],
    ['/charts/cost.svg?workloadId=w1&minVolume=10&maxVolume=5', 'minVolume must be less than maxVolume'],
    ['/charts/cost.svg?workloadId=w1&costAxis=sqrt', 'costAxis must be "log" or "linear"'],
    ['/charts/history.png?box=b&model=m&profile=p&metric=watts', 'metric: unknown metric "watts"'],
    ['/charts/history.png?box=b&model=m&profile=p', 'metric: unknown metric undefined'],
  ])('answers 400 for %s', (url, message) => {
    const parsed = parse(url);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) {
      expect(parsed.status).toBe(400);
      expect(parsed.message).toContain(message);
    }
  });

  it.each(['/charts/cost.gif', '/charts/pie.png', '/charts/cost.png/extra'])('answers 404 for %s', (url) => {
    expect(parse(url)).toMatchObject({ ok: false, status: 404 });
  });
});

const samplePriceHistory = {
  component: 'dgx-spark-purchase',
  unit: 'USD per box',
  until: '2026-12-01',
  values: [
    { effectiveFrom: '2025-10-15', amount: '3999', confidence: 'C' as const, source: 'NVIDIA blog' },
    { effectiveFrom: '2026-04-01', amount: '4699', confidence: 'S' as const, source: 'retailer listings' },
  ],
};

describe('handleChartRequest', () => {
  const loaders: ChartDataLoaders = {
    loadCostChartInput: vi.fn(async () => sampleCostChartInput),
    loadHistoryChartInput: vi.fn(async () => sampleHistoryChartInput),
    loadPriceHistoryChartInput: vi.fn(async () => samplePriceHistory),
    loadFrontierChartInput: vi.fn(async () => {
      throw new Error('not asked for here');
    }),
  };

  it('draws a price history as steps with every dated amount printed exactly', async () => {
    const response = await handleChartRequest(
      new Request('http://floorplan.test/charts/price-history.svg?component=dgx-spark-purchase'),
      loaders,
    );
    expect(response.status).toBe(200);
    const svg = await response.text();
    expect(svg).toContain('Price history: dgx-spark-purchase');
    expect(svg).toContain('$3,999 (C)');
    expect(svg).toContain('$4,699 (S)');
  });

  it('answers 400 naming the missing component parameter', async () => {
    const response = await handleChartRequest(
      new Request('http://floorplan.test/charts/price-history.png'),
      loaders,
    );
    expect(response.status).toBe(400);
    expect(await response.text()).toMatch(/component is required/);
  });

  it('loads through the supplied loader and answers the image', async () => {
    const response = await handleChartRequest(
      new Request('http://floorplan.test/charts/cost.png?workloadId=w1&width=640&height=360'),
      loaders,
    );
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('image/png');
    expect(pngDimensions(Buffer.from(await response.arrayBuffer()))).toEqual({ width: 640, height: 360 });
    expect(loaders.loadCostChartInput).toHaveBeenCalledWith({ workloadId: 'w1' });
  });

  it('answers SVG for the history chart', async () => {
    const response = await handleChartRequest(
      new Request(
        'http://floorplan.test/charts/history.svg?box=b&model=m&profile=p&metric=DECODE_TOKENS_PER_S',
      ),
      loaders,
    );
    expect(response.headers.get('content-type')).toBe('image/svg+xml');
    expect(await response.text()).toMatch(/^<svg\b/);
  });

  it('answers a plain-text 400 without calling a loader', async () => {
    const loadCostChartInput = vi.fn(async () => sampleCostChartInput);
    const response = await handleChartRequest(new Request('http://floorplan.test/charts/cost.png?width=9'), {
      ...loaders,
      loadCostChartInput,
    });
    expect(response.status).toBe(400);
    expect(await response.text()).toContain('width must be at least 200 px');
    expect(loadCostChartInput).not.toHaveBeenCalled();
  });
});
