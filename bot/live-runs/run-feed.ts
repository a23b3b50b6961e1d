import type { Logger } from '@slack/bolt';
import type { Unsubscribe } from '../../clients/graphql/client';
import type { BenchmarkRun, FloorplanApi } from '../floorplan-api';

export type RunListener = (run: BenchmarkRun) => void;

export interface RunFeedOptions {
  /** First wait before reopening a broken stream; doubles up to 30 s. */
  resubscribeDelayMs: number;
}

/**
 * One `benchmarkRunChanges` stream per bot process, shared by every run the bot follows: thirty live
 * runs are one SSE connection to the API, not thirty. The stream opens with the first follower and
 * closes with the last. Whenever it (re)opens, each followed run is read once, so a change made
 * while no stream was open is not lost.
 */
export class RunFeed {
  private readonly listeners = new Map<string, Set<RunListener>>();
  private unsubscribe: Unsubscribe | null = null;
  private open = false;
  private reopenTimer: NodeJS.Timeout | undefined;
  private delayMs: number;
  private closed = false;
  /** Streams opened so far (tests assert one per process). */
  streamsOpened = 0;

  constructor(
    private readonly api: FloorplanApi,
    private readonly logger: Logger,
    private readonly options: RunFeedOptions,
  ) {
    this.delayMs = options.resubscribeDelayMs;
  }

  get followedRuns(): number {
    return this.listeners.size;
  }

  /** Calls `listener` with the run on each of its changes; returns the function that stops it. */
  follow(runId: string, listener: RunListener): () => void {
    let set = this.listeners.get(runId);
    if (set === undefined) {
      set = new Set();
      this.listeners.set(runId, set);
    }
    set.add(listener);
    if (this.unsubscribe === null && this.reopenTimer === undefined) this.subscribe();
    // The run may have changed between the caller's last read and now.
    else if (this.open) void this.refresh([runId]);
    return () => {
      const current = this.listeners.get(runId);
      current?.delete(listener);
      if (current?.size === 0) this.listeners.delete(runId);
      if (this.listeners.size === 0) this.stopStream();
    };
  }

  close(): void {
    this.closed = true;
    this.stopStream();
  }

  private stopStream(): void {
    clearTimeout(this.reopenTimer);
    this.reopenTimer = undefined;
    const unsubscribe = this.unsubscribe;
    this.unsubscribe = null;
    this.open = false;
    unsubscribe?.();
  }

  private dispatch(run: BenchmarkRun): void {
    for (const listener of this.listeners.get(run.id) ?? []) {
      try {
        listener(run);
      } catch (error) {
        this.logger.warn(
          `Run ${run.id} listener failed: ${error instanceof Error ? error.message : String(error)}`,
        );
      }
    }
  }

  private async refresh(runIds: readonly string[]): Promise<void> {
    for (const runId of runIds) {
      if (!this.listeners.has(runId)) continue;
      try {
        const run = await this.api.benchmarkRun(runId);
        if (run !== null) this.dispatch(run);
      } catch (error) {
        this.logger.warn(
          `Could not read run ${runId}: ${error instanceof Error ? error.message : String(error)}`,
        );
      }
    }
  }

  private subscribe(): void {
    if (this.closed) return;
    this.streamsOpened += 1;
    let unsubscribe: Unsubscribe | null = null;
    let ended = false;
    unsubscribe = this.api.subscribeRunChanges({
      onOpen: () => {
        if (this.unsubscribe !== unsubscribe && unsubscribe !== null) return;
        this.open = true;
        this.delayMs = this.options.resubscribeDelayMs;
        void this.refresh([...this.listeners.keys()]);
      },
      onRun: (run) => this.dispatch(run),
      onEnd: (error) => {
        ended = true;
        if (this.unsubscribe !== unsubscribe) return;
        this.unsubscribe = null;
        this.open = false;
        if (this.closed || this.listeners.size === 0) return;
        this.logger.warn(
          `Run change stream ended${error === undefined ? '' : `: ${error.message}`}; reopening in ${this.delayMs} ms`,
        );
        this.reopenTimer = setTimeout(() => {
          this.reopenTimer = undefined;
          if (this.listeners.size > 0) this.subscribe();
        }, this.delayMs);
        this.delayMs = Math.min(this.delayMs * 2, 30_000);
      },
    });
    // The stream may have ended synchronously (it never does today, but a cached failure could).
    if (!ended) this.unsubscribe = unsubscribe;
  }
}
