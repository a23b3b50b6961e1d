import Decimal from 'decimal.js';
import { axisBit, effectiveLeadTime, maskOfAxes } from './axes';
import type { Catalog } from './catalog';
import { type CoreEvaluation, evaluateCore, type ResolvedOptions } from './evaluate';
import type { PriceComponent } from './evidence';
import { pickRecommended } from './kept-sets';
import { formatNumber } from './money';
import type { OptionSet } from './serving-options';
import { trafficShapeOf } from './traffic';
import type { Workload } from './workload';

export type SensitivityInput = 'PRICE' | 'VOLUME' | 'DECODE_SLO' | 'HORIZON' | 'NEEDED_BY';

export interface SensitivityFinding {
  input: SensitivityInput;
  /** The price component changed (PRICE only). */
  priceComponentId: string | null;
  description: string;
  baseline: string;
  /** The value at which the top recommendation changes, as text; null = it never does in the range. */
  flipsAt: string | null;
  /** The same as a number: the new price, the volume factor, the SLO, months or days. */
  flipsAtValue: number | null;
  newRecommendation: string | null;
  searched: string;
}

const CHEAP_BIT = axisBit('CHEAP');
const PRICE_BISECTIONS = 24;
const VOLUME_BISECTIONS = 7;

/**
 * A price moves only CHEAP (the other axes do not read amounts), and every cost line is linear in
 * the one price it cites, so re-pricing is total + (factor − 1) x (lines citing it). The pick then
 * follows `pickRecommended`, the rule `recommend` itself uses, over the eligible options only.
 * `totals` is indexed like `core.eligible`.
 */
function recommendationAtPrices(
  core: CoreEvaluation,
  totals: readonly Decimal[],
  workload: Workload,
  settings: ResolvedOptions,
): string | null {
  // Same reference as `cheapReference`: the cheapest option passing every other axis, else any.
  let cheapest: Decimal | null = null;
  let cheapestFeasible: Decimal | null = null;
  for (let index = 0; index < core.eligible.length; index++) {
    const total = totals[index];
    const entry = core.eligible[index];
    if (!total || !entry) continue;
    if (!cheapest || total.lessThan(cheapest)) cheapest = total;
    const othersPass = (entry.profile.failMask & ~CHEAP_BIT) === 0;
    if (othersPass && (!cheapestFeasible || total.lessThan(cheapestFeasible))) cheapestFeasible = total;
  }
  const reference: Decimal | null = cheapestFeasible ?? cheapest;
  if (!reference) return null;
  const limit = workload.monthlyBudget ?? reference.times(settings.policy.cheapRatio);
  const candidates = core.eligible.map((entry, index) => {
    const total = totals[index] ?? entry.cost.total;
    const cheapPass = total.lessThanOrEqualTo(limit);
    return {
      id: entry.option.id,
      total,
      failMask: (entry.profile.failMask & ~CHEAP_BIT) | (cheapPass ? 0 : CHEAP_BIT),
    };
  });
  const index = pickRecommended(candidates, settings.keep ? maskOfAxes(settings.keep) : null);
  return candidates[index]?.id ?? null;
}

function priceFindings(
  core: CoreEvaluation,
  workload: Workload,
  settings: ResolvedOptions,
  baseline: string | null,
): SensitivityFinding[] {
  const components = new Map<string, PriceComponent>();
  for (const entry of core.eligible)
    for (const component of entry.option.costModel.priceComponents) components.set(component.id, component);
  const findings: SensitivityFinding[] = [];
  const percent = settings.sensitivityPercent / 100;
  for (const component of components.values()) {
    const exposure = core.eligible.map((entry) => {
      let amount = new Decimal(0);
      for (const line of entry.cost.lines)
        if (line.priceComponentIds.includes(component.id)) amount = amount.plus(line.amount);
      return amount;
    });
    const pickAt = (factor: number) =>
      recommendationAtPrices(
        core,
        core.eligible.map((entry, index) =>
          entry.cost.total.plus((exposure[index] ?? new Decimal(0)).times(factor - 1)),
        ),
        workload,
        settings,
      );
    let found: { factor: number; pick: string | null } | null = null;
    for (const direction of [1, -1]) {
      const far = 1 + direction * percent;
      const farPick = pickAt(far);
      if (farPick === baseline) continue;
      let near = 1;
      let flip = far;
      for (let iteration = 0; iteration < PRICE_BISECTIONS; iteration++) {
        const middle = (near + flip) / 2;
        if (pickAt(middle) === baseline) near = middle;
        else flip = middle;
      }
      if (!found || Math.abs(flip - 1) < Math.abs(found.factor - 1))
        found = { factor: flip, pick: pickAt(flip) };
    }
    const newPrice = found ? component.amount.times(found.factor) : null;
    findings.push({
      input: 'PRICE',
      priceComponentId: component.id,
      description: `${component.kind} ${component.unit} (${component.id})`,
      baseline: component.amount.toString(),
      flipsAt:
        found && newPrice
          ? `${newPrice.toSignificantDigits(4).toString()} (${found.factor >= 1 ? '+' : ''}${((found.factor - 1) * 100).toFixed(1)}%)`
          : null,
      flipsAtValue: newPrice ? newPrice.toNumber() : null,
      newRecommendation: found ? found.pick : null,
      searched: `±${settings.sensitivityPercent}%`,
    });
  }
  return findings;
}

function pickFor(
  catalog: Catalog,
  workload: Workload,
  settings: ResolvedOptions,
  prebuilt?: OptionSet,
): string | null {
  return evaluateCore(catalog, workload, settings, prebuilt).recommendation?.optionId ?? null;
}

function volumeFinding(
  core: CoreEvaluation,
  catalog: Catalog,
  workload: Workload,
  settings: ResolvedOptions,
  baseline: string | null,
): SensitivityFinding {
  const requests = trafficShapeOf(workload).requestsPerMonth;
  // Volume changes neither sizing per unit nor prices, so the built options are reused.
  const at = (factor: number) =>
    pickFor(
      catalog,
      { ...workload, requestsPerDay: workload.requestsPerDay * factor },
      settings,
      core.optionSet,
    );
  let best: { factor: number; pick: string | null } | null = null;
  for (const steps of [
    [2, 10, 100, 1000],
    [0.5, 0.1, 0.01, 0.001],
  ]) {
    let near = 1;
    for (const factor of steps) {
      const pick = at(factor);
      if (pick === baseline) {
        near = factor;
        continue;
      }
      let flip = factor;
      for (let iteration = 0; iteration < VOLUME_BISECTIONS; iteration++) {
        const middle = Math.sqrt(near * flip);
        if (at(middle) === baseline) near = middle;
        else flip = middle;
      }
      if (!best || Math.abs(Math.log(flip)) < Math.abs(Math.log(best.factor)))
        best = { factor: flip, pick: at(flip) };
      break;
    }
  }
  return {
    input: 'VOLUME',
    priceComponentId: null,
    description: 'monthly volume (same traffic shape)',
    baseline: `${formatNumber(requests, 0)} requests/month`,
    flipsAt: best
      ? `x${best.factor.toPrecision(3)} (${formatNumber(requests * best.factor, 0)} requests/month)`
      : null,
    flipsAtValue: best ? best.factor : null,
    newRecommendation: best ? best.pick : null,
    searched: 'x0.001 to x1000',
  };
}

/** Tries candidate values nearest the current one first, in each direction; the closest flip wins. */
function firstFlip<T>(
  candidates: { below: T[]; above: T[] },
  pick: (value: T) => string | null,
  baseline: string | null,
  distance: (value: T) => number,
): { value: T; pick: string | null } | null {
  let best: { value: T; pick: string | null } | null = null;
  for (const side of [candidates.above, candidates.below]) {
    for (const value of side) {
      const chosen = pick(value);
      if (chosen === baseline) continue;
      if (!best || distance(value) < distance(best.value)) best = { value, pick: chosen };
      break;
    }
  }
  return best;
}

function decodeFinding(
  core: CoreEvaluation,
  catalog: Catalog,
  workload: Workload,
  settings: ResolvedOptions,
  baseline: string | null,
): SensitivityFinding {
  const current = workload.minDecodeTokensPerSecond;
  const speeds = [
    ...new Set(
      core.eligible.flatMap((entry) =>
        entry.option.points.map((point) => point.decodeTokensPerSecondPerStream),
      ),
    ),
  ].sort((a, b) => a - b);
  // FAST changes only where the SLO crosses a measured speed: just above one, it fails there.
  const above = speeds.filter((speed) => current === null || speed >= current).map((speed) => speed * 1.0001);
  const below = speeds.filter((speed) => current !== null && speed < current).reverse();
  const found = firstFlip(
    { above, below },
    (slo) => pickFor(catalog, { ...workload, minDecodeTokensPerSecond: slo }, settings),
    baseline,
    (slo) => Math.abs(slo - (current ?? 0)),
  );
  return {
    input: 'DECODE_SLO',
    priceComponentId: null,
    description: 'minimum per-stream decode SLO',
    baseline: current === null ? 'none' : `${current} tok/s`,
    flipsAt: found ? `${found.value.toFixed(1)} tok/s` : null,
    flipsAtValue: found ? found.value : null,
    newRecommendation: found ? found.pick : null,
    searched: 'every measured or assumed decode speed',
  };
}

const HORIZONS = [1, 6, 12, 24, 36, 60];

function horizonFinding(
  catalog: Catalog,
  workload: Workload,
  settings: ResolvedOptions,
  baseline: string | null,
): SensitivityFinding {
  const current = workload.horizonMonths;
  const found = firstFlip(
    {
      above: HORIZONS.filter((months) => months > current),
      below: HORIZONS.filter((months) => months < current).reverse(),
    },
    (months) => pickFor(catalog, { ...workload, horizonMonths: months }, settings),
    baseline,
    (months) => Math.abs(months - current),
  );
  return {
    input: 'HORIZON',
    priceComponentId: null,
    description: 'horizon in months',
    baseline: `${current} months`,
    flipsAt: found ? `${found.value} months` : null,
    flipsAtValue: found ? found.value : null,
    newRecommendation: found ? found.pick : null,
    searched: HORIZONS.join(', '),
  };
}

function neededByFinding(
  core: CoreEvaluation,
  catalog: Catalog,
  workload: Workload,
  settings: ResolvedOptions,
  baseline: string | null,
): SensitivityFinding {
  const current = workload.neededByDays;
  const leads = [
    ...new Set(core.eligible.map((entry) => effectiveLeadTime(catalog, entry.option).days)),
  ].sort((a, b) => a - b);
  // AVAILABLE changes only where needed-by crosses a lead time.
  const tighter = leads
    .filter((lead) => lead > 0 && (current === null || lead <= current))
    .map((lead) => lead * 0.9999)
    .reverse();
  const looser = leads.filter((lead) => current !== null && lead > current);
  const found = firstFlip(
    { above: looser, below: tighter },
    (days) => pickFor(catalog, { ...workload, neededByDays: days }, settings, core.optionSet),
    baseline,
    (days) => Math.abs(days - (current ?? days)),
  );
  return {
    input: 'NEEDED_BY',
    priceComponentId: null,
    description: 'needed by (days from now)',
    baseline: current === null ? 'no deadline' : `${current} days`,
    flipsAt: found ? `${found.value.toFixed(1)} days` : null,
    flipsAtValue: found ? found.value : null,
    newRecommendation: found ? found.pick : null,
    searched: 'every lead time on record',
  };
}

/** Which single input change flips the top recommendation, and at what value. */
export function sensitivityOf(
  core: CoreEvaluation,
  catalog: Catalog,
  workload: Workload,
  settings: ResolvedOptions,
): SensitivityFinding[] {
  const baseline = core.recommendation?.optionId ?? null;
  return [
    ...priceFindings(core, workload, settings, baseline),
    volumeFinding(core, catalog, workload, settings, baseline),
    decodeFinding(core, catalog, workload, settings, baseline),
    horizonFinding(catalog, workload, settings, baseline),
    neededByFinding(core, catalog, workload, settings, baseline),
  ];
}
