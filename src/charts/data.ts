import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { answerWorkload } from '../app/decisions/answer';
import { answerFrontier } from '../app/decisions/frontier';
import { loadBenchmarkHistory } from '../app/evidence/history';
import type { Decision } from '../domain/engine/decide';
import type { Frontier } from '../domain/engine/frontier';
import { formatMoney } from '../domain/engine/money';
import type { PrismaClient } from '../generated/prisma/client';
import type { FrontierChartInput } from './frontierChart';
import type { ChartDataLoaders, CostChartQuery, FrontierChartQuery, HistoryChartQuery } from './requests';
import type { CostChartInput, HistoryChartInput } from './schemas';

/** The data a chart names does not exist (unknown workload, no results yet): a 400, not a crash. */
export class ChartDataError extends Error {}

const examplesDir = path.resolve(import.meta.dirname, '..', '..', 'seeds', 'workloads');
const MAX_SERIES = 8;

/**
 * A chart's workload: a saved workload or saved decision by id, or an example from seeds/workloads by name
 * ("lab-retrieval"), so a chart can be asked for before anything was saved.
 */
async function workloadInputFor(prisma: PrismaClient, workloadId: string): Promise<unknown> {
  const saved = await prisma.workload.findUnique({ where: { id: workloadId } });
  if (saved) return saved.input;
  // The bot holds saved-decision ids: their workload is the one to chart.
  const decision = await prisma.decision.findUnique({
    where: { id: workloadId },
    include: { workload: true },
  });
  if (decision) return decision.workload.input;
  const example = path.join(examplesDir, `${path.basename(workloadId)}.json`);
  if (existsSync(example)) {
    const { name: _name, ...fields } = JSON.parse(await readFile(example, 'utf8')) as Record<string, unknown>;
    return fields;
  }
  throw new ChartDataError(
    `workloadId "${workloadId}" is neither a saved workload nor an example in seeds/workloads (try "lab-retrieval").`,
  );
}

function ordinal(count: number): string {
  const suffix =
    count % 10 === 1 && count !== 11
      ? 'st'
      : count % 10 === 2 && count !== 12
        ? 'nd'
        : count % 10 === 3 && count !== 13
          ? 'rd'
          : 'th';
  return `${count}${suffix}`;
}

const DEFAULT_MIN_VOLUME = 100;
const DEFAULT_MAX_VOLUME = 1e8;
/** Where break-evens are looked for before the range is chosen (requests a month). */
const PROBE_RANGE = { minRequestsPerMonth: 1, maxRequestsPerMonth: 1e11 };

/**
 * The volume range drawn: the caller's bounds where given; otherwise 100 to 1e8 requests a month,
 * widened by whole decades to take in the workload's own volume and every break-even there is
 * (the CMI = Spark crossing of the lab workload sits at ~74 requests a month).
 */
async function volumeRangeFor(
  prisma: PrismaClient,
  workload: unknown,
  query: CostChartQuery,
): Promise<{ minRequestsPerMonth: number; maxRequestsPerMonth: number }> {
  if (query.minVolume !== undefined && query.maxVolume !== undefined)
    return { minRequestsPerMonth: query.minVolume, maxRequestsPerMonth: query.maxVolume };
  const { decision } = await answerWorkload(prisma, workload, {
    analyses: { breakEvens: true, curves: false, sensitivity: false },
    volumeRange: PROBE_RANGE,
  });
  const volumes = [
    decision.requestsPerMonth,
    ...decision.breakEvens.flatMap((item) =>
      item.crossings
        .filter((crossing) => crossing.kind === 'EQUAL')
        .map((crossing) => crossing.requestsPerMonth),
    ),
  ].filter((volume) => Number.isFinite(volume) && volume > 0);
  let min =
    query.minVolume ?? Math.min(DEFAULT_MIN_VOLUME, 10 ** Math.floor(Math.log10(Math.min(...volumes) / 2)));
  let max =
    query.maxVolume ?? Math.max(DEFAULT_MAX_VOLUME, 10 ** Math.ceil(Math.log10(Math.max(...volumes) * 2)));
  // One bound given and the other would cross it: keep three decades beside the given one.
  if (min >= max) {
    if (query.minVolume !== undefined) max = min * 1000;
    else min = max / 1000;
  }
  return { minRequestsPerMonth: min, maxRequestsPerMonth: max };
}

/** Turns the engine's curves and break-evens into the cost chart's input. */
function costChartInputFromDecision(decision: Decision, query: CostChartQuery): CostChartInput {
  const volumeUnit = query.volumeUnit ?? 'requests';
  const tokensPerRequest =
    decision.requestsPerMonth > 0 ? decision.tokensPerMonth / decision.requestsPerMonth : 1;
  const toVolume = (requests: number) => (volumeUnit === 'tokens' ? requests * tokensPerRequest : requests);
  const options = new Map(decision.options.map((option) => [option.optionId, option]));
  // Paths serving the requested model first, cheapest first, so the legend leads with real choices.
  const curves = [...decision.curves]
    .filter((curve) => options.has(curve.optionId))
    .sort((a, b) => {
      const left = options.get(a.optionId);
      const right = options.get(b.optionId);
      const baseOnly = Number(left?.servedAs === 'BASE_ONLY') - Number(right?.servedAs === 'BASE_ONLY');
      return baseOnly || (left && right ? left.cost.total.comparedTo(right.cost.total) : 0);
    })
    .slice(0, MAX_SERIES);
  const shown = new Set(curves.map((curve) => curve.optionId));
  // The banner is decide's answer, not the chart's own reading of the lines.
  const recommended = decision.recommendation ? options.get(decision.recommendation.optionId) : undefined;
  const verdict = recommended
    ? `decide recommends ${recommended.pathName} (${formatMoney(recommended.cost.total)}/month)`
    : `decide recommends no path: ${decision.noRecommendation?.message ?? 'none is feasible'}`;
  return {
    title: 'Monthly cost by volume',
    subtitle:
      `${verdict}. ${decision.options[0]?.requestedVariantSlug ?? ''}: ${Math.round(decision.requestsPerMonth).toLocaleString('en-US')} requests a month today.`.slice(
        0,
        200,
      ),
    volumeUnit,
    costAxis: query.costAxis ?? 'log',
    series: curves.map((curve) => {
      const option = options.get(curve.optionId);
      const stepAt = new Map(curve.steps.map((step) => [step.requestsPerMonth, step.toUnits]));
      return {
        pathId: curve.optionId,
        pathLabel: `${option?.pathName ?? curve.optionId}${
          option?.eligible === false
            ? option.servedAs === 'BASE_ONLY'
              ? ' (base model only, not eligible)'
              : ' (not eligible)'
            : ''
        }`.slice(0, 120),
        eligible: option?.eligible !== false,
        shortLabel: (option?.pathSlug ?? curve.optionId).slice(0, 24),
        points: curve.points
          .filter((point) => point.monthlyCost.greaterThan(0))
          .map((point) => {
            const units = stepAt.get(point.requestsPerMonth);
            return {
              volume: toVolume(point.requestsPerMonth),
              // Unrounded: a few requests of on-demand tokens cost well under a cent, and a cent-rounded
              // $0.00 cannot sit on a log axis.
              cost: point.monthlyCost.toFixed(),
              ...(units ? { stepChange: true, stepLabel: `${ordinal(units)} unit` } : {}),
            };
          }),
      };
    }),
    breakEvens: decision.breakEvens
      .filter((item) => shown.has(item.optionA) && shown.has(item.optionB))
      .flatMap((item) =>
        item.crossings
          .filter((crossing) => crossing.kind === 'EQUAL')
          .map((crossing) => ({
            pathA: item.optionA,
            pathB: item.optionB,
            volume: toVolume(crossing.requestsPerMonth),
            cost: crossing.costA.toFixed(),
          })),
      ),
    workload: { volume: toVolume(Math.max(decision.requestsPerMonth, 1)), label: 'This workload' },
  };
}

/** The frontier's points as the chart draws them; points with no goodput (SLOs missed) are named, not drawn. */
export function frontierChartInputFromFrontier(frontier: Frontier, workloadName: string): FrontierChartInput {
  const label = (point: Frontier['points'][number]) =>
    `${point.pathName}${point.serverConfiguration ? ` (${point.serverConfiguration})` : ''}${
      point.eligible
        ? ''
        : point.servedAs === 'BASE_ONLY'
          ? ' (base model only, not eligible)'
          : ' (not eligible)'
    }`;
  const drawable = frontier.points.filter(
    (point) => point.costPerMillionGoodputTokens !== null && (point.decodeTokensPerSecondPerUser ?? 0) > 0,
  );
  const notDrawn = frontier.points.filter((point) => !drawable.includes(point)).map(label);
  if (drawable.length === 0)
    throw new ChartDataError(
      `No path serves ${workloadName} within its SLOs, so there is no cost per goodput token to draw (${notDrawn.join(', ')}).`,
    );
  return {
    title: 'Dollars per million goodput tokens against per-user speed',
    subtitle:
      `${workloadName} at its SLOs. Hollow: fails the quality gate or not eligible. Ringed: the Pareto frontier.${
        notDrawn.length > 0 ? ` Not drawn (no goodput at the SLOs): ${notDrawn.join(', ')}.` : ''
      }`.slice(0, 400),
    points: drawable.map((point) => ({
      id: point.id,
      label: label(point),
      costPerMillion: (
        point.costPerMillionGoodputTokens as NonNullable<typeof point.costPerMillionGoodputTokens>
      ).toFixed(),
      decodeTokensPerSecond: point.decodeTokensPerSecondPerUser as number,
      passesQuality: point.eligible && point.qualityGate === 'PASS',
      onFrontier: point.onFrontier,
    })),
  };
}

export function createChartLoaders(prisma: PrismaClient): ChartDataLoaders {
  return {
    loadCostChartInput: async (query) => {
      const workload = await workloadInputFor(prisma, query.workloadId);
      const { decision } = await answerWorkload(prisma, workload, {
        analyses: { breakEvens: true, curves: true, sensitivity: false },
        volumeRange: await volumeRangeFor(prisma, workload, query),
        curvePoints: 160,
      });
      return costChartInputFromDecision(decision, query);
    },
    loadFrontierChartInput: async (query: FrontierChartQuery) => {
      const workload = await workloadInputFor(prisma, query.workloadId);
      const { frontier } = await answerFrontier(prisma, workload);
      const name =
        typeof (workload as { model?: unknown }).model === 'string'
          ? (workload as { model: string }).model
          : query.workloadId;
      return frontierChartInputFromFrontier(frontier, name);
    },
    loadPriceHistoryChartInput: async (query) => {
      const component = await prisma.priceComponent.findUnique({
        where: { slug: query.component },
        include: { values: { orderBy: [{ effectiveFrom: 'asc' }, { recordedAt: 'asc' }, { id: 'asc' }] } },
      });
      if (!component)
        throw new ChartDataError(
          `No price component "${query.component}"; list them with { servingPaths { priceComponents { slug } } }.`,
        );
      return {
        component: component.slug,
        unit: component.unit,
        until: new Date().toISOString().slice(0, 10),
        values: component.values.map((value) => ({
          effectiveFrom: value.effectiveFrom.toISOString().slice(0, 10),
          amount: value.amount.toFixed(),
          confidence: value.confidence,
          source: value.source,
        })),
      };
    },
    loadHistoryChartInput: async (query: HistoryChartQuery): Promise<HistoryChartInput> => {
      const history = await loadBenchmarkHistory(prisma, {
        boxSlug: query.box,
        variantSlug: query.model,
        profileKey: query.profile,
        metric: query.metric,
        since: query.since ? new Date(query.since) : null,
        limit: query.limit ?? 200,
      });
      if (history.points.length === 0) {
        throw new ChartDataError(`No results for ${query.box} / ${query.model} / ${query.profile} yet.`);
      }
      return {
        box: query.box,
        model: query.model,
        profile: query.profile,
        metric: query.metric,
        points: history.points.map((point) => ({
          at: point.measuredAt.toISOString(),
          value: point.value,
          runId: point.resultId,
          ...(point.verdict === 'REGRESSED' && point.percentChange !== null
            ? {
                regression: {
                  percentChange: point.percentChange,
                  ...(point.zScore !== null ? { zScore: point.zScore } : {}),
                },
              }
            : {}),
        })),
        ...(history.rooflineCeilingTokensPerSecond && query.metric === 'DECODE_TOKENS_PER_S'
          ? { roofline: { value: history.rooflineCeilingTokensPerSecond } }
          : {}),
      };
    },
  };
}
