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
