import Decimal from 'decimal.js';
import { isAwaitingAnswer } from '../access';
import { type Catalog, capacityValue, daysBetween, isStale, STALE_AFTER_DAYS } from './catalog';
import type { MonthlyCost } from './cost/types';
import type { PriceComponent } from './evidence';
import { formatMoney, formatNumber } from './money';
import type { ServingOption } from './serving-options';
import type { OperatingPoint } from './throughput';
import { trafficShapeOf } from './traffic';
import type { Workload } from './workload';

export type Axis = 'FAST' | 'CHEAP' | 'HIGH_CONFIDENCE' | 'CONTROLLED' | 'AVAILABLE';
export const AXES: readonly Axis[] = ['FAST', 'CHEAP', 'HIGH_CONFIDENCE', 'CONTROLLED', 'AVAILABLE'];

/**
 * The words people type for an axis (CLI `--keep`, Slack `keeping=`), lower-case. Declared once so
 * the CLI and the bot accept the same words; the GraphQL enum names are accepted too.
 */
export const AXIS_WORDS: Readonly<Record<string, Axis>> = {
  fast: 'FAST',
  speed: 'FAST',
  latency: 'FAST',
  cheap: 'CHEAP',
  cost: 'CHEAP',
  budget: 'CHEAP',
  confidence: 'HIGH_CONFIDENCE',
  'high-confidence': 'HIGH_CONFIDENCE',
  high_confidence: 'HIGH_CONFIDENCE',
  quality: 'HIGH_CONFIDENCE',
  controlled: 'CONTROLLED',
  control: 'CONTROLLED',
  available: 'AVAILABLE',
  availability: 'AVAILABLE',
};

export const AXIS_WORDS_HINT = 'fast, cheap, high-confidence, controlled or available';

/** The axis a typed word names (any case), or null when it names none. */
export function axisOfWord(word: string): Axis | null {
  return AXIS_WORDS[word.trim().toLowerCase()] ?? null;
}

export function axisBit(axis: Axis): number {
  return 1 << AXES.indexOf(axis);
}

export function axesOfMask(mask: number): Axis[] {
  return AXES.filter((axis) => (mask & axisBit(axis)) !== 0);
}

export function maskOfAxes(axes: readonly Axis[]): number {
  let mask = 0;
  for (const axis of axes) mask |= axisBit(axis);
  return mask;
}

export interface AxisVerdict {
  axis: Axis;
  pass: boolean;
  /** A sentence for a person, true whether the axis passes or fails. */
  sentence: string;
  /** What is missing when it fails ("decode 20.5 tok/s vs 30 required"); null when it passes. */
  shortfall: string | null;
  evidenceIds: string[];
}

/** The measured facts the Pareto frontier compares, per option. */
export interface OptionMetrics {
  monthlyCost: Decimal;
  decodeTokensPerSecond: number | null;
  /** TTFT p95 including cold starts when they reach the tail. */
  effectiveTtftP95Ms: number | null;
  acceptedRate: number | null;
  /** Null when no lead time is on record (unknown, not zero). */
  leadTimeDays: number | null;
  /** 0–2: we hold the weights; the runtime (layer2b) is retained. */
  controlScore: number;
}

export interface AxisPolicy {
  /** With no budget, CHEAP passes within this multiple of the cheapest option. */
  cheapRatio: number;
  requireRuntimeRetained: boolean;
  maxCommitment: Decimal | null;
  stalePricesFailConfidence: boolean;
}

export const DEFAULT_CHEAP_RATIO = 2;

/** A request share above this hits a cold start often enough to set the p95 TTFT. */
const P95_TAIL_SHARE = 0.05;
/** A cost line carrying at least this share of the total is what the answer rests on. */
const DOMINANT_LINE_SHARE = new Decimal('0.5');

function fixed(value: number, digits = 1): string {
  return formatNumber(value, digits);
}

function percent(rate: number): string {
  return `${Math.round(rate * 100)}%`;
}

/**
 * The lead time on record: the path's own figure, raised by every access request answered (or still
 * waiting) since. Null when nothing is on record: unknown, which is not zero days — it fails
 * AVAILABLE whenever a needed-by date is set.
 */
export function effectiveLeadTime(
  catalog: Catalog,
  option: ServingOption,
): { days: number | null; evidenceIds: string[]; pending: boolean } {
  const lead = onRecord(catalog, option.path);
  return { days: lead.days, evidenceIds: [...lead.evidenceIds], pending: lead.pending };
}

/** What AVAILABLE reads of the access records: the lead time and the minimum commitments asked. */
interface AccessOnRecord {
  days: number | null;
  evidenceIds: readonly string[];
  pending: boolean;
  minimums: readonly { id: string; amount: Decimal }[];
}

/** The access records depend only on the catalog and the path: read once per pair. */
const accessOnRecord = new WeakMap<Catalog, WeakMap<ServingOption['path'], AccessOnRecord>>();

function onRecord(catalog: Catalog, path: ServingOption['path']): AccessOnRecord {
  let byPath = accessOnRecord.get(catalog);
  if (!byPath) {
    byPath = new WeakMap();
    accessOnRecord.set(catalog, byPath);
  }
  let known = byPath.get(path);
  if (!known) {
    known = {
      ...leadTimeOf(catalog, path),
      minimums: (catalog.accessByPath.get(path.slug) ?? [])
        .filter((record) => record.minimumCommitment !== null)
        .map((record) => ({ id: record.id, amount: record.minimumCommitment as Decimal })),
    };
    byPath.set(path, known);
  }
  return known;
}

function leadTimeOf(
  catalog: Catalog,
  path: ServingOption['path'],
): { days: number | null; evidenceIds: string[]; pending: boolean } {
  let days: number | null = path.leadTimeDays;
  const evidenceIds: string[] = [];
  let pending = false;
  for (const record of catalog.accessByPath.get(path.slug) ?? []) {
    if (record.outcome === 'APPROVED' && record.answeredAt) {
      days = Math.max(days ?? 0, daysBetween(record.requestedAt, Date.parse(record.answeredAt)));
      evidenceIds.push(record.id);
    } else if (isAwaitingAnswer(record.outcome) && !record.answeredAt) {
      days = Math.max(days ?? 0, daysBetween(record.requestedAt, catalog.nowMs));
      evidenceIds.push(record.id);
      pending = true;
    }
  }
  return { days, evidenceIds, pending };
}

function fastVerdict(
  option: ServingOption,
  cost: MonthlyCost,
  workload: Workload,
  words: boolean,
): { verdict: AxisVerdict; decode: number | null; ttft: number | null } {
  const point = option.sizing;
  if (!point) {
    const noSlo = workload.minDecodeTokensPerSecond === null && workload.maxTtftMsP95 === null;
    return {
      verdict: {
        axis: 'FAST',
        pass: noSlo,
        sentence: words ? `No speed evidence for ${option.servedVariant.name} on ${option.path.name}.` : '',
        shortfall: noSlo ? null : 'no measured or assumed decode speed to compare with the SLO',
        evidenceIds: [],
      },
      decode: null,
      ttft: null,
    };
  }
  let ttft = point.ttftP95Ms;
  let coldNote = '';
  if (option.path.scaleToZero && option.path.coldStartSeconds && cost.windows) {
    const requests = trafficShapeOf(workload).requestsPerMonth;
    const coldShare = requests > 0 ? cost.windows.coldStartsPerMonth / requests : 0;
    if (coldShare > P95_TAIL_SHARE) {
      ttft = Math.max(ttft ?? 0, option.path.coldStartSeconds * 1000);
      if (words) coldNote = ` (cold starts on ${percent(Math.min(1, coldShare))} of requests)`;
    }
  }
  const shortfalls: string[] = [];
  const decode = point.decodeTokensPerSecondPerStream;
  if (workload.minDecodeTokensPerSecond !== null && decode < workload.minDecodeTokensPerSecond) {
    shortfalls.push(
      words ? `decode ${fixed(decode)} tok/s vs ${fixed(workload.minDecodeTokensPerSecond)} required` : '',
    );
  }
  if (workload.maxTtftMsP95 !== null && ttft !== null && ttft > workload.maxTtftMsP95) {
    shortfalls.push(
      words
        ? `TTFT p95 ~${fixed(ttft, 0)} ms${coldNote} vs ${fixed(workload.maxTtftMsP95, 0)} ms required`
        : '',
    );
  }
  return {
    verdict: {
      axis: 'FAST',
      pass: shortfalls.length === 0,
      sentence: words ? fastSentence(option, point, decode, ttft, coldNote) : '',
      shortfall: shortfalls.length > 0 ? shortfalls.join('; ') : null,
      evidenceIds: point.evidenceIds,
    },
    decode,
    ttft,
  };
}

const BASIS_WORDS: Record<OperatingPoint['basis'], string> = {
  MEASURED: 'measured',
  MEASURED_ON_BASE_MODEL: 'measured on the base model',
  ASSUMED: 'assumed, not measured',
  ROOFLINE: 'roofline estimate, not measured',
};

function fastSentence(
  option: ServingOption,
  point: OperatingPoint,
  decode: number,
  ttft: number | null,
  coldNote: string,
): string {
  const sweptText = point.sweepId
    ? `; SLO sweep ${point.sweepId}${point.serverConfiguration ? `, configuration ${point.serverConfiguration}` : ''}`
    : '';
  return `${option.servedVariant.name} decodes ${fixed(decode)} tok/s per stream at concurrency ${point.concurrency} on ${option.path.name} (${BASIS_WORDS[point.basis]}${sweptText})${ttft !== null ? `, TTFT p95 ~${fixed(ttft, 0)} ms${coldNote}` : ''}.`;
}

function cheapVerdict(
  option: ServingOption,
  cost: MonthlyCost,
  workload: Workload,
  cheapest: Decimal,
  policy: AxisPolicy,
  words: boolean,
): AxisVerdict {
  const evidenceIds = words ? [...new Set(cost.lines.flatMap((line) => line.priceComponentIds))] : [];
  const monthly = words ? formatMoney(cost.total) : '';
  if (workload.monthlyBudget !== null) {
    const pass = cost.total.lessThanOrEqualTo(workload.monthlyBudget);
    if (!words) return { axis: 'CHEAP', pass, sentence: '', shortfall: pass ? null : '', evidenceIds };
    return {
      axis: 'CHEAP',
      pass,
      sentence: `${option.path.name} costs ${monthly}/month against a ${formatMoney(workload.monthlyBudget)} budget.`,
      shortfall: pass ? null : `costs ${monthly}/month vs ${formatMoney(workload.monthlyBudget)} budget`,
      evidenceIds,
    };
  }
  // Exact: within the ratio means total <= cheapest x ratio, the same test sensitivity's price
  // search makes (a ratio rounded to a double could pass a total a hair over it). The ratio itself
  // is only for the words.
  const pass = cost.total.lessThanOrEqualTo(cheapest.times(policy.cheapRatio));
  if (!words) return { axis: 'CHEAP', pass, sentence: '', shortfall: pass ? null : '', evidenceIds };
  const ratio = cheapest.isZero()
    ? cost.total.isZero()
      ? 1
      : Number.POSITIVE_INFINITY
    : cost.total.dividedBy(cheapest).toNumber();
  return {
    axis: 'CHEAP',
    pass,
    sentence: `${option.path.name} costs ${monthly}/month, ${fixed(ratio, 2)}x the cheapest feasible option (${formatMoney(cheapest)}); no budget given, so within ${policy.cheapRatio}x counts as cheap.`,
    shortfall: pass
      ? null
      : `costs ${monthly}/month, ${fixed(ratio, 1)}x the cheapest feasible (${formatMoney(cheapest)})`,
    evidenceIds,
  };
}

/** Each cost model's price components by id, built once per model (models are immutable). */
const componentsByModel = new WeakMap<ServingOption['costModel'], Map<string, PriceComponent>>();

/**
 * The dominant prices of each cost, found once per cost object: a cost (and the model it comes
 * from) is never changed by its reader, and sensitivity's scenarios are handed the same cost
 * objects again (costs without formulas are kept per model, volume and unit count).
 */
const dominantByCost = new WeakMap<MonthlyCost, readonly PriceComponent[]>();

function dominantPrices(cost: MonthlyCost, option: ServingOption): readonly PriceComponent[] {
  const known = dominantByCost.get(cost);
  if (known) return known;
  let byId = componentsByModel.get(option.costModel);
  if (!byId) {
    byId = new Map(option.costModel.priceComponents.map((component) => [component.id, component]));
    componentsByModel.set(option.costModel, byId);
  }
  const threshold = cost.total.times(DOMINANT_LINE_SHARE);
  const found: PriceComponent[] = [];
  for (const line of cost.lines) {
    if (!line.amount.greaterThanOrEqualTo(threshold) || line.amount.isZero()) continue;
    for (const id of line.priceComponentIds) {
      const component = byId.get(id);
      if (component !== undefined) found.push(component);
    }
  }
  dominantByCost.set(cost, found);
  return found;
}

/** Why a price under the main cost line fails HIGH_CONFIDENCE: unconfirmed, or (by policy) stale. */
function doubtOf(
  component: PriceComponent,
  catalog: Catalog,
  policy: AxisPolicy,
): 'UNCONFIRMED' | 'STALE' | null {
  if (component.confidence === 'U') return 'UNCONFIRMED';
  return policy.stalePricesFailConfidence && isStale(component, catalog) ? 'STALE' : null;
}

function highConfidenceVerdict(
  catalog: Catalog,
  option: ServingOption,
  cost: MonthlyCost,
  workload: Workload,
  policy: AxisPolicy,
  words: boolean,
): { verdict: AxisVerdict; acceptedRate: number | null } {
  const shortfalls: string[] = [];
  const evidenceIds: string[] = [];
  const sentences: string[] = [];
  const evaluations =
    option.servedAs === 'PLATFORM_TRAINED'
      ? []
      : (catalog.qualityByVariant.get(option.servedVariant.slug) ?? []);
  let best: { rate: number; id: string } | null = null;
  for (const evaluation of evaluations) {
    const rate = evaluation.total > 0 ? evaluation.accepted / evaluation.total : 0;
    if (words) evidenceIds.push(evaluation.id);
    if (!best || rate > best.rate) best = { rate, id: evaluation.id };
  }
  const rates = words
    ? evaluations.map((evaluation) => (evaluation.total > 0 ? evaluation.accepted / evaluation.total : 0))
    : [];
  const rateText = !words
    ? ''
    : rates.length > 1
      ? `${percent(Math.min(...rates))}–${percent(Math.max(...rates))}`
      : best
        ? percent(best.rate)
        : 'unevaluated';
  if (option.servedAs === 'BASE_ONLY') {
    if (words)
      sentences.push(
        `${option.path.name} serves base models only, so ${option.servedVariant.name} stands in (accepted ${rateText}).`,
      );
    if (workload.needsCustomWeights)
      shortfalls.push(
        words ? `serves the base model only (accepted ${rateText}); custom weights required` : '',
      );
  } else if (!words) {
    // Sentences only.
  } else if (option.servedAs === 'PLATFORM_TRAINED') {
    sentences.push(
      `${option.path.name} trains its own copy from our data; our evaluated weights do not carry over, so its quality is unevaluated.`,
    );
  } else {
    sentences.push(`${option.servedVariant.name} accepted ${rateText} on the frozen set.`);
  }
  if (workload.minAcceptedRate !== null) {
    if (!best)
      shortfalls.push(
        words
          ? `no accepted-rate evaluation for the model served here vs ${percent(workload.minAcceptedRate)} required`
          : '',
      );
    else if (best.rate < workload.minAcceptedRate) {
      shortfalls.push(
        words ? `accepted ${percent(best.rate)} vs ${percent(workload.minAcceptedRate)} required` : '',
      );
    }
  }
  const speedSloSet = workload.minDecodeTokensPerSecond !== null || workload.maxTtftMsP95 !== null;
  if (speedSloSet && option.sizing && !option.sizing.measured) {
    shortfalls.push(
      words
        ? `speed rests on an assumed ${fixed(option.sizing.decodeTokensPerSecondPerStream)} tok/s, not a measurement`
        : '',
    );
    if (words) evidenceIds.push(...option.sizing.evidenceIds);
  }
  // The dominant prices are some of the model's own: when none of those is in doubt, which lines
  // dominate does not matter (and is not worked out).
  let doubtful = false;
  for (const component of option.costModel.priceComponents)
    if (doubtOf(component, catalog, policy) !== null) doubtful = true;
  for (const component of doubtful ? dominantPrices(cost, option) : []) {
    const kind = doubtOf(component, catalog, policy);
    if (kind === 'UNCONFIRMED')
      shortfalls.push(words ? `main cost rests on an unconfirmed (U-grade) price ${component.id}` : '');
    else if (kind === 'STALE')
      shortfalls.push(
        words
          ? `main cost rests on a ${Math.floor(daysBetween(component.asOf, catalog.nowMs))}-day-old price (over ${STALE_AFTER_DAYS})`
          : '',
      );
    else continue;
    if (words) evidenceIds.push(component.id);
  }
  return {
    verdict: {
      axis: 'HIGH_CONFIDENCE',
      pass: shortfalls.length === 0,
      sentence: sentences.join(' '),
      shortfall: shortfalls.length > 0 ? shortfalls.join('; ') : null,
      evidenceIds: words ? [...new Set(evidenceIds)] : evidenceIds,
    },
    acceptedRate: best ? best.rate : null,
  };
}

function holdsWeights(option: ServingOption): boolean {
  if (option.servedAs === 'PLATFORM_TRAINED') return option.path.weightsExportable;
  if (option.servedAs === 'CUSTOM') return option.path.weightsExportable || option.path.bringYourOwnWeights;
  // Base weights are public; nothing of ours is placed on the path.
  return true;
}

function weightsWords(servedAs: ServingOption['servedAs'], weightsHeld: boolean): string {
  return {
    CUSTOM: weightsHeld ? 'our weights, which we keep' : 'our weights, which we cannot take back out',
    PLATFORM_TRAINED: weightsHeld
      ? 'a platform-trained model we can export'
      : 'a platform-trained model whose weights never leave the platform (metrics only)',
    BASE_ONLY: 'public base weights only',
    BASE: 'public base weights',
  }[servedAs];
}

function controlledVerdict(
  option: ServingOption,
  workload: Workload,
  policy: AxisPolicy,
  words: boolean,
): { verdict: AxisVerdict; score: number } {
  const shortfalls: string[] = [];
  const weightsHeld = holdsWeights(option);
  if (workload.mustOwnWeights && !weightsHeld) shortfalls.push('weights stay with the platform');
  if (policy.requireRuntimeRetained && !option.path.runtimeRetained)
    shortfalls.push('runtime (layer2b) is delegated to the platform');
  return {
    verdict: {
      axis: 'CONTROLLED',
      pass: shortfalls.length === 0,
      sentence: words
        ? `${option.path.name} serves ${weightsWords(option.servedAs, weightsHeld)}; runtime ${option.path.runtimeRetained ? 'retained' : 'delegated'}.`
        : '',
      shortfall: shortfalls.length > 0 ? shortfalls.join('; ') : null,
      evidenceIds: [option.path.id],
    },
    score: (weightsHeld && option.servedAs !== 'BASE_ONLY' ? 1 : 0) + (option.path.runtimeRetained ? 1 : 0),
  };
}

function availableVerdict(
  catalog: Catalog,
  option: ServingOption,
  cost: MonthlyCost,
  workload: Workload,
  policy: AxisPolicy,
  words: boolean,
): { verdict: AxisVerdict; leadTimeDays: number | null } {
  const lead = onRecord(catalog, option.path);
  const shortfalls: string[] = [];
  const evidenceIds = words ? [option.path.id, ...lead.evidenceIds] : [];
  if (workload.neededByDays !== null && lead.days === null) {
    shortfalls.push(
      words ? `lead time unknown (none on record) vs ${fixed(workload.neededByDays, 0)} days needed` : '',
    );
  } else if (workload.neededByDays !== null && lead.days !== null && lead.days > workload.neededByDays) {
    shortfalls.push(
      words
        ? `lead time ~${fixed(lead.days, 0)} days${lead.pending ? ' and still unanswered' : ''} vs ${fixed(workload.neededByDays, 0)} needed`
        : '',
    );
  }
  if (option.path.quotaWall.blocked)
    shortfalls.push(words ? `quota wall: ${option.path.quotaWall.note}` : '');
  const slugs = [option.servedVariant.slug, option.servedVariant.baseModelSlug];
  const unitCap = capacityValue(option.path, 'MAX_UNITS_WITHOUT_QUOTA_CASE', slugs);
  if (unitCap && cost.units > unitCap.value) {
    shortfalls.push(
      !words
        ? ''
        : option.path.kind === 'OWNED_BOX'
          ? `needs ${formatNumber(cost.units, 0)} boxes; the recorded supply and lead time cover ${unitCap.value} (more is a procurement of unknown lead time)`
          : `needs ${formatNumber(cost.units, 0)} ${option.costModel.unitLabel}s; ${unitCap.value} without a quota case`,
    );
    if (words) evidenceIds.push(unitCap.id);
  }
  if (policy.maxCommitment !== null) {
    const commitments = [
      ...lead.minimums,
      ...(cost.commitment ? [{ id: 'cost:commitment', amount: cost.commitment }] : []),
    ];
    for (const commitment of commitments) {
      if (commitment.amount.greaterThan(policy.maxCommitment)) {
        shortfalls.push(
          words
            ? `minimum commitment ${formatMoney(commitment.amount)} vs ${formatMoney(policy.maxCommitment)} acceptable`
            : '',
        );
        if (words && commitment.id !== 'cost:commitment') evidenceIds.push(commitment.id);
      }
    }
  }
  return {
    verdict: {
      axis: 'AVAILABLE',
      pass: shortfalls.length === 0,
      sentence: words
        ? `${option.path.name}: ${lead.days === null ? 'lead time unknown' : `lead time ~${fixed(lead.days, 0)} days`}${option.path.quotaRequired ? ', quota required' : ''}${option.path.quotaWall.blocked ? ' and blocked' : ''}.`
        : '',
      shortfall: shortfalls.length > 0 ? shortfalls.join('; ') : null,
      evidenceIds: words ? [...new Set(evidenceIds)] : evidenceIds,
    },
    leadTimeDays: lead.days,
  };
}

export interface AxisProfile {
  verdicts: Record<Axis, AxisVerdict>;
  /** Bit per failed axis, in `AXES` order. */
  failMask: number;
  metrics: OptionMetrics;
}

/**
 * Every axis but CHEAP: none of them depends on the other options. With `words` false the verdicts
 * pass and fail exactly as with it, but carry no sentences, empty shortfalls and no HIGH_CONFIDENCE
 * or AVAILABLE evidence ids (sensitivity's scenarios read only which axes pass).
 */
export function profileWithoutCheap(
  catalog: Catalog,
  option: ServingOption,
  cost: MonthlyCost,
  workload: Workload,
  policy: AxisPolicy,
  words = true,
): { verdicts: Omit<Record<Axis, AxisVerdict>, 'CHEAP'>; metrics: OptionMetrics } {
  const fast = fastVerdict(option, cost, workload, words);
  const quality = highConfidenceVerdict(catalog, option, cost, workload, policy, words);
  const control = controlledVerdict(option, workload, policy, words);
  const available = availableVerdict(catalog, option, cost, workload, policy, words);
  return {
    verdicts: {
      FAST: fast.verdict,
      HIGH_CONFIDENCE: quality.verdict,
      CONTROLLED: control.verdict,
      AVAILABLE: available.verdict,
    },
    metrics: {
      monthlyCost: cost.total,
      decodeTokensPerSecond: fast.decode,
      effectiveTtftP95Ms: fast.ttft,
      acceptedRate: quality.acceptedRate,
      leadTimeDays: available.leadTimeDays,
      controlScore: control.score,
    },
  };
}

/**
 * With no budget, CHEAP compares with the cheapest option that passes every other axis (the
 * cheapest feasible path); when no option does, with the cheapest option of all.
 */
export function cheapReference(
  partials: readonly { cost: MonthlyCost; verdicts: Omit<Record<Axis, AxisVerdict>, 'CHEAP'> }[],
): Decimal | null {
  let feasible: Decimal | null = null;
  let any: Decimal | null = null;
  for (const partial of partials) {
    const total = partial.cost.total;
    if (!any || total.lessThan(any)) any = total;
    const { FAST, HIGH_CONFIDENCE, CONTROLLED, AVAILABLE } = partial.verdicts;
    const othersPass = FAST.pass && HIGH_CONFIDENCE.pass && CONTROLLED.pass && AVAILABLE.pass;
    if (othersPass && (!feasible || total.lessThan(feasible))) feasible = total;
  }
  return feasible ?? any;
}

export function completeProfile(
  option: ServingOption,
  cost: MonthlyCost,
  workload: Workload,
  partial: { verdicts: Omit<Record<Axis, AxisVerdict>, 'CHEAP'>; metrics: OptionMetrics },
  reference: Decimal,
  policy: AxisPolicy,
  words = true,
): AxisProfile {
  // Written out rather than spread: spreading the four verdicts and adding a fifth cost more than
  // the rest of the profile (sensitivity builds one per option per scenario).
  const { FAST, HIGH_CONFIDENCE, CONTROLLED, AVAILABLE } = partial.verdicts;
  const verdicts: Record<Axis, AxisVerdict> = {
    FAST,
    HIGH_CONFIDENCE,
    CONTROLLED,
    AVAILABLE,
    CHEAP: cheapVerdict(option, cost, workload, reference, policy, words),
  };
  let failMask = 0;
  AXES.forEach((axis, index) => {
    if (!verdicts[axis].pass) failMask |= 1 << index;
  });
  return { verdicts, failMask, metrics: partial.metrics };
}
