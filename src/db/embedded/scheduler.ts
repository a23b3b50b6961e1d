import type { PGlite } from '@electric-sql/pglite';

/**
 * Decides which client connection may talk to the one PGlite backend next.
 *
 * PGlite has a single backend session, and pglite-socket's own queue interleaves connections
 * message by message: fine for explicit transactions (it keeps a connection on while
 * `BEGIN … COMMIT` is open) but not for the extended protocol, where one query is
 * Parse/Bind/Describe/Execute/Sync and another connection's Parse between them replaces the unnamed
 * statement. So a connection here holds the backend from its first message until a Sync or simple
 * Query leaves the backend outside a transaction block; everyone else waits their turn.
 *
 * The shape (enqueue, clearQueueForHandler, clearTransactionIfNeeded) is the one pglite-socket's
 * `PGLiteSocketHandler` calls, so the package's handler does the wire framing and this does the
 * scheduling.
 */
interface Pending {
  handlerId: number;
  message: Uint8Array;
  onData: (data: Uint8Array) => void;
  resolve: (bytes: number) => void;
  reject: (error: Error) => void;
}

const SYNC = 0x53; // 'S'
const SIMPLE_QUERY = 0x51; // 'Q'
const TERMINATE = 0x58; // 'X'
const SYNC_MESSAGE = new Uint8Array([SYNC, 0, 0, 0, 4]);

export class SessionScheduler {
  private readonly pending: Pending[] = [];
  private holder: number | null = null;
  private running = false;

  constructor(private readonly db: PGlite) {}

  enqueue(handlerId: number, message: Uint8Array, onData: (data: Uint8Array) => void): Promise<number> {
    return new Promise((resolve, reject) => {
      this.pending.push({ handlerId, message, onData, resolve, reject });
      void this.drain();
    });
  }

  get queueLength(): number {
    return this.pending.length;
  }

  clearQueueForHandler(handlerId: number): void {
    for (let index = this.pending.length - 1; index >= 0; index--) {
      const item = this.pending[index];
      if (item?.handlerId !== handlerId) continue;
      this.pending.splice(index, 1);
      item.reject(new Error('Connection closed'));
    }
  }

  /** A connection went away while it held the backend: end what it left open, then let others in. */
  async clearTransactionIfNeeded(handlerId: number): Promise<void> {
    if (this.holder !== handlerId) return;
    // A pipeline cut off after an error leaves the backend skipping messages until a Sync.
    await this.db.runExclusive(() => this.db.execProtocolRaw(SYNC_MESSAGE));
    // `exec` takes PGlite's query lock itself, so it runs outside `runExclusive`.
    if (this.db.isInTransaction()) await this.db.exec('ROLLBACK');
    this.holder = null;
    void this.drain();
  }

  private async drain(): Promise<void> {
    if (this.running) return;
    this.running = true;
    try {
      for (;;) {
        const index = this.pending.findIndex(
          (item) => this.holder === null || item.handlerId === this.holder,
        );
        if (index === -1) return;
        const [item] = this.pending.splice(index, 1);
        if (!item) return;
        this.holder = item.handlerId;
        let bytes = 0;
        try {
          await this.db.runExclusive(() =>
            this.db.execProtocolRawStream(item.message, {
              onRawData: (data) => {
                bytes += data.length;
                item.onData(data);
              },
            }),
          );
        } catch (error) {
          this.holder = null;
          item.reject(error instanceof Error ? error : new Error(String(error)));
          continue;
        }
        if (endsExchange(item.message) && !this.db.isInTransaction()) this.holder = null;
        item.resolve(bytes);
      }
    } finally {
      this.running = false;
    }
  }
}

/** Sync, a simple Query, Terminate, or the untyped startup message end one request/response exchange. */
function endsExchange(message: Uint8Array): boolean {
  const type = message[0];
  if (type === SYNC || type === SIMPLE_QUERY || type === TERMINATE) return true;
  // The startup message has no type byte: it starts with its int32 length, whose first byte is 0.
  return type === 0;
}
