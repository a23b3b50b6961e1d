import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { runChartCommand } from '../../../src/cli/commands/chart';
import { pngDimensions } from './imageAssertions';
import { sampleCostChartInput, sampleHistoryChartInput } from './sampleCharts';

describe('runChartCommand', () => {
  let directory: string;
  beforeAll(async () => {
    directory = await mkdtemp(join(tmpdir(), 'floorplan-chart-'));
  });
  afterAll(async () => {
    await rm(directory, { recursive: true, force: true });
  });

  const harness = () => {
    const out: string[] = [];
    const err: string[] = [];
    const deps = {
      loadCostChartInput: vi.fn(async () => sampleCostChartInput),
      loadHistoryChartInput: vi.fn(async () => sampleHistoryChartInput),
      loadPriceHistoryChartInput: vi.fn(async () => {
        throw new Error('the chart command does not draw price history');
      }),
      loadFrontierChartInput: vi.fn(async () => ({
        points: [
          {
            id: 'a',
            label: 'Owned box (fp8)',
            costPerMillion: '1.79',
            decodeTokensPerSecond: 20,
            passesQuality: true,
            onFrontier: false,
          },
          {
            id: 'b',
            label: 'Owned box (nvfp4)',
            costPerMillion: '0.86',
            decodeTokensPerSecond: 20.5,
            passesQuality: true,
            onFrontier: true,
          },
          {
            id: 'c',
            label: 'Tokens (base model only, not eligible)',
            costPerMillion: '1.012',
            decodeTokensPerSecond: 80,
            passesQuality: false,
            onFrontier: false,
          },
        ],
      })),
      stdout: (line: string) => out.push(line),
      stderr: (line: string) => err.push(line),
    };
    return { deps, out, err };
  };

  it('writes a cost chart PNG, the format taken from the file name', async () => {
    const { deps, out } = harness();
    const file = join(directory, 'cost.png');
    const code = await runChartCommand(
      ['cost', '--workload', 'w1', '--out', file, '--width', '800', '--height', '450', '--cost-axis', 'log'],
      deps,
    );
    expect(code).toBe(0);
    expect(pngDimensions(await readFile(file))).toEqual({ width: 800, height: 450 });
    expect(deps.loadCostChartInput).toHaveBeenCalledWith({ workloadId: 'w1', costAxis: 'log' });
    expect(out.join('\n')).toContain('800x450 png');
  });

  it('writes a frontier chart SVG', async () => {
    const { deps } = harness();
    const file = join(directory, 'frontier.svg');
    const code = await runChartCommand(['frontier', '--workload', 'lab-retrieval', '--out', file], deps);
    expect(code).toBe(0);
    expect(deps.loadFrontierChartInput).toHaveBeenCalledWith({ workloadId: 'lab-retrieval' });
    const svg = await readFile(file, 'utf8');
    expect(svg).toContain('Tokens (base model only, not eligible)');
    expect(svg).toContain('$0.86 per 1M');
  });

  it('writes a history chart SVG', async () => {
    const { deps } = harness();
    const file = join(directory, 'history.svg');
    const code = await runChartCommand(
      [
        'history',
        '--box',
        'spark-1',
        '--model',
        'm',
        '--profile',
        'concurrency=1',
        '--metric',
        'DECODE_TOKENS_PER_S',
        '--out',
        file,
      ],
      deps,
    );
    expect(code).toBe(0);
    expect(await readFile(file, 'utf8')).toMatch(/^<svg\b[^>]* width="1200" height="675"/);
    expect(deps.loadHistoryChartInput).toHaveBeenCalledWith({
      box: 'spark-1',
      model: 'm',
      profile: 'concurrency=1',
      metric: 'DECODE_TOKENS_PER_S',
    });
  });

  it.each([
    [[], 'which chart? cost, frontier or history'],
    [['pie', '--out', 'x.png'], 'unknown chart "pie"'],
    [['cost', '--workload', 'w1'], '--out FILE.svg or FILE.png is required'],
    [['cost', '--workload', 'w1', '--out', 'chart.jpg'], '--out must end in .svg or .png'],
    [['cost', '--workload', 'w1', '--out', 'c.png', '--width', '3000'], 'width must be at most 2400 px'],
    [['cost', '--out', 'c.png'], 'workloadId is required'],
    [
      ['history', '--box', 'b', '--model', 'm', '--profile', 'p', '--metric', 'joules', '--out', 'h.svg'],
      'unknown metric "joules"',
    ],
    [['cost', '--workload', 'w1', '--out', 'c.png', '--colour', 'red'], 'unknown option --colour'],
  ])('exits 2 with usage for %j', async (args, message) => {
    const { deps, err } = harness();
    expect(await runChartCommand(args, deps)).toBe(2);
    expect(err.join('\n')).toContain(message);
    expect(err.join('\n')).toContain('usage:');
    expect(deps.loadCostChartInput).not.toHaveBeenCalled();
  });

  it('exits 1 and names the problem when the loaded data is invalid', async () => {
    const { deps, err } = harness();
    deps.loadCostChartInput.mockResolvedValueOnce({ ...sampleCostChartInput, series: [] });
    const code = await runChartCommand(
      ['cost', '--workload', 'w1', '--out', join(directory, 'bad.png')],
      deps,
    );
    expect(code).toBe(1);
    expect(err.join('\n')).toContain('invalid cost chart input: series: series must hold at least one path');
  });
});
