import { describeSlos } from '../../src/domain/slo-search';
import type { BenchmarkResult, BenchmarkRun, SloSweep } from '../floorplan-api';
import { slackDate } from '../format/dates';
import { escapeMrkdwn, formatNumber, formatPercent } from '../format/words';

/**
 * The headline numbers of a finished run, in the words the run message ends with: per level, the
 * decode rate per stream, output throughput, TTFT p95, roofline efficiency and the change against
 * the last comparable run; for an SLO search, the largest concurrency at the SLO and the goodput.
 */

export const ABOVE_ROOFLINE_WARNING = 'faster than this box can run this model: check the endpoint and model';

/** Who an actor recorded by the API is, for Slack: `token:bot for slack:U123` is `<@U123>`. */
export function personOf(actor: string): string {
  const slackUser = /\bslack:([UW][A-Z0-9]{2,})\b/.exec(actor)?.[1];
  return slackUser === undefined ? escapeMrkdwn(actor) : `<@${slackUser}>`;
}

function levelName(result: BenchmarkResult): string {
  const level =
    result.concurrency === null ? escapeMrkdwn(result.profileKey) : `concurrency ${result.concurrency}`;
  return result.serverConfiguration === null
    ? level
    : `${level} (${escapeMrkdwn(result.serverConfiguration)})`;
}

function changeVsPrevious(result: BenchmarkResult): string {
  const previous = result.previousComparable;
  if (previous === null || previous.decodeTokensPerSecond === null || result.decodeTokensPerSecond === null)
    return 'first comparable run';
  if (previous.decodeTokensPerSecond <= 0) return 'last comparable run had no decode rate';
  const percent =
    ((result.decodeTokensPerSecond - previous.decodeTokensPerSecond) / previous.decodeTokensPerSecond) * 100;
  const rounded = Math.round(percent * 10) / 10;
  const signed = rounded === 0 ? '±0' : `${rounded > 0 ? '+' : '−'}${formatNumber(Math.abs(rounded))}`;
  return `${signed}% decode vs last comparable run (${slackDate(previous.measuredAt)})`;
}

/** True when a measured rate beats the physical ceiling: the endpoint is not what it claims to be. */
export function isAboveRoofline(result: BenchmarkResult): boolean {
  return result.roofline.efficiency !== null && result.roofline.efficiency > 1;
}

export function headlineLine(result: BenchmarkResult): string {
  const efficiency = result.roofline.efficiency;
  const parts = [
    `decode ${formatNumber(result.decodeTokensPerSecond)} tok/s per stream`,
    `output ${formatNumber(result.outputTokensPerSecond)} tok/s`,
    `TTFT p95 ${formatNumber(result.ttftP95Ms, 0)} ms`,
    efficiency === null ? 'roofline efficiency n/a' : `${formatPercent(efficiency)} of roofline`,
    changeVsPrevious(result),
  ];
  const line = `*${levelName(result)}*: ${parts.join(' · ')}`;
  return isAboveRoofline(result)
    ? `${line}\n:warning: ${formatPercent(efficiency)} of roofline is ${ABOVE_ROOFLINE_WARNING}.`
    : line;
}

function slosOf(sweep: SloSweep): string {
  const { slos } = sweep;
  return describeSlos({
    ttftP95Ms: slos.ttftP95Ms ?? undefined,
    ttftP99Ms: slos.ttftP99Ms ?? undefined,
    tpotMeanMs: slos.tpotMeanMs ?? undefined,
    tpotP99Ms: slos.tpotP99Ms ?? undefined,
    itlP99Ms: slos.itlP99Ms ?? undefined,
    e2elP99Ms: slos.e2elP99Ms ?? undefined,
  });
}

export function sweepLine(sweep: SloSweep): string {
  const configuration =
    sweep.serverConfiguration === null ? '' : ` under \`${escapeMrkdwn(sweep.serverConfiguration)}\``;
  const goodput = `goodput ${formatNumber(sweep.goodputRequestsPerSecond, 2)} req/s, ${formatNumber(sweep.goodputOutputTokensPerSecond)} output tok/s`;
  switch (sweep.endReason) {
    case 'NONE_MET':
      return `*SLO search*${configuration} (${slosOf(sweep)}): no level met the SLOs; even concurrency ${sweep.firstMissConcurrency ?? 1} missed.`;
    case 'CAP_REACHED':
      return `*SLO search*${configuration} (${slosOf(sweep)}): every level met the SLOs; largest concurrency at the SLO *${sweep.maxConcurrencyAtSlo ?? 'n/a'}* (the cap; the limit lies above) · ${goodput}`;
    case 'BRACKETED':
      return `*SLO search*${configuration} (${slosOf(sweep)}): largest concurrency at the SLO *${sweep.maxConcurrencyAtSlo ?? 'n/a'}*${sweep.firstMissConcurrency === null ? '' : ` (${sweep.firstMissConcurrency} missed)`} · ${goodput}`;
  }
}

/** The headline lines of a succeeded run: the sweep answers first, then the levels they point at. */
export function headlineLines(run: BenchmarkRun): string[] {
  if (run.sloSweeps.length > 0) {
    return run.sloSweeps.flatMap((sweep) => {
      const atSlo = run.results.find(
        (result) =>
          result.concurrency === sweep.maxConcurrencyAtSlo &&
          result.serverConfiguration === sweep.serverConfiguration,
      );
      return atSlo === undefined ? [sweepLine(sweep)] : [sweepLine(sweep), headlineLine(atSlo)];
    });
  }
  return run.results.map(headlineLine);
}
