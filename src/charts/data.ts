import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { answerWorkload } from '../app/decisions/answer';
import { loadBenchmarkHistory } from '../app/evidence/history';
import type { Decision } from '../domain/engine/decide';
import type { PrismaClient } from '../generated/prisma/client';
import type { ChartDataLoaders, CostChartQuery, HistoryChartQuery } from './requests';
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

/** Turns the engine's curves and break-evens into the cost chart's input. */
export function costChartInputFromDecision(decision: Decision, query: CostChartQuery): CostChartInput {
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
  return {
    title: 'Monthly cost by volume',
    subtitle: `${decision.options[0]?.requestedVariantSlug ?? ''}: ${Math.round(decision.requestsPerMonth).toLocaleString('en-US')} requests a month today`,
    volumeUnit,
    costAxis: query.costAxis ?? 'log',
    series: curves.map((curve) => {
      const option = options.get(curve.optionId);
      const stepAt = new Map(curve.steps.map((step) => [step.requestsPerMonth, step.toUnits]));
      return {
        pathId: curve.optionId,
        pathLabel:
          `${option?.pathName ?? curve.optionId}${option?.servedAs === 'BASE_ONLY' ? ' (base model only)' : ''}`.slice(
            0,
            60,
          ),
        shortLabel: (option?.pathSlug ?? curve.optionId).slice(0, 24),
        points: curve.points
          .filter((point) => point.monthlyCost.greaterThan(0))
          .map((point) => {
            const units = stepAt.get(point.requestsPerMonth);
            return {
              volume: toVolume(point.requestsPerMonth),
              cost: point.monthlyCost.toFixed(2),
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
            cost: crossing.costA.toFixed(2),
          })),
      ),
    workload: { volume: toVolume(Math.max(decision.requestsPerMonth, 1)), label: 'This workload' },
  };
}

export function createChartLoaders(prisma: PrismaClient): ChartDataLoaders {
  return {
    loadCostChartInput: async (query) => {
      const workload = await workloadInputFor(prisma, query.workloadId);
      const { decision } = await answerWorkload(prisma, workload, {
        analyses: { breakEvens: true, curves: true, sensitivity: false },
        volumeRange: {
          minRequestsPerMonth: query.minVolume ?? 100,
          maxRequestsPerMonth: query.maxVolume ?? 1e8,
        },
        curvePoints: 160,
      });
      return costChartInputFromDecision(decision, query);
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
