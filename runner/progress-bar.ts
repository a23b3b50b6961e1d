import type { BenchmarkProgress } from './load';
import { describeProfile } from './summary-table';

/** Redraws at most this often: a terminal does not need 10,000 updates a second. */
const REDRAW_INTERVAL_MS = 100;
const BAR_WIDTH = 30;

/** A one-line progress bar for an interactive terminal (the caller checks `isTTY`). */
export class ProgressBar {
  private lastDrawnAt = 0;
  private lastLine = '';

  constructor(private readonly stream: NodeJS.WriteStream) {}

  update(progress: BenchmarkProgress): void {
    const done = progress.completed + progress.failed;
    const now = Date.now();
    if (done < progress.total && now - this.lastDrawnAt < REDRAW_INTERVAL_MS) return;
    this.lastDrawnAt = now;
    const fraction = progress.total === 0 ? 1 : done / progress.total;
    const filled = Math.round(fraction * BAR_WIDTH);
    const bar = `${'#'.repeat(filled)}${'.'.repeat(BAR_WIDTH - filled)}`;
    const level = `level ${progress.levelIndex + 1}/${progress.levelCount} ${describeProfile(progress.profile)}`;
    const phase = progress.phase === 'WARMUP' ? ' warm-up' : '';
    const failed = progress.failed > 0 ? `, ${progress.failed} failed` : '';
    this.draw(
      `${level}${phase} [${bar}] ${done}/${progress.total} requests, ${progress.outputTokens} tokens${failed}`,
    );
  }

  /** Clears the bar so the next output starts on a clean line. */
  finish(): void {
    if (this.lastLine === '') return;
    this.stream.write('\r\x1b[2K');
    this.lastLine = '';
  }

  private draw(line: string): void {
    const columns = this.stream.columns ?? 120;
    const fitted = line.length >= columns ? line.slice(0, columns - 1) : line;
    this.stream.write(`\r\x1b[2K${fitted}`);
    this.lastLine = fitted;
  }
}
