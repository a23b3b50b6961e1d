import type { BenchmarkSummary, DistributionStats, LoadProfile } from '../src/domain/metrics/summary';

/** Plain-text rendering of benchmark summaries for a terminal: one row per load level, then warnings. */

export function describeProfile(profile: LoadProfile): string {
  if (profile.kind === 'concurrency') return `concurrency ${profile.maxConcurrency}`;
  const rate =
    profile.requestsPerSecond === 'inf' ? 'inf' : `${formatNumber(profile.requestsPerSecond, 2)}/s`;
  const burstiness = profile.burstiness === 1 ? '' : ` burstiness ${profile.burstiness}`;
  const cap = profile.maxConcurrency === null ? '' : ` max ${profile.maxConcurrency}`;
  return `rate ${rate}${burstiness}${cap}`;
}

export function formatSummaryTable(summaries: readonly BenchmarkSummary[]): string {
  const header = [
    'load',
    'ok',
    'failed',
    'duration s',
    'req/s',
    'out tok/s',
    'TTFT p50/p99 ms',
    'TPOT mean/p99 ms',
    'ITL mean/p99 ms',
    'E2EL p50/p99 ms',
    'goodput req/s',
  ];
  const rows = summaries.map((summary) => [
    describeProfile(summary.profile),
    String(summary.completed),
    String(summary.failed),
    formatNumber(summary.durationS, 2),
    formatNumber(summary.requestThroughput, 2),
    formatNumber(summary.outputThroughput, 1),
    pair(summary.ttftMs, 'p50', 'p99'),
    pair(summary.tpotMs, 'mean', 'p99'),
    pair(summary.itlMs, 'mean', 'p99'),
    pair(summary.e2elMs, 'p50', 'p99'),
    summary.requestGoodput === null ? '-' : formatNumber(summary.requestGoodput, 2),
  ]);
  const widths = header.map((title, column) =>
    Math.max(title.length, ...rows.map((row) => (row[column] ?? '').length)),
  );
  const render = (cells: readonly string[]): string =>
    cells
      .map((cell, column) =>
        column === 0 ? cell.padEnd(widths[column] ?? 0) : cell.padStart(widths[column] ?? 0),
      )
      .join('  ')
      .trimEnd();
  const lines = [render(header), render(widths.map((width) => '-'.repeat(width))), ...rows.map(render)];

  const notes = summaries.flatMap((summary) => {
    const tokenNote = summary.serverTokenCounts ? [] : ['output token counts are not all from the server'];
    return [...tokenNote, ...summary.warnings].map(
      (warning) => `  ${describeProfile(summary.profile)}: ${warning}`,
    );
  });
  if (notes.length > 0) lines.push('', 'warnings:', ...notes);
  return lines.join('\n');
}

function pair(
  stats: DistributionStats | null,
  first: keyof DistributionStats,
  second: keyof DistributionStats,
): string {
  if (stats === null) return '-';
  return `${formatNumber(stats[first], 1)} / ${formatNumber(stats[second], 1)}`;
}

function formatNumber(value: number | null, digits: number): string {
  return value === null ? '-' : value.toFixed(digits);
}
