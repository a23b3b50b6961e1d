import Decimal from 'decimal.js';
import { axisBit, effectiveLeadTime, maskOfAxes } from './axes';
import { buildCatalog, type Catalog } from './catalog';
import { type CoreEvaluation, type ResolvedOptions, recommendedOptionId } from './evaluate';
import type { EvidenceSnapshot, PriceComponent } from './evidence';
import { pickRecommended } from './kept-sets';
import { formatNumber, ZERO } from './money';
import { recostedServingOptions, resizedServingOptions } from './serving-options';
import { trafficShapeOf } from './traffic';
import type { Workload } from './workload';

export type SensitivityInput = 'PRICE' | 'VOLUME' | 'DECODE_SLO' | 'HORIZON' | 'NEEDED_BY';

/**
 * One input changed on its own, and where the top recommendation changes. Every reported flip is
 * verified before it is reported: the whole decision is re-run at `flipsAt` (the recommendation
 * there is `newRecommendation`, not today's) and at `holdsAt`, the nearest value on today's side
 * (the recommendation there is still today's). A flip that does not reproduce is not reported.
 */
export interface SensitivityFinding {
  input: SensitivityInput;
  /** The price component changed (PRICE only). */
  priceComponentId: string | null;
  description: string;
  baseline: string;
  /** The value at which the top recommendation changes, as text; null = it never does in the range. */
  flipsAt: string | null;
  /** The volume factor, the SLO, months or days at which it changes; null for PRICE (see the amounts). */
  flipsAtValue: number | null;
  /** The nearest value on today's side at which the recommendation still stands. */
  holdsAtValue: number | null;
  /** PRICE only: the price at which the recommendation changes, exact. */
  flipsAtAmount: Decimal | null;
  /** PRICE only: the nearest price on today's side at which it still stands. */
  holdsAtAmount: Decimal | null;
  newRecommendation: string | null;
  searched: string;
}

/** What every input's search starts from: today's evaluation and its inputs, and today's pick. */
interface Search {
  core: CoreEvaluation;
  catalog: Catalog;
  workload: Workload;
  settings: ResolvedOptions;
  baseline: string | null;
}

const CHEAP_BIT = axisBit('CHEAP');
const PRICE_BISECTIONS = 24;
const VOLUME_BISECTIONS = 12;
/** Reported prices carry this many significant digits, rounded away from and toward today. */
const PRICE_DIGITS = 8;

/** The recommendation of a full re-run (new catalog if given), the check behind every finding. */
function rerun(catalog: Catalog, workload: Workload, settings: ResolvedOptions): string | null {
  return recommendedOptionId(catalog, workload, settings);
}

/**
 * The recommendation at each value of one input, each value evaluated once: the search and the
 * verification ask for the same values again (the evaluation is deterministic).
 */
function remembered(pick: (value: number) => string | null): (value: number) => string | null {
  const known = new Map<number, string | null>();
  return (value) => {
    if (known.has(value)) return known.get(value) ?? null;
    const found = pick(value);
    known.set(value, found);
    return found;
  };
}

/** Both sides of a flip re-run: flips at `flip` (to what), holds at `hold`. */
function verify(
  probe: () => { flip: string | null; hold: string | null },
  baseline: string | null,
): string | null | undefined {
  const { flip, hold } = probe();
  return flip !== baseline && hold === baseline ? flip : undefined;
}

/**
 * What the price search reads of today's evaluation for every price and every try, worked out
 * once: the totals (as adding a zero change gives them: a sum is rounded to the working
 * precision), the eligible options' indices cheapest first, whether each passes every axis but
 * CHEAP, and, with a budget, whether each total is within it.
 */
interface PriceBase {
  totals: Decimal[];
  cheapestFirst: number[];
  othersPass: boolean[];
  withinBudget: boolean[] | null;
}

function priceBase(core: CoreEvaluation, workload: Workload): PriceBase {
  const totals = core.eligible.map((entry) => entry.cost.total.plus(ZERO));
  const totalAt = (index: number) => totals[index] ?? ZERO;
  const budget = workload.monthlyBudget;
  return {
    totals,
    cheapestFirst: totals.map((_, index) => index).sort((a, b) => totalAt(a).comparedTo(totalAt(b))),
    othersPass: core.eligible.map((entry) => (entry.profile.failMask & ~CHEAP_BIT) === 0),
    withinBudget: budget === null ? null : totals.map((total) => total.lessThanOrEqualTo(budget)),
  };
}

/**
 * A price moves only CHEAP (the other axes do not read amounts), and every cost line is linear in
 * the one price it cites, so re-pricing is total + (factor − 1) x (lines citing it): `moved` holds
 * the new totals of the options citing it (null where the total stays), indexed like
 * `core.eligible`. The pick then follows `pickRecommended`, the rule `recommend` itself uses, over
 * the eligible options only. This is the fast search; findings are re-run in full.
 */
function recommendationAtPrices(
  core: CoreEvaluation,
  base: PriceBase,
  moved: readonly (Decimal | null)[],
  workload: Workload,
  settings: ResolvedOptions,
): string | null {
  // Same reference as `cheapReference`: the cheapest option passing every other axis, else any.
  // Among the totals that stay, the cheapest are the first in today's order.
  let cheapest: Decimal | null = null;
  let cheapestFeasible: Decimal | null = null;
  for (const index of base.cheapestFirst) {
    if (moved[index]) continue;
    cheapest ??= base.totals[index] ?? null;
    if (base.othersPass[index]) {
      cheapestFeasible = base.totals[index] ?? null;
      break;
    }
  }
  moved.forEach((total, index) => {
    if (!total) return;
    if (!cheapest || total.lessThan(cheapest)) cheapest = total;
    if (base.othersPass[index] && (!cheapestFeasible || total.lessThan(cheapestFeasible)))
      cheapestFeasible = total;
  });
  const reference: Decimal | null = cheapestFeasible ?? cheapest;
  if (!reference) return null;
  const limit = workload.monthlyBudget ?? reference.times(settings.policy.cheapRatio);
  const candidates = core.eligible.map((entry, index) => {
    const total = moved[index] ?? base.totals[index] ?? entry.cost.total;
    const kept = moved[index] ? undefined : base.withinBudget?.[index];
    const cheapPass = kept ?? total.lessThanOrEqualTo(limit);
    return {
      id: entry.option.id,
      total,
      failMask: (entry.profile.failMask & ~CHEAP_BIT) | (cheapPass ? 0 : CHEAP_BIT),
    };
  });
  const index = pickRecommended(candidates, settings.keep ? maskOfAxes(settings.keep) : null);
  return candidates[index]?.id ?? null;
}

function withPrice(evidence: EvidenceSnapshot, id: string, amount: Decimal): EvidenceSnapshot {
  return {
    ...evidence,
    paths: evidence.paths.map((path) =>
      path.priceComponents.some((component) => component.id === id)
        ? {
            ...path,
            priceComponents: path.priceComponents.map((component) =>
              component.id === id ? { ...component, amount } : component,
            ),
          }
        : path,
    ),
  };
}

function notFound(
  input: SensitivityInput,
  fields: Pick<SensitivityFinding, 'priceComponentId' | 'description' | 'baseline' | 'searched'>,
): SensitivityFinding {
  return {
    input,
    ...fields,
    flipsAt: null,
    flipsAtValue: null,
    holdsAtValue: null,
    flipsAtAmount: null,
    holdsAtAmount: null,
    newRecommendation: null,
  };
}

/** A verified flip: the recommendation is `pick` at `value`, still today's at `hold`. */
interface Flip {
  value: number;
  hold: number;
  pick: string | null;
}

/**
 * The finding for an input searched by value (volume factor, SLO, months, days): the flip, with
 * `flipsAt` saying where in words, or not found.
 */
function thresholdFinding(
  input: Exclude<SensitivityInput, 'PRICE'>,
  fields: Pick<SensitivityFinding, 'description' | 'baseline' | 'searched'>,
  found: Flip | null,
  flipsAt: (found: Flip) => string,
): SensitivityFinding {
  if (!found) return notFound(input, { priceComponentId: null, ...fields });
  return {
    input,
    priceComponentId: null,
    ...fields,
    flipsAt: flipsAt(found),
    flipsAtValue: found.value,
    holdsAtValue: found.hold,
    flipsAtAmount: null,
    holdsAtAmount: null,
    newRecommendation: found.pick,
  };
}

function priceFindings({ core, catalog, workload, settings, baseline }: Search): SensitivityFinding[] {
  const components = new Map<string, PriceComponent>();
  for (const entry of core.eligible)
    for (const component of entry.option.costModel.priceComponents) components.set(component.id, component);
  const findings: SensitivityFinding[] = [];
  const percent = settings.sensitivityPercent / 100;
  const base = priceBase(core, workload);
  for (const component of components.values()) {
    const fields = {
      priceComponentId: component.id,
      description: `${component.kind} ${component.unit} (${component.id})`,
      baseline: component.amount.toString(),
      searched: `±${settings.sensitivityPercent}%`,
    };
    // Null where no line cites the price (or those that do add up to nothing): that total stays.
    const exposure = core.eligible.map((entry) => {
      let amount: Decimal | null = null;
      for (const line of entry.cost.lines)
        if (line.priceComponentIds.includes(component.id)) amount = (amount ?? ZERO).plus(line.amount);
      return amount?.isZero() ? null : amount;
    });
    const pickAt = (factor: number) => {
      // The same Decimal `times` would make of the number for each option, made once.
      const change = new Decimal(factor - 1);
      return recommendationAtPrices(
        core,
        base,
        core.eligible.map((entry, index) => {
          const exposed = exposure[index];
          return exposed ? entry.cost.total.plus(exposed.times(change)) : null;
        }),
        workload,
        settings,
      );
    };
    const flips: { flip: Decimal; hold: Decimal; distance: number; pick: string | null }[] = [];
    for (const direction of [1, -1]) {
      const far = 1 + direction * percent;
      if (pickAt(far) === baseline) continue;
      let near = 1;
      let flip = far;
      for (let iteration = 0; iteration < PRICE_BISECTIONS; iteration++) {
        const middle = (near + flip) / 2;
        if (pickAt(middle) === baseline) near = middle;
        else flip = middle;
      }
      // Exact, plain decimals: the flip rounded away from today, the hold toward it.
      const away = direction > 0 ? Decimal.ROUND_UP : Decimal.ROUND_DOWN;
      const toward = direction > 0 ? Decimal.ROUND_DOWN : Decimal.ROUND_UP;
      const flipAmount = component.amount.times(flip).toSignificantDigits(PRICE_DIGITS, away);
      const holdAmount = component.amount.times(near).toSignificantDigits(PRICE_DIGITS, toward);
      const pick = verify(
        () => ({
          flip: rerun(
            buildCatalog(withPrice(catalog.evidence, component.id, flipAmount)),
            workload,
            settings,
          ),
          hold: rerun(
            buildCatalog(withPrice(catalog.evidence, component.id, holdAmount)),
            workload,
            settings,
          ),
        }),
        baseline,
      );
      if (pick !== undefined)
        flips.push({ flip: flipAmount, hold: holdAmount, distance: Math.abs(flip - 1), pick });
    }
    const found = flips.sort((a, b) => a.distance - b.distance)[0];
    if (!found) {
      findings.push(notFound('PRICE', fields));
      continue;
    }
    const change = found.flip.minus(component.amount).dividedBy(component.amount).times(100);
    findings.push({
      input: 'PRICE',
      ...fields,
      flipsAt: `${found.flip.toFixed()} (${change.isNegative() ? '' : '+'}${change.toFixed(2)}%)`,
      flipsAtValue: null,
      holdsAtValue: null,
      flipsAtAmount: found.flip,
      holdsAtAmount: found.hold,
      newRecommendation: found.pick,
    });
  }
  return findings;
}

function volumeFinding({ core, catalog, workload, settings, baseline }: Search): SensitivityFinding {
  const requests = trafficShapeOf(workload).requestsPerMonth;
  const scaled = (factor: number) => ({ ...workload, requestsPerDay: workload.requestsPerDay * factor });
  // Volume changes neither sizing per unit nor prices, so the search reuses the built options.
  const at = remembered((factor) => recommendedOptionId(catalog, scaled(factor), settings, core.optionSet));
  const atInFull = remembered((factor) => rerun(catalog, scaled(factor), settings));
  let best: Flip | null = null;
  for (const steps of [
    [2, 10, 100, 1000],
    [0.5, 0.1, 0.01, 0.001],
  ]) {
    let near = 1;
    for (const factor of steps) {
      if (at(factor) === baseline) {
        near = factor;
        continue;
      }
      let flip = factor;
      for (let iteration = 0; iteration < VOLUME_BISECTIONS; iteration++) {
        const middle = Math.sqrt(near * flip);
        if (at(middle) === baseline) near = middle;
        else flip = middle;
      }
      const pick = verify(
        () => ({
          flip: atInFull(flip),
          hold: atInFull(near),
        }),
        baseline,
      );
      if (pick !== undefined && (!best || Math.abs(Math.log(flip)) < Math.abs(Math.log(best.value))))
        best = { value: flip, hold: near, pick };
      break;
    }
  }
  return thresholdFinding(
    'VOLUME',
    {
      description: 'monthly volume (same traffic shape)',
      baseline: `${formatNumber(requests, 0)} requests/month`,
      searched: 'x0.001 to x1000',
    },
    best,
    ({ value }) => `x${formatNumber(value, 4)} (${formatNumber(requests * value, 0)} requests/month)`,
  );
}

/**
 * Tries candidate values nearest the current one first, in each direction; each candidate carries
 * its hold value (the nearest value on today's side). The closest verified flip wins.
 */
function firstFlip(
  candidates: { below: { value: number; hold: number }[]; above: { value: number; hold: number }[] },
  pick: (value: number) => string | null,
  baseline: string | null,
  distance: (value: number) => number,
): Flip | null {
  let best: Flip | null = null;
  for (const side of [candidates.above, candidates.below]) {
    for (const candidate of side) {
      if (pick(candidate.value) === baseline) continue;
      const verified = verify(() => ({ flip: pick(candidate.value), hold: pick(candidate.hold) }), baseline);
      if (verified !== undefined && (!best || distance(candidate.value) < distance(best.value)))
        best = { ...candidate, pick: verified };
      break;
    }
  }
  return best;
}

/** Just past a threshold: the next double above `value` scaled by a part in a million. */
const JUST_ABOVE = 1 + 1e-6;

/**
 * Where a requirement of the workload crosses one capability of each option: a minimum decode SLO
 * against each speed (stricter upwards), a needed-by deadline against each lead time (stricter
 * downwards). Only there can a verdict, and so the pick, change: at the capability the requirement
 * passes, just past it it fails. Returned by numeric side, nearest first, each with the value to
 * try and the value beside it that must still hold.
 */
function crossings(
  capabilities: readonly number[],
  current: number | null,
  stricter: 'up' | 'down',
): { above: { value: number; hold: number }[]; below: { value: number; hold: number }[] } {
  const up = stricter === 'up';
  const sorted = [...new Set(capabilities)].filter((value) => value > 0).sort((a, b) => a - b);
  const past = (value: number) => (up ? value * JUST_ABOVE : value / JUST_ABOVE);
  // Tightening: flips just past a capability, holds at it.
  const tighter = sorted
    .filter((value) => current === null || (up ? value >= current : value <= current))
    .map((value) => ({ value: past(value), hold: value }));
  // Loosening: flips at a capability, holds just past it (never past where it stands now).
  const looser = sorted
    .filter((value) => current !== null && (up ? value < current : value > current))
    .map((value) => {
      const beside = past(value);
      const now = current ?? value;
      return { value, hold: up ? Math.min(beside, now) : Math.max(beside, now) };
    });
  return up ? { above: tighter, below: looser.reverse() } : { above: looser, below: tighter.reverse() };
}

/**
 * The nearest verified flip where a requirement at `current` crosses one of `capabilities` (see
 * `crossings`), `pick` giving the recommendation at a value of the requirement.
 */
function crossingFlip(
  capabilities: readonly number[],
  current: number | null,
  stricter: 'up' | 'down',
  pick: (value: number) => string | null,
  baseline: string | null,
): Flip | null {
  // With no requirement today there is one side only, so the distance never decides.
  return firstFlip(crossings(capabilities, current, stricter), remembered(pick), baseline, (value) =>
    Math.abs(value - (current ?? 0)),
  );
}

function decodeFinding({ core, catalog, workload, settings, baseline }: Search): SensitivityFinding {
  const current = workload.minDecodeTokensPerSecond;
  // FAST and sizing change only where the SLO crosses a speed: at the speed it passes, just above
  // it fails.
  const found = crossingFlip(
    core.eligible.flatMap((entry) =>
      entry.option.points.map((point) => point.decodeTokensPerSecondPerStream),
    ),
    current,
    'up',
    // The SLO moves only the sizing points: the options are re-sized, not rebuilt.
    (slo) => {
      const changed = { ...workload, minDecodeTokensPerSecond: slo };
      const resized = resizedServingOptions(core.optionSet, catalog, changed, settings.candidateModelSlugs);
      return recommendedOptionId(catalog, changed, settings, resized);
    },
    baseline,
  );
  return thresholdFinding(
    'DECODE_SLO',
    {
      description: 'minimum per-stream decode SLO',
      baseline: current === null ? 'none' : `${current} tok/s`,
      searched: 'every measured or assumed decode speed',
    },
    found,
    ({ value, hold }) =>
      current === null || value > current
        ? `above ${formatNumber(hold, 3)} tok/s (e.g. ${formatNumber(value, 6)})`
        : `${formatNumber(value, 3)} tok/s or less`,
  );
}

const HORIZONS = [1, 6, 12, 24, 36, 60];

function horizonFinding({ core, catalog, workload, settings, baseline }: Search): SensitivityFinding {
  const current = workload.horizonMonths;
  // The horizon moves only the cost models (amortization, training spread, commitment terms): the
  // sized options are re-costed, not rebuilt.
  const at = remembered((months) => {
    const changed = { ...workload, horizonMonths: months };
    return recommendedOptionId(
      catalog,
      changed,
      settings,
      recostedServingOptions(core.optionSet, catalog, changed),
    );
  });
  /**
   * A flip at `months` narrowed to whole months: the hold is the month nearest today at which the
   * answer still stands, between today and `months`, the flip the month past it; both re-run.
   */
  const narrowed = (months: number): Flip | null => {
    const step = months > current ? -1 : 1;
    let hold = months + step;
    // Walk back to the first month that flips: cost moves with the horizon only through the
    // amortization months, so the flip is usually exactly at a listed horizon.
    while (hold !== current && at(hold) !== baseline) hold += step;
    const flip = hold - step;
    const pick = verify(() => ({ flip: at(flip), hold: at(hold) }), baseline);
    return pick === undefined ? null : { value: flip, hold, pick };
  };
  const found = firstFlip(
    {
      above: HORIZONS.filter((months) => months > current).map((months) => ({ value: months, hold: months })),
      below: HORIZONS.filter((months) => months < current)
        .reverse()
        .map((months) => ({ value: months, hold: months })),
    },
    at,
    baseline,
    (months) => Math.abs(months - current),
  );
  return thresholdFinding(
    'HORIZON',
    { description: 'horizon in months', baseline: `${current} months`, searched: HORIZONS.join(', ') },
    found && narrowed(found.value),
    ({ value }) => `${value} months`,
  );
}

function neededByFinding({ core, catalog, workload, settings, baseline }: Search): SensitivityFinding {
  const current = workload.neededByDays;
  // AVAILABLE changes only where needed-by crosses a lead time: at the lead time it passes, just
  // under it fails.
  const found = crossingFlip(
    core.eligible
      .map((entry) => effectiveLeadTime(catalog, entry.option).days)
      .filter((days): days is number => days !== null),
    current,
    'down',
    // No option, sizing or cost reads the deadline (only AVAILABLE does), so the options are reused.
    (days) => recommendedOptionId(catalog, { ...workload, neededByDays: days }, settings, core.optionSet),
    baseline,
  );
  return thresholdFinding(
    'NEEDED_BY',
    {
      description: 'needed by (days from now)',
      baseline: current === null ? 'no deadline' : `${current} days`,
      searched: 'every lead time on record',
    },
    found,
    ({ value, hold }) =>
      current === null || value < current
        ? `under ${formatNumber(hold, 3)} days (e.g. ${formatNumber(value, 6)})`
        : `${formatNumber(value, 3)} days or more`,
  );
}

/** Which single input change flips the top recommendation, and at what value; each one re-run. */
export function sensitivityOf(
  core: CoreEvaluation,
  catalog: Catalog,
  workload: Workload,
  settings: ResolvedOptions,
): SensitivityFinding[] {
  const search: Search = {
    core,
    catalog,
    workload,
    settings,
    baseline: core.recommendation?.optionId ?? null,
  };
  return [
    ...priceFindings(search),
    volumeFinding(search),
    decodeFinding(search),
    horizonFinding(search),
    neededByFinding(search),
  ];
}
