import type { Axis, RunStatus } from '../floorplan-api';

/** Axes in the words a team member would use ("keep token latency"), not the enum names. */
export const AXIS_WORDS: Record<Axis, string> = {
  FAST: 'token latency',
  CHEAP: 'budget',
  HIGH_CONFIDENCE: 'answer quality',
  CONTROLLED: 'control of the weights',
  AVAILABLE: 'availability',
};

export const AXIS_SHORT: Record<Axis, string> = {
  FAST: 'fast',
  CHEAP: 'cheap',
  HIGH_CONFIDENCE: 'conf',
  CONTROLLED: 'ctrl',
  AVAILABLE: 'avail',
};

export const RUN_STATUS_WORDS: Record<RunStatus, string> = {
  QUEUED: 'queued',
  LEASED: 'running',
  SUCCEEDED: 'finished',
  FAILED: 'failed',
  CANCELLED: 'cancelled',
};

export function formatNumber(value: number | null, fractionDigits = 1): string {
  if (value === null || !Number.isFinite(value)) return 'n/a';
  return value.toLocaleString('en-US', { maximumFractionDigits: fractionDigits });
}

export function formatPercent(ratio: number | null): string {
  if (ratio === null || !Number.isFinite(ratio)) return 'n/a';
  return `${(ratio * 100).toFixed(0)}%`;
}

/** Slack's mrkdwn treats &, < and > as control characters; user text must be escaped before display. */
export function escapeMrkdwn(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

export function plural(count: number, singular: string, pluralForm = `${singular}s`): string {
  return `${count} ${count === 1 ? singular : pluralForm}`;
}

/** `20.4 tok/s`, `30 tok/s`: decode and output rates, one decimal at most. */
export function formatTokensPerSecond(value: number | null): string {
  return value === null || !Number.isFinite(value) ? 'n/a tok/s' : `${formatNumber(value, 1)} tok/s`;
}

/** `12.4B`, `60K`, `1.8M`, `950`: large counts in three significant figures at most. */
export function formatCompact(value: number): string {
  if (!Number.isFinite(value)) return 'n/a';
  const units: [number, string][] = [
    [1e12, 'T'],
    [1e9, 'B'],
    [1e6, 'M'],
    [1e3, 'K'],
  ];
  for (const [size, suffix] of units) {
    if (Math.abs(value) >= size) {
      const scaled = value / size;
      return `${formatNumber(scaled, scaled >= 100 ? 0 : 1)}${suffix}`;
    }
  }
  return formatNumber(value, value >= 100 ? 0 : 1);
}

/** `12.4B tokens/mo` */
export function formatTokensPerMonth(value: number): string {
  return `${formatCompact(value)} tokens/mo`;
}

/** `60K requests/mo` */
export function formatRequestsPerMonth(value: number): string {
  return `${formatCompact(value)} requests/mo`;
}
