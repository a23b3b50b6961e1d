/**
 * Records the SQL statements Prisma sends while a piece of work runs, so a test can snapshot them:
 * an N+1 (a statement repeated per row) or a new column read shows up in review as a diff of the
 * snapshot, not as a count that happens to stay the same.
 *
 * Pass `recorder.record` as `onQuery` to createTestDatabase. Statements are listed in the order
 * sent, except that work started together (Promise.all) may interleave; `during` sorts them so the
 * snapshot does not depend on which of two parallel queries reached the pool first.
 */
export class SqlRecorder {
  private current: string[] | null = null;

  readonly record = (sql: string): void => {
    this.current?.push(normalizeStatement(sql));
  };

  async during(work: () => Promise<unknown>): Promise<string[]> {
    if (this.current) throw new Error('SqlRecorder.during: one recording at a time');
    this.current = [];
    try {
      await work();
      return [...this.current].sort();
    } finally {
      this.current = null;
    }
  }
}

/**
 * Whitespace folded; transaction brackets kept (they are statements too), named the same on both
 * adapters (PGlite's reports `-- Implicit "COMMIT" query via underlying driver`).
 */
function normalizeStatement(sql: string): string {
  const folded = sql.replace(/\s+/g, ' ').trim();
  return /^-- Implicit "(\w+)" query via underlying driver$/.exec(folded)?.[1] ?? folded;
}
