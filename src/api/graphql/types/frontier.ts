import type Decimal from 'decimal.js';
import { answerFrontier } from '../../../app/decisions/frontier';
import {
  FRONTIER_FLAG_CODES,
  type Frontier as FrontierAnswer,
  type FrontierFlag,
  type FrontierPoint,
  GOODPUT_BASES,
  QUALITY_GATES,
} from '../../../domain/engine/frontier';
import { moneyAmount } from '../../../domain/engine/money';
import { builder } from '../builder';
import { MoneyRef } from '../scalars';
import { asOfOrThrow, ServedAsEnum, toWorkloadInput, WorkloadInputRef } from './decision';
import { PathKindEnum } from './enums';

const usd = (amount: Decimal) => ({ amount: moneyAmount(amount), currency: 'USD' });

const FrontierFlagCodeEnum = builder.enumType('FrontierFlagCode', {
  description:
    "What a frontier number rests on when it is not a measurement at the workload's SLOs: ASSUMED_THROUGHPUT (an assumption or roofline estimate), MEASURED_ON_BASE_MODEL, GOODPUT_NOT_MEASURED (throughput measured, every request taken to meet the SLOs), GOODPUT_AT_OTHER_SLOS (the sweep counted goodput against looser objectives), ASSUMED_PRICE (an assumed or U-grade price), MISSES_SLO (nothing on record meets the SLOs: no goodput).",
  values: FRONTIER_FLAG_CODES,
});

const QualityGateEnum = builder.enumType('QualityGate', {
  description:
    "The workload's minimum accepted rate against the best evaluation of the model served: PASS (or no minimum set), FAIL, UNEVALUATED (no evaluation of the model served there).",
  values: QUALITY_GATES,
});

const GoodputBasisEnum = builder.enumType('GoodputBasis', {
  description:
    "CAPACITY_AT_DUTY_CYCLE: the goodput tokens the units paid for serve in the workload's active hours (owned boxes, rented instances); WORKLOAD_TOKENS: the workload's own output tokens (billed by use or provisioned for it).",
  values: GOODPUT_BASES,
});

const FrontierFlagRef = builder.objectRef<FrontierFlag>('FrontierFlag').implement({
  authScopes: { catalogReader: true },
  fields: (t) => ({
    code: t.field({ type: FrontierFlagCodeEnum, resolve: (flag) => flag.code }),
    message: t.exposeString('message'),
  }),
});

const FrontierPointRef = builder.objectRef<FrontierPoint>('FrontierPoint').implement({
  authScopes: { catalogReader: true },
  description:
    "One path (and, for a box swept under several server configurations, one configuration) at the workload's SLOs.",
  fields: (t) => ({
    id: t.exposeString('id', {
      description: 'The option id, with #configuration for a swept configuration.',
    }),
    optionId: t.exposeString('optionId'),
    pathSlug: t.exposeString('pathSlug'),
    pathName: t.exposeString('pathName'),
    pathKind: t.field({ type: PathKindEnum, resolve: (point) => point.pathKind }),
    servedVariant: t.exposeString('variantSlug'),
    servedAs: t.field({ type: ServedAsEnum, resolve: (point) => point.servedAs }),
    serverConfiguration: t.exposeString('serverConfiguration', { nullable: true }),
    eligible: t.exposeBoolean('eligible', {
      description: 'False for a base model standing in for required custom weights; never on the frontier.',
    }),
    notEligibleReason: t.exposeString('notEligibleReason', { nullable: true }),
    costPerMillionGoodputTokens: t.field({
      type: MoneyRef,
      nullable: true,
      description: 'monthlyCost x 1,000,000 / goodputTokensPerMonth; null when nothing meets the SLOs.',
      resolve: (point) => (point.costPerMillionGoodputTokens ? usd(point.costPerMillionGoodputTokens) : null),
    }),
    monthlyCost: t.field({ type: MoneyRef, resolve: (point) => usd(point.monthlyCost) }),
    unitsNeeded: t.exposeFloat('units'),
    goodputBasis: t.field({ type: GoodputBasisEnum, resolve: (point) => point.goodputBasis }),
    goodputTokensPerMonth: t.exposeFloat('goodputTokensPerMonth', {
      description: 'Output tokens a month of requests meeting every SLO (0 when the SLOs are missed).',
    }),
    utilization: t.exposeFloat('utilization', {
      nullable: true,
      description:
        "Capacity-based points: the workload's output tokens over the goodput tokens the units can serve.",
    }),
    formula: t.exposeString('formula', { description: 'The arithmetic with its inputs.' }),
    decodeTokensPerSecondPerUser: t.exposeFloat('decodeTokensPerSecondPerUser', { nullable: true }),
    concurrency: t.exposeInt('concurrency', { nullable: true }),
    meetsSlo: t.exposeBoolean('meetsSlo'),
    acceptedRate: t.exposeFloat('acceptedRate', { nullable: true }),
    qualityGate: t.field({ type: QualityGateEnum, resolve: (point) => point.qualityGate }),
    onFrontier: t.exposeBoolean('onFrontier', {
      description:
        'No other eligible point is both at most as dear per goodput token and at least as fast per user (one strictly).',
    }),
    sweepId: t.exposeString('sweepId', {
      nullable: true,
      description: 'The SLO sweep the point is sized on.',
    }),
    evidenceIds: t.exposeStringList('evidenceIds', {
      description: 'Sweep and result ids (or assumption ids), then the price components of the cost.',
    }),
    priceComponentIds: t.exposeStringList('priceComponentIds'),
    flags: t.field({ type: [FrontierFlagRef], resolve: (point) => point.flags }),
  }),
});

const FrontierRef = builder.objectRef<FrontierAnswer>('Frontier').implement({
  authScopes: { catalogReader: true },
  description: "Dollars per million goodput tokens on every path at the workload's SLOs.",
  fields: (t) => ({
    rule: t.exposeString('rule', { description: 'How each number is computed.' }),
    outputTokensPerMonth: t.exposeFloat('outputTokensPerMonth'),
    activeHoursPerMonth: t.exposeFloat('activeHoursPerMonth'),
    points: t.field({
      type: [FrontierPointRef],
      description: 'Cheapest per goodput token first; points without goodput last.',
      resolve: (answer) => answer.points,
    }),
  }),
});

builder.queryFields((t) => ({
  frontier: t.field({
    type: FrontierRef,
    authScopes: { catalogReader: true },
    description:
      "$/1M goodput tokens per path (and per server configuration of a swept box) at the workload's SLOs, with per-user decode speed, the quality gate and the Pareto frontier over cost and speed.",
    args: {
      workload: t.arg({ type: WorkloadInputRef, required: true }),
      asOf: t.arg({
        type: 'DateTime',
        required: false,
        description: 'As in decide: the evidence known then.',
      }),
    },
    resolve: async (_root, args, { prisma }) =>
      (await answerFrontier(prisma, toWorkloadInput(args.workload), asOfOrThrow(args.asOf))).frontier,
  }),
}));
