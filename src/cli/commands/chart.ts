import { writeFile } from 'node:fs/promises';
import { extname } from 'node:path';

import { renderChartRequest } from '../../charts/chart-url';
import {
  type ChartDataLoaders,
  type ChartRequest,
  costChartQuerySchema,
  frontierChartQuerySchema,
  historyChartQuerySchema,
} from '../../charts/requests';
import { chartRenderOptionsSchema, describeIssues } from '../../charts/schemas';
import { HISTORY_METRIC_NAMES } from '../../domain/metrics/history-metrics';
import { parseCommandArgs } from '../command';

export const CHART_USAGE = `usage:
  floorplan chart cost --workload ID --out FILE.svg|png [--unit tokens|requests]
                       [--min-volume N] [--max-volume N] [--cost-axis log|linear]
                       [--width 1200] [--height 675]
  floorplan chart frontier --workload ID --out FILE.svg|png [--width 1200] [--height 675]
  floorplan chart history --box BOX --model MODEL --profile PROFILE --metric METRIC
                          --out FILE.svg|png [--since ISO-DATE] [--limit N]
                          [--width 1200] [--height 675]
metrics: ${HISTORY_METRIC_NAMES.join(', ')}`;

export interface ChartCommandDeps extends ChartDataLoaders {
  /** Where progress and errors go; the process streams by default. */
  stdout?: (line: string) => void;
  stderr?: (line: string) => void;
}

/** Exit codes: 0 written, 1 failed while loading or rendering, 2 bad arguments. */
export async function runChartCommand(args: string[], deps: ChartCommandDeps): Promise<number> {
  const stdout = deps.stdout ?? ((line: string) => process.stdout.write(`${line}\n`));
  const stderr = deps.stderr ?? ((line: string) => process.stderr.write(`${line}\n`));

  const parsed = parseChartArgs(args);
  if (!parsed.ok) {
    stderr(`floorplan chart: ${parsed.message}`);
    stderr(CHART_USAGE);
    return 2;
  }
  const { request, outFile } = parsed;
  try {
    const image = await renderChartRequest(request, deps);
    await writeFile(outFile, image.body);
    const size = typeof image.body === 'string' ? Buffer.byteLength(image.body) : image.body.length;
    stdout(
      `wrote ${outFile} (${request.options.width}x${request.options.height} ${request.options.format}, ${Math.ceil(size / 1024)} KiB)`,
    );
    return 0;
  } catch (error) {
    // Invalid data from a loader is a data problem, not a usage problem: report it plainly.
    const message = error instanceof Error ? error.message : String(error);
    stderr(`floorplan chart: ${message}`);
    return 1;
  }
}

type ParsedChartArgs = { ok: true; request: ChartRequest; outFile: string } | { ok: false; message: string };

const OPTION_DEFINITIONS = {
  out: { type: 'string' },
  width: { type: 'string' },
  height: { type: 'string' },
  workload: { type: 'string' },
  unit: { type: 'string' },
  'min-volume': { type: 'string' },
  'max-volume': { type: 'string' },
  'cost-axis': { type: 'string' },
  box: { type: 'string' },
  model: { type: 'string' },
  profile: { type: 'string' },
  metric: { type: 'string' },
  since: { type: 'string' },
  limit: { type: 'string' },
} as const;

export function parseChartArgs(args: string[]): ParsedChartArgs {
  let values: Partial<Record<keyof typeof OPTION_DEFINITIONS, string>>;
  let positionals: string[];
  try {
    ({ values, positionals } = parseCommandArgs({
      args,
      options: OPTION_DEFINITIONS,
      allowPositionals: true,
      strict: true,
    }));
  } catch (error) {
    return { ok: false, message: error instanceof Error ? error.message : String(error) };
  }
  const [chart, ...extra] = positionals;
  if (chart !== 'cost' && chart !== 'history' && chart !== 'frontier') {
    return {
      ok: false,
      message: chart
        ? `unknown chart "${chart}" (cost, frontier or history)`
        : 'which chart? cost, frontier or history',
    };
  }
  if (extra.length > 0) return { ok: false, message: `unexpected argument "${extra[0]}"` };
  if (!values.out) return { ok: false, message: '--out FILE.svg or FILE.png is required' };

  const format = extname(values.out).slice(1).toLowerCase();
  const options = chartRenderOptionsSchema.safeParse({ format, width: values.width, height: values.height });
  if (!options.success) {
    return {
      ok: false,
      message:
        format === 'svg' || format === 'png'
          ? describeIssues(options.error)
          : '--out must end in .svg or .png',
    };
  }

  if (chart === 'cost') {
    const query = costChartQuerySchema.safeParse({
      workloadId: values.workload,
      volumeUnit: values.unit,
      minVolume: values['min-volume'],
      maxVolume: values['max-volume'],
      costAxis: values['cost-axis'],
    });
    if (!query.success) return { ok: false, message: describeIssues(query.error) };
    return { ok: true, outFile: values.out, request: { chart, options: options.data, query: query.data } };
  }
  if (chart === 'frontier') {
    const query = frontierChartQuerySchema.safeParse({ workloadId: values.workload });
    if (!query.success) return { ok: false, message: describeIssues(query.error) };
    return { ok: true, outFile: values.out, request: { chart, options: options.data, query: query.data } };
  }
  const query = historyChartQuerySchema.safeParse({
    box: values.box,
    model: values.model,
    profile: values.profile,
    metric: values.metric,
    since: values.since,
    limit: values.limit,
  });
  if (!query.success) return { ok: false, message: describeIssues(query.error) };
  return { ok: true, outFile: values.out, request: { chart, options: options.data, query: query.data } };
}
