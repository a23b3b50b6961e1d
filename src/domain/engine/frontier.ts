import Decimal from 'decimal.js';
import { buildCatalog, type Catalog } from './catalog';
import { buildCostModel } from './cost/index';
import type { MonthlyCost } from './cost/types';
import { evaluateCore, resolveOptions } from './evaluate';
import type { EvidenceSnapshot, PathKind, SloSweepEvidence } from './evidence';
import type { EvaluatedOption } from './kept-sets';
import { formatMoney, formatNumber, HOURS_PER_MONTH, quantity } from './money';
import {
  peakOutputTokensPerSecondPerMonthlyRequest,
  type ServedAs,
  type ServingOption,
} from './serving-options';
import { meetsSpeed, type OperatingPoint, sizingPoint } from './throughput';
import { trafficShapeOf } from './traffic';
import { checkWorkloadAgainstEvidence, type Workload, WorkloadError } from './workload';

/**
 * What a frontier number rests on when it is not a measurement at the workload's SLOs:
 * ASSUMED_THROUGHPUT = speed and capacity are a recorded assumption or a roofline estimate;
 * MEASURED_ON_BASE_MODEL = measured on the base model the served variant derives from;
 * GOODPUT_NOT_MEASURED = a measured throughput, but no goodput: every request is taken to meet the SLOs;
 * GOODPUT_AT_OTHER_SLOS = the sweep's goodput counts requests against objectives looser than the workload's;
 * ASSUMED_PRICE = a price under the cost is our assumption or unconfirmed (U-grade);
 * MISSES_SLO = no operating point on record meets the workload's SLOs, so no goodput (no cost per token).
 */
export const FRONTIER_FLAG_CODES = [
  'ASSUMED_THROUGHPUT',
  'MEASURED_ON_BASE_MODEL',
  'GOODPUT_NOT_MEASURED',
  'GOODPUT_AT_OTHER_SLOS',
  'ASSUMED_PRICE',
  'MISSES_SLO',
] as const;
export type FrontierFlagCode = (typeof FRONTIER_FLAG_CODES)[number];

/** PASS: at or above the workload's minimum accepted rate (or no minimum set); UNEVALUATED: no evaluation. */
export const QUALITY_GATES = ['PASS', 'FAIL', 'UNEVALUATED'] as const;
export type QualityGate = (typeof QUALITY_GATES)[number];

/**
 * What the goodput tokens of a point are:
 * CAPACITY_AT_DUTY_CYCLE = what the units paid for (boxes, instances) serve within the SLOs during
 *   the workload's active hours (units x goodput tok/s per unit x active seconds a month);
 * WORKLOAD_TOKENS = the workload's own output tokens a month (pay-per-use and provisioned paths,
 *   whose bill is set by the workload's shape), when the path meets the SLOs.
 */
export const GOODPUT_BASES = ['CAPACITY_AT_DUTY_CYCLE', 'WORKLOAD_TOKENS'] as const;
export type GoodputBasis = (typeof GOODPUT_BASES)[number];

export interface FrontierFlag {
  code: FrontierFlagCode;
  message: string;
}

export interface FrontierPoint {
  /** The option id, with `#configuration` for a swept box's server configuration. */
  id: string;
  optionId: string;
  pathSlug: string;
  pathName: string;
  pathKind: PathKind;
  variantSlug: string;
  servedAs: ServedAs;
  /** The server configuration the box was swept under; null when none was named. */
  serverConfiguration: string | null;
  eligible: boolean;
  notEligibleReason: string | null;
  /** Monthly cost of the capacity that serves the workload (the numerator). */
  monthlyCost: Decimal;
  units: number;
  goodputBasis: GoodputBasis;
  /** Output tokens a month of requests meeting every SLO (the denominator); 0 when the SLOs are missed. */
  goodputTokensPerMonth: number;
  /** monthlyCost x 1e6 / goodputTokensPerMonth; null when no goodput (the SLOs are missed). */
  costPerMillionGoodputTokens: Decimal | null;
  /** The arithmetic with its inputs. */
  formula: string;
  /**
   * The workload's output tokens over the goodput tokens the units can serve (capacity-based points);
   * null for points whose goodput is the workload's own tokens.
   */
  utilization: number | null;
  /** Per-user (per-stream) decode tokens/s at the point the path is sized at. */
  decodeTokensPerSecondPerUser: number | null;
  concurrency: number | null;
  meetsSlo: boolean;
  acceptedRate: number | null;
  qualityGate: QualityGate;
  /** No other eligible point is both cheaper per goodput token and faster per user. */
  onFrontier: boolean;
  sweepId: string | null;
  /** Sweep and result ids (or assumption ids) first, then the price components of the cost. */
  evidenceIds: string[];
  priceComponentIds: string[];
  flags: FrontierFlag[];
}

export interface Frontier {
  now: string;
  outputTokensPerMonth: number;
  activeHoursPerMonth: number;
  rule: string;
  points: FrontierPoint[];
}

export const FRONTIER_RULE_TEXT =
  "$/1M goodput tokens = monthly cost x 1,000,000 / goodput output tokens a month (requests meeting every SLO, vLLM's goodput). Owned boxes and rented instances: the cost of the units needed / what they serve within the SLOs in the workload's active hours (goodput from the SLO sweep at the sized level, else the throughput on record, flagged). Provisioned Throughput, Custom Model Import (billed windows at the workload's shape), native fine-tune and on-demand tokens: the cost at the workload's volume / the workload's output tokens. The frontier is the Pareto set over (lower $/1M goodput tokens, higher per-user decode tok/s) among eligible points with a cost.";

const CAPACITY_KINDS: readonly PathKind[] = ['OWNED_BOX', 'RENTED_INSTANCE'];

interface Candidate {
  option: ServingOption;
  configuration: string | null;
  sizing: OperatingPoint | null;
  cost: MonthlyCost;
  meetsSlo: boolean;
  decode: number | null;
  acceptedRate: number | null;
}

/** Server configurations of a swept path, each sized on its own levels; else the option as decided. */
function candidatesOf(
  catalog: Catalog,
  entry: EvaluatedOption,
  workload: Workload,
  volume: number,
): Candidate[] {
  const { option, cost, profile } = entry;
  const asDecided: Candidate = {
    option,
    configuration: option.sizing?.serverConfiguration ?? null,
    sizing: option.sizing,
    cost,
    meetsSlo: profile.verdicts.FAST.pass,
    decode: profile.metrics.decodeTokensPerSecond,
    acceptedRate: profile.metrics.acceptedRate,
  };
  const sweepIds = [...new Set(option.points.flatMap((point) => (point.sweepId ? [point.sweepId] : [])))];
  if (sweepIds.length < 2) return [asDecided];
  return sweepIds.flatMap((sweepId) => {
    const points = option.points.filter((point) => point.sweepId === sweepId);
    const sizing = sizingPoint(points, workload);
    if (!sizing) return [];
    const built = buildCostModel({
      catalog,
      path: option.path,
      variant: option.servedVariant,
      box: option.box,
      workload,
      outputTokensPerSecondPerUnit: sizing.outputTokensPerSecondPerUnit,
      peakOutputTokensPerSecondPerMonthlyRequest: peakOutputTokensPerSecondPerMonthlyRequest(workload),
    });
    if (!built.ok) return [];
    return [
      {
        option,
        configuration: sizing.serverConfiguration ?? null,
        sizing,
        cost: built.model.costAt(volume),
        meetsSlo: meetsSpeed(sizing, workload),
        decode: sizing.decodeTokensPerSecondPerStream,
        acceptedRate: profile.metrics.acceptedRate,
      },
    ];
  });
}

/** Whether every objective of the sweep is at least as strict as the workload's (goodput then undercounts). */
function sweepAsStrict(sweep: SloSweepEvidence, workload: Workload): boolean {
  const tpotLimitMs =
    workload.minDecodeTokensPerSecond === null ? null : 1000 / workload.minDecodeTokensPerSecond;
  const tpotOk =
    tpotLimitMs === null || (sweep.slos.tpotMeanMs !== undefined && sweep.slos.tpotMeanMs <= tpotLimitMs);
  const ttftOk =
    workload.maxTtftMsP95 === null ||
    (sweep.slos.ttftP95Ms !== undefined && sweep.slos.ttftP95Ms <= workload.maxTtftMsP95);
  return tpotOk && ttftOk;
}

function sloText(sweep: SloSweepEvidence): string {
  return Object.entries(sweep.slos)
    .filter(([, value]) => value !== undefined)
    .map(([key, value]) => `${key} ${formatNumber(value as number, 1)}`)
    .join(', ');
}

function unitsText(units: number, label: string): string {
  if (units === 1) return `1 ${label}`;
  return `${units} ${/(x|s|ch|sh)$/.test(label) ? `${label}es` : `${label}s`}`;
}

function qualityGateOf(acceptedRate: number | null, workload: Workload): QualityGate {
  if (workload.minAcceptedRate === null) return 'PASS';
  if (acceptedRate === null) return 'UNEVALUATED';
  return acceptedRate >= workload.minAcceptedRate ? 'PASS' : 'FAIL';
}

function pointOf(catalog: Catalog, candidate: Candidate, workload: Workload, swept: boolean): FrontierPoint {
  const { option, sizing, cost } = candidate;
  const shape = trafficShapeOf(workload);
  const flags: FrontierFlag[] = [];
  const capacityBased = CAPACITY_KINDS.includes(option.path.kind) && sizing !== null;
  const activeHours = Math.min(HOURS_PER_MONTH, shape.activeHoursPerMonth);
  const unitLabel = option.costModel.unitLabel;

  let goodputPerUnit: number | null = null;
  if (sizing) {
    goodputPerUnit = sizing.goodputOutputTokensPerSecondPerUnit ?? null;
    if (sizing.basis === 'ASSUMED' || sizing.basis === 'ROOFLINE') {
      flags.push({
        code: 'ASSUMED_THROUGHPUT',
        message: `${option.id}: ${formatNumber(sizing.decodeTokensPerSecondPerStream)} tok/s per user${capacityBased || option.path.kind !== 'ON_DEMAND_TOKENS' ? ` and ${formatNumber(sizing.outputTokensPerSecondPerUnit)} tok/s per ${unitLabel}` : ''} rest on ${sizing.basis === 'ROOFLINE' ? 'a roofline estimate' : 'an assumption'} (${sizing.evidenceIds.join(', ')}), not a measurement.`,
      });
    } else if (sizing.basis === 'MEASURED_ON_BASE_MODEL') {
      flags.push({
        code: 'MEASURED_ON_BASE_MODEL',
        message: `${option.id}: speed measured on ${option.servedVariant.baseModelSlug}, the base model of ${option.servedVariant.slug} (${sizing.evidenceIds.join(', ')}).`,
      });
    }
    if (capacityBased && goodputPerUnit === null) {
      goodputPerUnit = sizing.outputTokensPerSecondPerUnit;
      if (sizing.measured)
        flags.push({
          code: 'GOODPUT_NOT_MEASURED',
          message: `${option.id}: throughput ${formatNumber(sizing.outputTokensPerSecondPerUnit)} tok/s per ${unitLabel} is measured, goodput is not: every request is taken to meet the SLOs. Run an SLO sweep (npx floorplan bench --slo-search) to measure it.`,
        });
    }
    if (sizing.sweepId) {
      const sweep = (catalog.sweepsByVariant.get(option.servedVariant.slug) ?? [])
        .concat(catalog.sweepsByVariant.get(option.servedVariant.baseModelSlug) ?? [])
        .find((entry) => entry.id === sizing.sweepId);
      // Sized at a level that met the workload's SLOs but missed the sweep's own stricter ones: the
      // sweep counted (next to) no goodput there, which says nothing about the workload's SLOs.
      const level = sweep?.levels.find((entry) => entry.resultId === sizing.evidenceIds[1]);
      if (sweep && level && !level.meetsSlo && capacityBased) {
        goodputPerUnit = sizing.outputTokensPerSecondPerUnit;
        flags.push({
          code: 'GOODPUT_AT_OTHER_SLOS',
          message: `${option.id}: sized at concurrency ${level.concurrency}, which meets the workload's SLOs but missed sweep ${sweep.id}'s own (${sloText(sweep)} ms), so the sweep counted no goodput at the workload's SLOs there; its throughput (${formatNumber(sizing.outputTokensPerSecondPerUnit)} tok/s per ${unitLabel}) is taken as goodput. Sweep again at the workload's SLOs to measure it.`,
        });
      } else if (sweep && !sweepAsStrict(sweep, workload))
        flags.push({
          code: 'GOODPUT_AT_OTHER_SLOS',
          message: `${option.id}: sweep ${sweep.id} counted goodput against ${sloText(sweep)} ms, looser than (or different from) the workload's SLOs; sweep again at the workload's SLOs.`,
        });
    }
  }
  if (!candidate.meetsSlo)
    flags.push({
      code: 'MISSES_SLO',
      message: `${option.id}${candidate.configuration ? ` (${candidate.configuration})` : ''}: no operating point on record meets the workload's SLOs, so no request counts as goodput.`,
    });

  const priceComponentIds = [
    ...new Set(cost.lines.filter((line) => !line.amount.isZero()).flatMap((line) => line.priceComponentIds)),
  ];
  const byId = new Map(option.costModel.priceComponents.map((component) => [component.id, component]));
  const weakPrices = priceComponentIds.filter((id) => {
    const component = byId.get(id);
    return component !== undefined && (component.isAssumption || component.confidence === 'U');
  });
  if (weakPrices.length > 0)
    flags.push({
      code: 'ASSUMED_PRICE',
      message: `${option.id}: the cost rests on ${weakPrices.length === 1 ? 'a price' : 'prices'} assumed or unconfirmed (U-grade): ${weakPrices.join(', ')}.`,
    });

  let goodputTokensPerMonth: number;
  let formula: string;
  const monthly = formatMoney(cost.total);
  if (capacityBased) {
    const perUnit = goodputPerUnit ?? 0;
    goodputTokensPerMonth = candidate.meetsSlo ? cost.units * perUnit * activeHours * 3600 : 0;
    formula = `${monthly}/month for ${unitsText(cost.units, unitLabel)} / (${cost.units} x ${formatNumber(perUnit)} goodput tok/s x ${formatNumber(activeHours)} active h x 3600 s)`;
  } else {
    goodputTokensPerMonth = candidate.meetsSlo ? shape.outputTokensPerMonth : 0;
    formula = `${monthly}/month at the workload's volume and shape / ${formatNumber(shape.outputTokensPerMonth, 0)} output tokens a month`;
  }
  const tokens = quantity(goodputTokensPerMonth);
  const costPerMillion = tokens.greaterThan(0) ? cost.total.times(1_000_000).dividedBy(tokens) : null;
  formula = costPerMillion
    ? `${formula} x 1,000,000 = ${formatMoney(costPerMillion)} per 1M goodput tokens`
    : `${formula}: no goodput at the workload's SLOs`;

  return {
    id: swept && candidate.configuration ? `${option.id}#${candidate.configuration}` : option.id,
    optionId: option.id,
    pathSlug: option.path.slug,
    pathName: option.path.name,
    pathKind: option.path.kind,
    variantSlug: option.servedVariant.slug,
    servedAs: option.servedAs,
    serverConfiguration: candidate.configuration,
    eligible: option.notEligibleReason === null,
    notEligibleReason: option.notEligibleReason,
    monthlyCost: cost.total,
    units: cost.units,
    goodputBasis: capacityBased ? 'CAPACITY_AT_DUTY_CYCLE' : 'WORKLOAD_TOKENS',
    goodputTokensPerMonth,
    costPerMillionGoodputTokens: costPerMillion,
    utilization:
      capacityBased && goodputTokensPerMonth > 0 ? shape.outputTokensPerMonth / goodputTokensPerMonth : null,
    formula,
    decodeTokensPerSecondPerUser: candidate.decode,
    concurrency: sizing?.concurrency ?? null,
    meetsSlo: candidate.meetsSlo,
    acceptedRate: candidate.acceptedRate,
    qualityGate: qualityGateOf(candidate.acceptedRate, workload),
    onFrontier: false,
    sweepId: sizing?.sweepId ?? null,
    evidenceIds: [...new Set([...(sizing?.evidenceIds ?? []), ...priceComponentIds])],
    priceComponentIds,
    flags,
  };
}

/** Larger-is-better on both: cheaper per goodput token, faster per user. */
function dominates(a: FrontierPoint, b: FrontierPoint): boolean {
  const costA = a.costPerMillionGoodputTokens as Decimal;
  const costB = b.costPerMillionGoodputTokens as Decimal;
  const speedA = a.decodeTokensPerSecondPerUser ?? Number.NEGATIVE_INFINITY;
  const speedB = b.decodeTokensPerSecondPerUser ?? Number.NEGATIVE_INFINITY;
  if (costA.greaterThan(costB) || speedA < speedB) return false;
  return costA.lessThan(costB) || speedA > speedB;
}

/**
 * $/1M goodput tokens for every path (and every server configuration of a swept box) at the
 * workload's SLOs, with the per-user speed, the quality gate and the Pareto frontier. Pure: the
 * snapshot carries `now`.
 */
export function frontier(workload: Workload, evidence: EvidenceSnapshot): Frontier {
  const issues = checkWorkloadAgainstEvidence(workload, evidence);
  if (issues.length > 0) throw new WorkloadError(issues);
  const catalog = buildCatalog(evidence);
  const settings = resolveOptions(workload, {
    analyses: { breakEvens: false, curves: false, sensitivity: false },
  });
  const core = evaluateCore(catalog, workload, settings);
  const shape = trafficShapeOf(workload);
  const points = core.evaluated.flatMap((entry) => {
    const candidates = candidatesOf(catalog, entry, workload, shape.requestsPerMonth);
    return candidates.map((candidate) => pointOf(catalog, candidate, workload, candidates.length > 1));
  });
  const ranked = points.filter((point) => point.eligible && point.costPerMillionGoodputTokens !== null);
  for (const point of ranked)
    point.onFrontier = !ranked.some((other) => other !== point && dominates(other, point));
  const order = (point: FrontierPoint) => point.costPerMillionGoodputTokens ?? new Decimal(Number.MAX_VALUE);
  points.sort((a, b) => order(a).comparedTo(order(b)) || a.id.localeCompare(b.id));
  return {
    now: evidence.now,
    outputTokensPerMonth: shape.outputTokensPerMonth,
    activeHoursPerMonth: Math.min(HOURS_PER_MONTH, shape.activeHoursPerMonth),
    rule: FRONTIER_RULE_TEXT,
    points,
  };
}
