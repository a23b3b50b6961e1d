import { GraphqlCallError, type GraphqlClient, type Unsubscribe } from '../clients/graphql/client';
import {
  AccessPathsDocument,
  type AccessPathsQuery,
  type Axis,
  BenchmarkRunDocument,
  BenchmarkRunProgressDocument,
  BenchmarkRunsDocument,
  type BotCostDecisionFragment,
  type BotMoneyFragment,
  type BotRunFragment,
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
  type WorkloadInput,
} from '../clients/graphql/operations.generated';

export type { DecodeRegression, RunProgress, RunSpecSummary };

import {
  type DecodeRegression,
  type RunProgress,
  type RunSpecSummary,
  readDecodeRegression,
  readRunProgress,
  readRunSpec,
} from './runs/run-json';

/**
 * The bot's calls to the floorplan API: each one generated document sent through the one GraphQL
 * transport. Result types are the generated ones (schema/operations/bot/); the only reading done
 * here is of the fields the schema still types as JSON (a run's spec and progress, a result's
 * regression, a saved decision's workload).
 */

export type { Axis, CreateBenchmarkRunInput, RunStatus, WorkloadInput };
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
export type ModelVariantEntry = ModelVariantsQuery['modelVariants'][number];
export type BoxEntry = BoxesQuery['boxes'][number];
type ResultFragment = BotRunFragment['results'][number];
export type BenchmarkResult = Omit<ResultFragment, 'regression'> & { regression: DecodeRegression | null };
/** A run with its JSON fields read; lists carry no results (depth and cost), a single run does. */
export type BenchmarkRun = Omit<BotRunSummaryFragment, 'spec' | 'progress'> & {
  spec: RunSpecSummary;
  progress: RunProgress | null;
  results: BenchmarkResult[];
};

export const TERMINAL_RUN_STATUSES: readonly RunStatus[] = ['SUCCEEDED', 'FAILED', 'CANCELLED'];

function toRun(run: BotRunSummaryFragment | BotRunFragment): BenchmarkRun {
  const results = 'results' in run ? run.results : [];
  return {
    ...run,
    spec: readRunSpec(run.spec),
    progress: readRunProgress(run.progress),
    results: results.map((result) => ({ ...result, regression: readDecodeRegression(result.regression) })),
  };
}

/** `<@U…>` for a requester the bot saved for (`slack:U…`), else the API's name for who asked. */
export function requesterMention(requestedBy: string): string {
  const match = /^slack:(U[A-Z0-9]+)$/.exec(requestedBy);
  return match ? `<@${match[1]}>` : requestedBy;
}

/** The workload's model slug as saved (the workload is stored as the GraphQL input). */
export function savedModelOf(saved: { workload: unknown }): string | null {
  const model =
    typeof saved.workload === 'object' && saved.workload !== null
      ? (saved.workload as Record<string, unknown>).model
      : undefined;
  return typeof model === 'string' ? model : null;
}

export interface RunProgressHandlers {
  /** The run as it is now: the API sends the whole run on every heartbeat and state change. */
  onRun(run: BenchmarkRun): void;
  /** The stream ended: `error` is set when it broke rather than completed. */
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
    cancelBenchmarkRun: async (id: string): Promise<BenchmarkRun> =>
      toRun((await client.execute(CancelBenchmarkRunDocument, { id })).cancelBenchmarkRun),
    /** Null when there is no such run (the API answers NOT_FOUND). */
    benchmarkRun: async (id: string): Promise<BenchmarkRun | null> => {
      try {
        return toRun((await client.execute(BenchmarkRunDocument, { id })).benchmarkRun);
      } catch (error) {
        if (error instanceof GraphqlCallError && error.kind === 'not-found') return null;
        throw error;
      }
    },
    benchmarkRuns: async (filter: {
      status?: RunStatus | undefined;
      first: number;
    }): Promise<BenchmarkRun[]> =>
      (
        await client.execute(BenchmarkRunsDocument, { first: filter.first, status: filter.status ?? null })
      ).benchmarkRuns.edges.map((edge) => toRun(edge.node)),
    subscribeRunProgress: (id: string, handlers: RunProgressHandlers): Unsubscribe =>
      client.subscribe(
        BenchmarkRunProgressDocument,
        { id },
        {
          next: (data) => handlers.onRun(toRun(data.benchmarkRunProgress)),
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
