import { type SweptRun, sweepExpiredLeases } from './queue';
import type { RunQueue } from './runtime';

export interface LeaseSweeper {
  /** Sweeps once now (tests, and the first sweep at start). */
  sweepNow(): Promise<SweptRun[]>;
  /** Stops the timer and waits for a sweep in progress. */
  stop(): Promise<void>;
}

/**
 * Sweeps expired leases every `intervalMs`. A sweep that fails (the database is away) is logged
 * once per outage and retried on the next tick: the sweeper must outlive outages, not crash the API.
 */
export function startLeaseSweeper(
  queue: RunQueue,
  options: { intervalMs: number; log: (line: string) => void; onSwept?: (runs: SweptRun[]) => void },
): LeaseSweeper {
  let stopped = false;
  let timer: NodeJS.Timeout | null = null;
  let running: Promise<SweptRun[]> | null = null;
  let failing = false;

  const sweepNow = (): Promise<SweptRun[]> => {
    running ??= sweepExpiredLeases(queue)
      .then((swept) => {
        if (failing) options.log('lease sweeper: the database answers again');
        failing = false;
        if (swept.length > 0) options.onSwept?.(swept);
        for (const run of swept) {
          options.log(`lease sweeper: run ${run.id} attempt ${run.attempt} lost its runner -> ${run.status}`);
        }
        return swept;
      })
      .catch((error: unknown) => {
        if (!failing) {
          options.log(
            `lease sweeper: sweep failed (${error instanceof Error ? error.message : String(error)}); retrying`,
          );
        }
        failing = true;
        return [];
      })
      .finally(() => {
        running = null;
      });
    return running;
  };

  const schedule = () => {
    if (stopped) return;
    timer = setTimeout(() => {
      void sweepNow().then(schedule);
    }, options.intervalMs);
    // The sweeper alone never keeps a process alive.
    timer.unref();
  };
  schedule();

  return {
    sweepNow,
    stop: async () => {
      stopped = true;
      if (timer) clearTimeout(timer);
      await running;
    },
  };
}
