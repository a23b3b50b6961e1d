import type { Logger } from '@slack/bolt';

/**
 * Work that outlives the Slack request (live run watchers). Tracked so shutdown can stop it and
 * wait for it, instead of leaving a process with streams open and updates half-sent. Each task gets
 * its own signal: thirty watchers listening on one shared signal would trip Node's
 * MaxListenersExceededWarning (more than ten `abort` listeners on one AbortSignal).
 */
export class BackgroundTasks {
  private readonly running = new Set<Promise<void>>();
  private readonly controllers = new Set<AbortController>();
  private stopping = false;

  constructor(private readonly logger: Logger) {}

  get size(): number {
    return this.running.size;
  }

  run(name: string, task: (signal: AbortSignal) => Promise<void>): void {
    if (this.stopping) {
      this.logger.warn(`Not starting ${name}: the bot is shutting down`);
      return;
    }
    const controller = new AbortController();
    this.controllers.add(controller);
    const promise = task(controller.signal)
      .catch((error: unknown) =>
        this.logger.error(`${name} failed: ${error instanceof Error ? error.message : String(error)}`),
      )
      .finally(() => {
        this.running.delete(promise);
        this.controllers.delete(controller);
      });
    this.running.add(promise);
  }

  /** Resolves when every task has finished (tests use it to wait for a run to be reported). */
  async idle(): Promise<void> {
    while (this.running.size > 0) await Promise.allSettled([...this.running]);
  }

  async stop(): Promise<void> {
    this.stopping = true;
    for (const controller of this.controllers) controller.abort();
    await this.idle();
  }
}

/** Resolves after `ms`, or early when the signal aborts. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) {
      resolve();
      return;
    }
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      resolve();
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
