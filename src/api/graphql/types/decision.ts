import type Decimal from 'decimal.js';
import { type GraphQLResolveInfo, Kind, type SelectionNode } from 'graphql';
import { recordAudit } from '../../../app/audit/record';
import { actorOf } from '../../../app/auth/identity';
import {
  answerWorkload,
  type DecisionAnswer,
  STORED_ANALYSES,
  toAnswer,
} from '../../../app/decisions/answer';
import { savedAnswer } from '../../../app/decisions/saved-answers';
import { AXES, type Axis } from '../../../domain/engine/axes';
import { CROSSING_KINDS, CROSSING_METHODS } from '../../../domain/engine/break-even';
import type { DecideOptions } from '../../../domain/engine/evaluate';
import { moneyAmount } from '../../../domain/engine/money';
import { SERVED_AS } from '../../../domain/engine/serving-options';
import { WARNING_CODES } from '../../../domain/engine/warnings';
import { BILLING_READINGS } from '../../../domain/engine/windows';
import { DEFAULT_HORIZON_MONTHS, rangeText, WORKLOAD_RANGES } from '../../../domain/engine/workload';
import { NotFoundError, ValidationError } from '../../../domain/errors';
import { builder } from '../builder';
import { MoneyRef } from '../scalars';
import { PathKindEnum } from './enums';

type OptionAnswer = DecisionAnswer['options'][number];
type VerdictAnswer = OptionAnswer['verdicts'][number];
type LineAnswer = OptionAnswer['cost']['lines'][number];
type KeptSetAnswer = DecisionAnswer['keptSets'][number];
type UnlockedAnswer = KeptSetAnswer['unlocked'][number];
type RecommendationAnswer = NonNullable<DecisionAnswer['recommendation']>;
type BreakEvenAnswer = DecisionAnswer['breakEvens'][number];
type CrossingAnswer = BreakEvenAnswer['crossings'][number];
type WarningAnswer = DecisionAnswer['warnings'][number];
type SensitivityAnswer = DecisionAnswer['sensitivity'][number];
type CurveAnswer = DecisionAnswer['curves'][number];
type PointAnswer = CurveAnswer['points'][number];
type ExcludedAnswer = DecisionAnswer['excluded'][number];
type WindowsAnswer = NonNullable<OptionAnswer['cost']['windows']>;
type UnitStepAnswer = CurveAnswer['steps'][number];

/** Money out of an answer: plain notation at the documented scale (`MONEY_SCALE`). */
const usd = (amount: Decimal | string) => ({ amount: moneyAmount(amount), currency: 'USD' });

/**
 * The fields asked for on the Decision, through fragments too (directives are ignored, so a field
 * under @skip is still computed: more work, never a missing answer).
 */
function selectedFieldNames(info: GraphQLResolveInfo): Set<string> {
  const names = new Set<string>();
  const visit = (selections: readonly SelectionNode[]) => {
    for (const selection of selections) {
      if (selection.kind === Kind.FIELD) names.add(selection.name.value);
      else if (selection.kind === Kind.INLINE_FRAGMENT) visit(selection.selectionSet.selections);
      else {
        const fragment = info.fragments[selection.name.value];
        if (fragment) visit(fragment.selectionSet.selections);
      }
    }
  };
  for (const node of info.fieldNodes) if (node.selectionSet) visit(node.selectionSet.selections);
  return names;
}

/**
 * The analyses worth running for this query: sensitivity re-decides dozens of times and break-evens
 * search every pair, so each runs only when its field is selected. The Decision type has no curves
 * (costCurve serves them), so decide never computes them.
 */
function analysesFor(info: GraphQLResolveInfo): NonNullable<DecideOptions['analyses']> {
  const names = selectedFieldNames(info);
  return { breakEvens: names.has('breakEvens'), sensitivity: names.has('sensitivity'), curves: false };
}

export const AxisEnum = builder.enumType('Axis', {
  description:
    'The five axes. To keep an axis is to accept a shortfall on it: keeping FAST means living with slower decode than asked, keeping CHEAP paying over budget, keeping HIGH_CONFIDENCE resting on weaker evidence or a lower accepted rate, keeping CONTROLLED leaving weights or runtime with the platform, keeping AVAILABLE waiting longer or hitting a quota or commitment wall.',
  values: AXES,
});

export const ServedAsEnum = builder.enumType('ServedAs', {
  description:
    'CUSTOM (your weights), PLATFORM_TRAINED (trained by the platform), BASE_ONLY (only the base model is servable where custom weights were asked for), BASE (the base model was asked for).',
  values: SERVED_AS,
});

const WarningCodeEnum = builder.enumType('WarningCode', { values: WARNING_CODES });

const CrossingKindEnum = builder.enumType('CrossingKind', {
  description: 'EQUAL: the costs meet; STEP: one adds a unit and jumps over.',
  values: CROSSING_KINDS,
});

const CrossingMethodEnum = builder.enumType('CrossingMethod', { values: CROSSING_METHODS });

const CostLineRef = builder.objectRef<LineAnswer>('CostLine').implement({
  authScopes: { catalogReader: true },
  fields: (t) => ({
    label: t.exposeString('label'),
    amount: t.field({ type: MoneyRef, resolve: (line) => usd(line.amount) }),
    formula: t.exposeString('formula', { description: 'The arithmetic with its inputs.' }),
    priceComponentIds: t.exposeStringList('priceComponentIds', {
      description: 'Price component slugs used.',
    }),
  }),
});

const VerdictRef = builder.objectRef<VerdictAnswer>('AxisVerdict').implement({
  authScopes: { catalogReader: true },
  fields: (t) => ({
    axis: t.field({ type: AxisEnum, resolve: (verdict) => verdict.axis }),
    pass: t.exposeBoolean('pass'),
    sentence: t.exposeString('sentence'),
    shortfall: t.exposeString('shortfall', { nullable: true }),
    evidenceIds: t.exposeStringList('evidenceIds', {
      description:
        'Slugs or ids of the benchmark results, evaluations, prices and access records it rests on.',
    }),
  }),
});

const BillingReadingEnum = builder.enumType('BillingReading', {
  description:
    'How Custom Model Import windows are read: CLOCK_ALIGNED (a 5-minute clock window is billed when the copy is warm at any moment in it; the stated reading) or WARM_PERIOD (each warm period billed as whole windows from its first call).',
  values: BILLING_READINGS,
});

const BilledWindowsRef = builder.objectRef<WindowsAnswer>('BilledWindows').implement({
  description: 'Billed windows, warm time and cold starts per month for one copy of a window-billed path.',
  authScopes: { catalogReader: true },
  fields: (t) => ({
    reading: t.field({ type: BillingReadingEnum, resolve: (windows) => windows.reading }),
    billedWindowsPerMonth: t.exposeFloat('billedWindowsPerMonth'),
    billedCopyHoursPerMonth: t.exposeFloat('billedCopyHoursPerMonth', {
      description: 'Billed windows x 5 minutes, in hours: what one copy is charged for.',
    }),
    warmHoursPerMonth: t.exposeFloat('warmHoursPerMonth', {
      description: 'Expected time the copy is actually warm (calls plus the 5-minute idle tail), hours.',
    }),
    coldStartsPerMonth: t.exposeFloat('coldStartsPerMonth', {
      description: 'Returns from zero: each one is a cold start.',
    }),
  }),
});

const UnitStepRef = builder.objectRef<UnitStepAnswer>('UnitStep').implement({
  description: 'A volume where the path needs another unit (box, model unit, instance, copy).',
  authScopes: { catalogReader: true },
  fields: (t) => ({
    requestsPerMonth: t.exposeFloat('requestsPerMonth', {
      description: 'The first volume that needs toUnits.',
    }),
    fromUnits: t.exposeFloat('fromUnits'),
    toUnits: t.exposeFloat('toUnits'),
  }),
});

const PathAnswerRef = builder.objectRef<OptionAnswer>('PathAnswer').implement({
  authScopes: { catalogReader: true },
  description: 'One serving option (a path serving a model variant) for the workload.',
  fields: (t) => ({
    optionId: t.exposeString('optionId'),
    pathSlug: t.exposeString('pathSlug'),
    pathName: t.exposeString('pathName'),
    pathKind: t.field({ type: PathKindEnum, resolve: (option) => option.pathKind }),
    requestedVariant: t.exposeString('requestedVariantSlug'),
    servedVariant: t.exposeString('servedVariantSlug'),
    servedAs: t.field({ type: ServedAsEnum, resolve: (option) => option.servedAs }),
    eligible: t.boolean({
      description:
        'False for a base model standing in for required custom weights: shown for comparison, never recommended, never in a kept set, never the cheapest.',
      // Decisions saved before eligibility was recorded carry no flag; their recommendation stands.
      resolve: (option) => option.eligible ?? true,
    }),
    monthlyCost: t.field({ type: MoneyRef, resolve: (option) => usd(option.cost.total) }),
    costLow: t.field({
      type: MoneyRef,
      nullable: true,
      description: 'Low end of the cost under the other billing reading (window-billed paths).',
      resolve: (option) => (option.cost.range ? usd(option.cost.range.low) : null),
    }),
    costHigh: t.field({
      type: MoneyRef,
      nullable: true,
      resolve: (option) => (option.cost.range ? usd(option.cost.range.high) : null),
    }),
    commitment: t.field({
      type: MoneyRef,
      nullable: true,
      description:
        'Upfront or locked spend the path demands: the purchase of every box bought (boxes x price), a commitment term, a capacity block paid up front; null when none.',
      resolve: (option) => (option.cost.commitment ? usd(option.cost.commitment) : null),
    }),
    unitsNeeded: t.float({ resolve: (option) => option.cost.units }),
    costLines: t.field({ type: [CostLineRef], resolve: (option) => option.cost.lines }),
    verdicts: t.field({ type: [VerdictRef], resolve: (option) => option.verdicts }),
    failedAxes: t.field({ type: [AxisEnum], resolve: (option) => option.failedAxes }),
    decodeTokensPerSecond: t.float({
      nullable: true,
      resolve: (option) => option.metrics.decodeTokensPerSecond,
    }),
    effectiveTtftP95Ms: t.float({ nullable: true, resolve: (option) => option.metrics.effectiveTtftP95Ms }),
    acceptedRate: t.float({ nullable: true, resolve: (option) => option.metrics.acceptedRate }),
    leadTimeDays: t.float({
      nullable: true,
      description:
        'Null when no lead time is on record: unknown, which fails AVAILABLE when neededByDays is set.',
      resolve: (option) => option.metrics.leadTimeDays ?? null,
    }),
    windows: t.field({
      type: BilledWindowsRef,
      nullable: true,
      description:
        'Billed windows, warm time and cold starts per month under the stated billing reading (window-billed paths only); the other reading is the cost range.',
      resolve: (option) => option.cost.windows,
    }),
  }),
});

const ShortfallRef = builder.objectRef<UnlockedAnswer['shortfalls'][number]>('KeptShortfall').implement({
  authScopes: { catalogReader: true },
  fields: (t) => ({
    axis: t.field({ type: AxisEnum, resolve: (item) => item.axis }),
    shortfall: t.exposeString('shortfall'),
  }),
});

const UnlockedRef = builder.objectRef<UnlockedAnswer>('UnlockedPath').implement({
  authScopes: { catalogReader: true },
  fields: (t) => ({
    optionId: t.exposeString('optionId'),
    pathSlug: t.exposeString('pathSlug'),
    variantSlug: t.exposeString('variantSlug'),
    monthlyCost: t.field({ type: MoneyRef, resolve: (item) => usd(item.monthlyCost) }),
    shortfalls: t.field({ type: [ShortfallRef], resolve: (item) => item.shortfalls }),
  }),
});

const KeptSetRef = builder.objectRef<KeptSetAnswer>('KeptSet').implement({
  authScopes: { catalogReader: true },
  description:
    'A minimal set of constraints to keep — axes on which you accept a shortfall — (no proper subset works), and the eligible paths it unlocks.',
  fields: (t) => ({
    kept: t.field({ type: [AxisEnum], resolve: (set) => set.kept }),
    unlocked: t.field({ type: [UnlockedRef], resolve: (set) => set.unlocked }),
  }),
});

const RecommendationRef = builder.objectRef<RecommendationAnswer>('Recommendation').implement({
  authScopes: { catalogReader: true },
  description:
    'The cheapest eligible path among those that keep the fewest constraints (or, with `keep`, the cheapest meeting every constraint not kept).',
  fields: (t) => ({
    optionId: t.exposeString('optionId'),
    pathSlug: t.exposeString('pathSlug'),
    variantSlug: t.exposeString('variantSlug'),
    kept: t.field({
      type: [AxisEnum],
      description: 'The axes this path falls short on: keeping them means accepting these shortfalls.',
      resolve: (item) => item.kept,
    }),
    shortfalls: t.field({
      type: [ShortfallRef],
      description: 'The shortfall accepted on each kept axis, e.g. FAST: "decode 20.5 tok/s vs 30 required".',
      resolve: (item) => item.shortfalls ?? [],
    }),
    monthlyCost: t.field({ type: MoneyRef, resolve: (item) => usd(item.monthlyCost) }),
    reasons: t.exposeStringList('reasons'),
  }),
});

const CrossingRef = builder.objectRef<CrossingAnswer>('BreakEvenCrossing').implement({
  authScopes: { catalogReader: true },
  fields: (t) => ({
    requestsPerMonth: t.exposeFloat('requestsPerMonth'),
    tokensPerMonth: t.exposeFloat('tokensPerMonth'),
    costA: t.field({ type: MoneyRef, resolve: (item) => usd(item.costA) }),
    costB: t.field({ type: MoneyRef, resolve: (item) => usd(item.costB) }),
    kind: t.field({ type: CrossingKindEnum, resolve: (item) => item.kind }),
    method: t.field({ type: CrossingMethodEnum, resolve: (item) => item.method }),
    cheaperBelow: t.exposeString('cheaperBelow'),
  }),
});

const BreakEvenRef = builder.objectRef<BreakEvenAnswer>('BreakEven').implement({
  authScopes: { catalogReader: true },
  fields: (t) => ({
    optionA: t.exposeString('optionA'),
    optionB: t.exposeString('optionB'),
    crossings: t.field({
      type: [CrossingRef],
      description: 'Empty: the costs never cross in the volume range.',
      resolve: (item) => item.crossings,
    }),
    activeCopyHours: t.exposeFloat('activeCopyHours', { nullable: true }),
    summary: t.exposeString('summary'),
  }),
});

const WarningRef = builder.objectRef<WarningAnswer>('DecisionWarning').implement({
  authScopes: { catalogReader: true },
  fields: (t) => ({
    code: t.field({ type: WarningCodeEnum, resolve: (warning) => warning.code }),
    optionId: t.exposeString('optionId'),
    affectsRecommendation: t.exposeBoolean('affectsRecommendation'),
    evidenceIds: t.exposeStringList('evidenceIds'),
    message: t.exposeString('message'),
  }),
});

const SensitivityRef = builder.objectRef<SensitivityAnswer>('SensitivityFinding').implement({
  authScopes: { catalogReader: true },
  description:
    "One input changed on its own and where the recommendation changes. Each flip is verified before it is reported: the decision is re-run at flipsAt (the answer there is newRecommendation) and at holdsAt, the nearest value on today's side (the answer there is still today's).",
  fields: (t) => ({
    input: t.exposeString('input'),
    priceComponentId: t.exposeString('priceComponentId', { nullable: true }),
    description: t.exposeString('description'),
    baseline: t.exposeString('baseline'),
    flipsAt: t.exposeString('flipsAt', { nullable: true }),
    flipsAtValue: t.float({
      nullable: true,
      description: 'The volume factor, SLO (tok/s), months or days where it flips; null for PRICE.',
      resolve: (item) => item.flipsAtValue ?? null,
    }),
    holdsAtValue: t.float({ nullable: true, resolve: (item) => item.holdsAtValue ?? null }),
    flipsAtPrice: t.field({
      type: MoneyRef,
      nullable: true,
      description: 'PRICE only: the exact price at which the recommendation changes.',
      resolve: (item) => (item.flipsAtAmount ? usd(item.flipsAtAmount) : null),
    }),
    holdsAtPrice: t.field({
      type: MoneyRef,
      nullable: true,
      description: "PRICE only: the nearest price on today's side at which it still stands.",
      resolve: (item) => (item.holdsAtAmount ? usd(item.holdsAtAmount) : null),
    }),
    newRecommendation: t.exposeString('newRecommendation', { nullable: true }),
    searched: t.exposeString('searched'),
  }),
});

const CurvePointRef = builder.objectRef<PointAnswer>('CostCurvePoint').implement({
  authScopes: { catalogReader: true },
  fields: (t) => ({
    requestsPerMonth: t.exposeFloat('requestsPerMonth'),
    tokensPerMonth: t.exposeFloat('tokensPerMonth'),
    monthlyCost: t.field({ type: MoneyRef, resolve: (point) => usd(point.monthlyCost) }),
    units: t.exposeFloat('units'),
  }),
});

const CurveRef = builder.objectRef<CurveAnswer>('CostCurve').implement({
  authScopes: { catalogReader: true },
  fields: (t) => ({
    optionId: t.exposeString('optionId'),
    points: t.field({ type: [CurvePointRef], resolve: (curve) => curve.points }),
    steps: t.field({
      type: [UnitStepRef],
      description: 'Volumes where another unit is needed.',
      resolve: (curve) => curve.steps,
    }),
  }),
});

type NotEligibleAnswer = DecisionAnswer['notEligible'][number];
type NoRecommendationAnswer = NonNullable<DecisionAnswer['noRecommendation']>;

const NotEligibleRef = builder.objectRef<NotEligibleAnswer>('NotEligiblePath').implement({
  authScopes: { catalogReader: true },
  description: 'A path that can be costed but may not be recommended for this workload, with why.',
  fields: (t) => ({
    optionId: t.exposeString('optionId'),
    pathSlug: t.exposeString('pathSlug'),
    variantSlug: t.exposeString('variantSlug'),
    reason: t.exposeString('reason'),
  }),
});

const NoRecommendationCodeEnum = builder.enumType('NoRecommendationCode', {
  description:
    'NO_ELIGIBLE_PATH: nothing on offer can serve the workload (only base-model stand-ins, or nothing). NO_PATH_MEETS_CONSTRAINTS: eligible paths exist, but none meets every constraint you did not keep.',
  values: ['NO_ELIGIBLE_PATH', 'NO_PATH_MEETS_CONSTRAINTS'] as const,
});

const NoRecommendationRef = builder.objectRef<NoRecommendationAnswer>('NoRecommendation').implement({
  authScopes: { catalogReader: true },
  fields: (t) => ({
    code: t.field({ type: NoRecommendationCodeEnum, resolve: (item) => item.code }),
    message: t.exposeString('message'),
  }),
});

const ExcludedRef = builder.objectRef<ExcludedAnswer>('ExcludedPath').implement({
  authScopes: { catalogReader: true },
  fields: (t) => ({
    pathSlug: t.exposeString('pathSlug'),
    variantSlug: t.exposeString('variantSlug'),
    reason: t.exposeString('reason'),
  }),
});

interface DecisionView {
  id: string | null;
  answer: DecisionAnswer;
}

export const DecisionRef = builder.objectRef<DecisionView>('Decision').implement({
  authScopes: { catalogReader: true },
  description: 'Which paths can serve the workload, what each costs, and which constraint you keep on each.',
  fields: (t) => ({
    id: t.id({ nullable: true, description: 'Set when the decision was saved.', resolve: (view) => view.id }),
    computedAt: t.string({ resolve: (view) => view.answer.now }),
    billingRule: t.string({ resolve: (view) => view.answer.billingRule }),
    roundingRule: t.string({ resolve: (view) => view.answer.roundingRule }),
    requestsPerMonth: t.float({ resolve: (view) => view.answer.requestsPerMonth }),
    tokensPerMonth: t.float({ resolve: (view) => view.answer.tokensPerMonth }),
    paths: t.field({ type: [PathAnswerRef], resolve: (view) => view.answer.options }),
    excluded: t.field({ type: [ExcludedRef], resolve: (view) => view.answer.excluded }),
    notEligible: t.field({
      type: [NotEligibleRef],
      description: 'Paths listed apart: costed for comparison but never recommended, with why.',
      resolve: (view) => view.answer.notEligible ?? [],
    }),
    minimalKeptSets: t.field({
      type: [KeptSetRef],
      description:
        'Minimal sets of constraints to keep (accept a shortfall on), over eligible paths only, smallest first.',
      resolve: (view) => view.answer.keptSets,
    }),
    feasible: t.field({
      type: [UnlockedRef],
      nullable: true,
      description: 'With `keep`: the paths feasible under it, cheapest first.',
      resolve: (view) => view.answer.feasibleUnderKeep,
    }),
    pareto: t.stringList({
      description: 'Option ids on the Pareto frontier.',
      resolve: (view) => view.answer.pareto,
    }),
    recommendation: t.field({
      type: RecommendationRef,
      nullable: true,
      description: 'Null only when `noRecommendation` says why.',
      resolve: (view) => view.answer.recommendation,
    }),
    noRecommendation: t.field({
      type: NoRecommendationRef,
      nullable: true,
      description:
        'Why there is no recommendation: no eligible path at all, or none meets the constraints you did not keep.',
      resolve: (view) => view.answer.noRecommendation ?? null,
    }),
    breakEvens: t.field({ type: [BreakEvenRef], resolve: (view) => view.answer.breakEvens }),
    sensitivity: t.field({ type: [SensitivityRef], resolve: (view) => view.answer.sensitivity }),
    warnings: t.field({ type: [WarningRef], resolve: (view) => view.answer.warnings }),
  }),
});

/**
 * Defaults of the optional workload fields, stated in the SDL (GraphiQL shows them) and so applied
 * by GraphQL itself before the engine sees the workload: traffic around the clock every day, a
 * 36-month horizon (the engine's own default, a box's usual amortization), Poisson arrivals at a
 * flat rate, the base model is enough.
 */
export const WORKLOAD_DEFAULTS = {
  activeHoursPerDay: 24,
  activeDaysPerMonth: 30,
  burstiness: 1,
  peakToMean: 1,
  horizonMonths: DEFAULT_HORIZON_MONTHS,
  needsCustomWeights: false,
  mustOwnWeights: false,
  region: 'us-east-1',
} as const;

/** A field's description with its accepted range, from the one table the validation uses. */
const ranged = (field: keyof typeof WORKLOAD_RANGES, text: string) =>
  `${text} Range: ${rangeText(WORKLOAD_RANGES[field])}; outside it the request fails with BAD_USER_INPUT naming the field and the range.`;

export const WorkloadInputRef = builder.inputType('WorkloadInput', {
  description: 'The workload to place. Money (monthlyBudget) is a decimal string.',
  fields: (t) => ({
    requestsPerDay: t.float({
      required: true,
      description: ranged('requestsPerDay', 'Requests per active day.'),
    }),
    meanInputTokens: t.float({
      required: true,
      description: ranged('meanInputTokens', 'Mean input tokens per request.'),
    }),
    meanOutputTokens: t.float({
      required: true,
      description: ranged('meanOutputTokens', 'Mean output tokens per request.'),
    }),
    activeHoursPerDay: t.float({
      required: true,
      defaultValue: WORKLOAD_DEFAULTS.activeHoursPerDay,
      description: ranged(
        'activeHoursPerDay',
        'Hours of traffic per active day (default: around the clock).',
      ),
    }),
    activeDaysPerMonth: t.float({
      required: true,
      defaultValue: WORKLOAD_DEFAULTS.activeDaysPerMonth,
      description: ranged('activeDaysPerMonth', 'Days with traffic per month (default: every day).'),
    }),
    burstiness: t.float({
      required: true,
      defaultValue: WORKLOAD_DEFAULTS.burstiness,
      description: ranged('burstiness', '1 = Poisson arrivals; above 1 = clustered.'),
    }),
    peakToMean: t.float({
      required: true,
      defaultValue: WORKLOAD_DEFAULTS.peakToMean,
      description: ranged('peakToMean', 'Peak arrival rate over the mean within active hours; 1 = flat.'),
    }),
    model: t.string({ required: true, description: 'Model or variant slug, e.g. "llama-3.1-8b-lora".' }),
    needsCustomWeights: t.boolean({
      required: true,
      defaultValue: WORKLOAD_DEFAULTS.needsCustomWeights,
      description: 'The fine-tuned weights must be served (a base-model-only path is not eligible).',
    }),
    mustOwnWeights: t.boolean({
      required: true,
      defaultValue: WORKLOAD_DEFAULTS.mustOwnWeights,
      description: 'The weights must stay exportable (CONTROLLED).',
    }),
    minDecodeTokensPerSecond: t.float({
      required: false,
      description: ranged(
        'minDecodeTokensPerSecond',
        'Slowest acceptable decode per stream (FAST); none when omitted.',
      ),
    }),
    maxTtftMsP95: t.float({
      required: false,
      description: ranged('maxTtftMsP95', 'p95 time-to-first-token limit, ms (FAST); none when omitted.'),
    }),
    minAcceptedRate: t.float({
      required: false,
      description: ranged(
        'minAcceptedRate',
        'Fraction of answers that must be accepted (HIGH_CONFIDENCE); none when omitted.',
      ),
    }),
    neededByDays: t.float({
      required: false,
      description: ranged('neededByDays', 'Days until it must serve (AVAILABLE); none when omitted.'),
    }),
    horizonMonths: t.float({
      required: true,
      defaultValue: WORKLOAD_DEFAULTS.horizonMonths,
      description: ranged('horizonMonths', 'Months the workload runs; a box is never charged over more.'),
    }),
    amortizationMonths: t.float({
      required: false,
      description: ranged(
        'amortizationMonths',
        "Months over which a bought box's price is spread; the box's own figure when omitted (36 for the Spark), never longer than the horizon.",
      ),
    }),
    monthlyBudget: t.field({
      type: 'Decimal',
      required: false,
      description: 'Monthly budget (CHEAP), any plain non-negative decimal string; none when omitted.',
    }),
    region: t.string({ required: true, defaultValue: WORKLOAD_DEFAULTS.region }),
  }),
});

type WorkloadArgument = typeof WorkloadInputRef.$inferInput;

/** The engine reads the GraphQL input's names; drop unset fields so the engine's defaults apply. */
export function toWorkloadInput(input: WorkloadArgument): Record<string, unknown> {
  const { monthlyBudget, ...rest } = input;
  const defined = Object.fromEntries(
    Object.entries(rest).filter(([, value]) => value !== null && value !== undefined),
  );
  return { ...defined, ...(monthlyBudget ? { monthlyBudget: monthlyBudget.toFixed() } : {}) };
}

/**
 * An "as of" moment, never in the future, which no evidence can speak for. Absent: undefined, the
 * current evidence (which the API keeps cached between answers; a past moment is read afresh).
 */
export function asOfOrThrow(asOf: Date | null | undefined): Date | undefined {
  const now = new Date();
  if (!asOf) return undefined;
  if (asOf.getTime() > now.getTime())
    throw new ValidationError([
      { path: 'asOf', message: `is in the future (${asOf.toISOString()}); give a moment up to now` },
    ]);
  return asOf;
}

function keepOption(keep: readonly Axis[] | null | undefined): DecideOptions {
  return keep ? { keep: [...new Set(keep)] } : {};
}

const SavedDecisionRef = builder.prismaObject('Decision', {
  authScopes: { viewer: true },
  name: 'SavedDecision',
  // Only what the selected fields need: without it every scalar is read, the ~45 kB stored answer
  // included, for each row of a listing that shows none of it.
  select: { id: true },
  fields: (t) => ({
    id: t.exposeID('id'),
    createdBy: t.exposeString('createdBy'),
    requestedBy: t.string({
      description:
        'Who asked: the person a service token saved it for (saveDecision onBehalfOf, e.g. "slack:U024BE7LH"), else createdBy.',
      select: { requestedBy: true, createdBy: true },
      resolve: (row) => row.requestedBy ?? row.createdBy,
    }),
    name: t.string({
      description: 'The name given when saving (saveDecision name), else "<model> workload".',
      select: { workload: { select: { name: true } } },
      resolve: (row) => row.workload.name,
    }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
    keep: t.field({
      type: [AxisEnum],
      select: { keep: true },
      resolve: (row) => row.keep.filter((axis): axis is Axis => (AXES as readonly string[]).includes(axis)),
    }),
    workload: t.field({ type: 'JSON', select: { workload: true }, resolve: (row) => row.workload.input }),
    decision: t.field({
      type: DecisionRef,
      description: 'The answer as it was given, with the evidence it cited then.',
      // The answer is read apart, and kept parsed (app/decisions/saved-answers.ts): a stored answer
      // never changes, and a listing would otherwise read and parse ~45 kB of JSON a row every time.
      select: { id: true },
      resolve: async (row, _args, { prisma }) => ({
        id: row.id,
        answer: (await savedAnswer(prisma, row.id)) as DecisionAnswer,
      }),
    }),
  }),
});

builder.queryFields((t) => ({
  decide: t.field({
    type: DecisionRef,
    authScopes: { catalogReader: true },
    args: {
      workload: t.arg({ type: WorkloadInputRef, required: true }),
      keep: t.arg({
        type: [AxisEnum],
        required: false,
        description:
          'Constraints you are willing to keep, that is, axes on which you accept a shortfall (keep FAST = live with slower decode than asked). Omit to get the minimal sets instead.',
      }),
      asOf: t.arg({
        type: 'DateTime',
        required: false,
        description:
          'Answer with the evidence known at this moment: the price values in effect and recorded by then, the results, evaluations and access attempts stored by then. A saved decision recomputes exactly with asOf = its createdAt.',
      }),
    },
    resolve: async (_root, args, { prisma }, info) => {
      const { decision } = await answerWorkload(
        prisma,
        toWorkloadInput(args.workload),
        { ...keepOption(args.keep), analyses: analysesFor(info) },
        asOfOrThrow(args.asOf),
      );
      return { id: null, answer: decision };
    },
  }),
  breakEven: t.field({
    type: [BreakEvenRef],
    authScopes: { catalogReader: true },
    description: 'Where two paths cost the same for this workload shape.',
    args: {
      workload: t.arg({ type: WorkloadInputRef, required: true }),
      pathA: t.arg.string({ required: true }),
      pathB: t.arg.string({ required: true }),
      asOf: t.arg({
        type: 'DateTime',
        required: false,
        description: 'As in decide: the evidence known then.',
      }),
    },
    resolve: async (_root, args, { prisma }) => {
      const { decision } = await answerWorkload(
        prisma,
        toWorkloadInput(args.workload),
        { analyses: { breakEvens: true, curves: false, sensitivity: false } },
        asOfOrThrow(args.asOf),
      );
      const pathOf = new Map(decision.options.map((option) => [option.optionId, option.pathSlug]));
      for (const slug of [args.pathA, args.pathB]) {
        if (![...pathOf.values()].includes(slug)) {
          throw new NotFoundError(
            'path option for this workload',
            slug,
            `Options: ${[...new Set(pathOf.values())].join(', ')}.`,
          );
        }
      }
      const wanted = new Set([args.pathA, args.pathB]);
      return decision.breakEvens.filter(
        (item) =>
          wanted.has(pathOf.get(item.optionA) ?? '') &&
          wanted.has(pathOf.get(item.optionB) ?? '') &&
          pathOf.get(item.optionA) !== pathOf.get(item.optionB),
      );
    },
  }),
  costCurve: t.field({
    type: [CurveRef],
    authScopes: { catalogReader: true },
    description: 'Monthly cost over a log-spaced volume range (requests per month), per path.',
    args: {
      workload: t.arg({ type: WorkloadInputRef, required: true }),
      paths: t.arg.stringList({ required: false, description: 'Path slugs; all when omitted.' }),
      from: t.arg.float({ required: true, description: 'Requests per month.' }),
      to: t.arg.float({ required: true }),
      steps: t.arg.int({ required: true, description: '2 to 2000 points.' }),
    },
    resolve: async (_root, args, { prisma }) => {
      const issues = [];
      if (!(args.from > 0))
        issues.push({ path: 'from', message: 'must be greater than 0 (the axis is logarithmic)' });
      if (!(args.to > args.from)) issues.push({ path: 'to', message: 'must be greater than from' });
      if (args.steps < 2 || args.steps > 2000)
        issues.push({ path: 'steps', message: 'must be between 2 and 2000' });
      if (issues.length) throw new ValidationError(issues);
      const { decision } = await answerWorkload(prisma, toWorkloadInput(args.workload), {
        analyses: { breakEvens: false, curves: true, sensitivity: false },
        volumeRange: { minRequestsPerMonth: args.from, maxRequestsPerMonth: args.to },
        curvePoints: args.steps,
      });
      const wanted = args.paths ? new Set(args.paths) : null;
      const pathOf = new Map(decision.options.map((option) => [option.optionId, option.pathSlug]));
      return decision.curves.filter((curve) => !wanted || wanted.has(pathOf.get(curve.optionId) ?? ''));
    },
  }),
  savedDecision: t.prismaField({
    type: SavedDecisionRef,
    authScopes: { viewer: true },
    args: { id: t.arg.id({ required: true }) },
    resolve: async (query, _root, { id }, { prisma }) =>
      (await prisma.decision.findUnique({ ...query, where: { id: String(id) } })) ??
      Promise.reject(new NotFoundError('saved decision', String(id))),
  }),
  savedDecisions: t.prismaField({
    type: [SavedDecisionRef],
    authScopes: { viewer: true },
    args: { last: t.arg.int({ required: false, description: 'How many, newest first (max 50).' }) },
    resolve: (query, _root, { last }, { prisma }) =>
      prisma.decision.findMany({
        ...query,
        orderBy: { createdAt: 'desc' },
        take: Math.min(Math.max(last ?? 10, 1), 50),
      }),
  }),
}));

builder.mutationFields((t) => ({
  saveDecision: t.prismaField({
    type: SavedDecisionRef,
    authScopes: { viewer: true },
    description: 'Answer a workload and keep the answer, with its evidence, to fetch again by id.',
    args: {
      workload: t.arg({ type: WorkloadInputRef, required: true }),
      keep: t.arg({ type: [AxisEnum], required: false }),
      name: t.arg.string({ required: false }),
      onBehalfOf: t.arg.string({
        required: false,
        description:
          'Who asked, when a service token saves for a person (e.g. "slack:U024BE7LH"); kept in requestedBy. At most 120 characters.',
      }),
    },
    resolve: async (query, _root, args, { prisma, identity }) => {
      const onBehalfOf = args.onBehalfOf?.trim() || null;
      if (onBehalfOf !== null && onBehalfOf.length > 120)
        throw new ValidationError([
          { path: 'onBehalfOf', message: `must be at most 120 characters (got ${onBehalfOf.length})` },
        ]);
      const workloadInput = toWorkloadInput(args.workload);
      // The decision's createdAt is the moment its evidence was read, so decide(asOf: createdAt)
      // sees exactly the same evidence later.
      const now = new Date();
      const { decision } = await answerWorkload(
        prisma,
        workloadInput,
        { ...keepOption(args.keep), analyses: STORED_ANALYSES },
        now,
      );
      const actor = actorOf(identity);
      return prisma.$transaction(async (tx) => {
        const workload = await tx.workload.create({
          data: {
            name: args.name ?? `${args.workload.model} workload`,
            input: workloadInput as object,
            createdBy: actor,
          },
        });
        const saved = await tx.decision.create({
          ...query,
          data: {
            workloadId: workload.id,
            keep: args.keep ? [...new Set(args.keep)] : [],
            answer: toAnswer(decision) as unknown as object,
            createdBy: actor,
            requestedBy: onBehalfOf,
            createdAt: now,
          },
        });
        await recordAudit(tx, { actor, action: 'decision.save', entityType: 'Decision', entityId: saved.id });
        return saved;
      });
    },
  }),
}));
