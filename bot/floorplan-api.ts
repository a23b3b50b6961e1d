import { GraphqlCallError, type GraphqlClient, type Unsubscribe } from '../clients/graphql/client';
import {
  AccessPathsDocument,
  type AccessPathsQuery,
  type Axis,
  BenchmarkRunChangesDocument,
  BenchmarkRunDocument,
  BenchmarkRunsDocument,
  type BenchmarkRunsQuery,
  type BotCostDecisionFragment,
  type BotMoneyFragment,
  type BotRunDetailsFragment,
  type BotRunSummaryFragment,
  BoxesDocument,
  type BoxesQuery,
  CancelBenchmarkRunDocument,
  CreateBenchmarkRunDocument,
  type CreateBenchmarkRunInput,
  DecideDocument,
  type DecideQuery,
  ModelVariantsDocument,
  type ModelVariantsQuery,
  RecentDecisionsDocument,
  type RecentDecisionsQuery,
  type RunStatus,
  SaveDecisionDocument,
  type SaveDecisionMutation,
  ServingPathsDocument,
  type ServingPathsQuery,
  type SloTargetsInput,
  StalePricesDocument,
  type StalePricesQuery,
  WatchDecisionDocument,
  type WorkloadInput,
} from '../clients/graphql/operations.generated';

/**
 * The bot's calls to the floorplan API: each one generated document sent through the one GraphQL
 * transport. Result types are the generated ones (schema/operations/bot/); the only reading done
 * here is of the one field the schema still types as JSON that the bot reads (a saved decision's
 * workload).
 */

export type { Axis, CreateBenchmarkRunInput, RunStatus, SloTargetsInput, WorkloadInput };
export { GraphqlCallError };
export type Money = BotMoneyFragment;
export type RegressionVerdict = NonNullable<ResultFragment['regressionVerdict']>;
export type PathKind = ServingPath['kind'];
export type Decision = DecideQuery['decide'];
export type PathOption = Decision['paths'][number];
/** The answer as the cost message shows it (a saved decision's, or a full one). */
export type CostDecision = BotCostDecisionFragment;
export type KeptSet = Decision['minimalKeptSets'][number];
export type UnlockedPath = KeptSet['unlocked'][number];
export type ServingPath = ServingPathsQuery['servingPaths'][number];
export type AccessPath = AccessPathsQuery['accessPaths'][number];
export type SavedDecisionSummary = RecentDecisionsQuery['savedDecisions'][number];
export type SavedDecision = SaveDecisionMutation['saveDecision'];
export type StalePrices = StalePricesQuery['stalePrices'];
export type ModelVariantEntry = ModelVariantsQuery['modelVariants'][number];
export type BoxEntry = BoxesQuery['boxes'][number];
type ResultFragment = BotRunDetailsFragment['results'][number];
export type BenchmarkResult = ResultFragment;
export type SloSweep = BotRunDetailsFragment['sloSweeps'][number];
/** A run's heartbeat progress. */
export type RunProgress = NonNullable<BotRunSummaryFragment['progress']>;
/**
 * A run; lists carry no results, sweeps or canceller (depth and cost), a single run does.
 */
export type BenchmarkRun = BotRunSummaryFragment & {
  results: BenchmarkResult[];
  sloSweeps: SloSweep[];
  cancelledBy: string | null;
};

/** One page of runs, with how many there are in all. */
export interface RunPage {
  runs: BenchmarkRun[];
  totalCount: number;
  /** 1-based; `pageCount` is at least 1 even when there are no runs. */
  page: number;
  pageCount: number;
  pageSize: number;
}

/** The API's largest page: longer skips walk pages of this size. */
const MAX_API_PAGE = 100;

export const TERMINAL_RUN_STATUSES: readonly RunStatus[] = ['SUCCEEDED', 'FAILED', 'CANCELLED'];

function toRun(run: BotRunSummaryFragment | (BotRunSummaryFragment & BotRunDetailsFragment)): BenchmarkRun {
  const results = 'results' in run ? run.results : [];
  return {
    ...run,
    results,
    sloSweeps: 'sloSweeps' in run ? run.sloSweeps : [],
    cancelledBy: 'cancelledBy' in run ? run.cancelledBy : null,
  };
}

/** `<@U…>` for a requester the bot saved for (`slack:U…`), else the API's name for who asked. */
export function requesterMention(requestedBy: string): string {
  const match = /^slack:(U[A-Z0-9]+)$/.exec(requestedBy);
  return match ? `<@${match[1]}>` : requestedBy;
}

export interface RunFilter {
  status?: RunStatus | undefined;
  statuses?: readonly RunStatus[] | undefined;
}

/** The workload's model slug as saved (the workload is stored as the GraphQL input). */
export function savedModelOf(saved: { workload: unknown }): string | null {
  const model =
    typeof saved.workload === 'object' && saved.workload !== null
      ? (saved.workload as Record<string, unknown>).model
      : undefined;
  return typeof model === 'string' ? model : null;
}

export interface RunChangeHandlers {
  /** The stream is open: changes from now on arrive. */
  onOpen(): void;
  onRun(run: BenchmarkRun): void;
  onEnd(error?: GraphqlCallError): void;
}

export function createFloorplanApi(client: GraphqlClient) {
  return {
    /**
     * No axes kept means "tell me what to keep" (the minimal kept sets and a recommendation), so
     * `keep` is sent only when the user named some: an empty list would ask for a path that meets
     * every constraint.
     */
    decide: async (workload: WorkloadInput, keep: readonly Axis[]): Promise<Decision> =>
      (await client.execute(DecideDocument, { workload, keep: keep.length > 0 ? [...keep] : null })).decide,
    modelVariants: async (): Promise<ModelVariantEntry[]> =>
      (await client.execute(ModelVariantsDocument, {})).modelVariants,
    boxes: async (): Promise<BoxEntry[]> => (await client.execute(BoxesDocument, {})).boxes,
    servingPaths: async (): Promise<ServingPath[]> =>
      (await client.execute(ServingPathsDocument, {})).servingPaths,
    createBenchmarkRun: async (input: CreateBenchmarkRunInput): Promise<BenchmarkRun> =>
      toRun((await client.execute(CreateBenchmarkRunDocument, { input })).createBenchmarkRun),
    /** `onBehalfOf` names the person (`slack:U…`) the bot cancels for: the run's `cancelledBy`. */
    cancelBenchmarkRun: async (id: string, onBehalfOf?: string): Promise<BenchmarkRun> =>
      toRun(
        (await client.execute(CancelBenchmarkRunDocument, { id, onBehalfOf: onBehalfOf ?? null }))
          .cancelBenchmarkRun,
      ),
    /** Null when there is no such run (the API answers NOT_FOUND). */
    benchmarkRun: async (id: string): Promise<BenchmarkRun | null> => {
      try {
        return toRun((await client.execute(BenchmarkRunDocument, { id })).benchmarkRun);
      } catch (error) {
        if (error instanceof GraphqlCallError && error.kind === 'not-found') return null;
        throw error;
      }
    },
    /**
     * Page `page` (1-based) of the runs, newest first, and how many match in all. A page past the
     * last comes back empty with the real `pageCount`, so the caller can say there is no such page.
     */
    benchmarkRunPage: async (filter: RunFilter & { page: number; pageSize: number }): Promise<RunPage> => {
      const variables = {
        status: filter.status ?? null,
        statuses: filter.statuses === undefined ? null : [...filter.statuses],
      };
      let after: string | null = null;
      let skip = (filter.page - 1) * filter.pageSize;
      let totalCount: number | null = null;
      while (skip > 0) {
        const first = Math.min(skip, MAX_API_PAGE);
        const answer: BenchmarkRunsQuery = await client.execute(BenchmarkRunsDocument, {
          ...variables,
          first,
          after,
        });
        const { benchmarkRuns } = answer;
        totalCount = benchmarkRuns.totalCount;
        after = benchmarkRuns.pageInfo.endCursor ?? null;
        skip -= first;
        if (!benchmarkRuns.pageInfo.hasNextPage) break;
      }
      const pageCountOf = (total: number) => Math.max(1, Math.ceil(total / filter.pageSize));
      if (skip > 0 || (totalCount !== null && (filter.page - 1) * filter.pageSize >= totalCount)) {
        const total = totalCount ?? 0;
        return {
          runs: [],
          totalCount: total,
          page: filter.page,
          pageCount: pageCountOf(total),
          pageSize: filter.pageSize,
        };
      }
      const { benchmarkRuns } = await client.execute(BenchmarkRunsDocument, {
        ...variables,
        first: filter.pageSize,
        after,
      });
      return {
        runs: benchmarkRuns.edges.map((edge) => toRun(edge.node)),
        totalCount: benchmarkRuns.totalCount,
        page: filter.page,
        pageCount: pageCountOf(benchmarkRuns.totalCount),
        pageSize: filter.pageSize,
      };
    },
    /** The unfinished runs, then every run's changes, over one stream (the bot's run feed). */
    subscribeRunChanges: (handlers: RunChangeHandlers): Unsubscribe =>
      client.subscribe(
        BenchmarkRunChangesDocument,
        {},
        {
          open: () => handlers.onOpen(),
          next: (data) => {
            for (const run of data.benchmarkRunChanges.runs) handlers.onRun(toRun(run));
          },
          end: (error) => handlers.onEnd(error),
        },
      ),
    accessPaths: async (accelerator: string, region?: string): Promise<AccessPath[]> =>
      (await client.execute(AccessPathsDocument, { accelerator, region: region ?? null })).accessPaths,
    /**
     * Answers and stores the decision. `onBehalfOf` (`slack:U…`) is the Slack user who asked, kept
     * as its requestedBy; `name` says for which model.
     */
    saveDecision: async (
      workload: WorkloadInput,
      keep: readonly Axis[],
      who: { name: string; onBehalfOf: string },
    ): Promise<SavedDecision> =>
      (
        await client.execute(SaveDecisionDocument, {
          workload,
          keep: keep.length > 0 ? [...keep] : null,
          name: who.name,
          onBehalfOf: who.onBehalfOf,
        })
      ).saveDecision,
    /** Watches a saved decision; the API posts each new version to `channel`. */
    watchDecision: async (id: string, channel: string) =>
      (await client.execute(WatchDecisionDocument, { id, channel })).watchDecision,
    stalePrices: async (olderThanDays: number): Promise<StalePrices> =>
      (await client.execute(StalePricesDocument, { olderThanDays })).stalePrices,
    recentDecisions: async (last: number): Promise<SavedDecisionSummary[]> =>
      (await client.execute(RecentDecisionsDocument, { last })).savedDecisions,
    /** A chart PNG from a path on the API host (`/charts/...`), checked to be a PNG. */
    chartPng: async (path: string): Promise<Buffer> => {
      const bytes = await client.fetchFromApi(path, 'image/png');
      const pngSignature = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
      if (!bytes.subarray(0, 8).equals(pngSignature)) {
        throw new GraphqlCallError('failed', `The chart ${path} is not a PNG.`, null, `GET ${path}`);
      }
      return bytes;
    },
  };
}

export type FloorplanApi = ReturnType<typeof createFloorplanApi>;
