/**
 * A bounded memory of recently seen keys (event ids, request signatures) with expiry. It is a
 * per-process guard against Slack redeliveries; run triggers are made idempotent by the API as well,
 * so a second replica that misses a key still creates one run.
 */
export class SeenKeys {
  private readonly expiresAtByKey = new Map<string, number>();

  constructor(
    private readonly ttlMs: number,
    private readonly maxEntries = 10_000,
    private readonly now: () => number = Date.now,
  ) {}

  /** Records the key; true when it was already present and unexpired (so the caller should skip). */
  checkAndRemember(key: string): boolean {
    const now = this.now();
    this.evictExpired(now);
    const expiresAt = this.expiresAtByKey.get(key);
    if (expiresAt !== undefined && expiresAt > now) return true;
    this.expiresAtByKey.set(key, now + this.ttlMs);
    while (this.expiresAtByKey.size > this.maxEntries) {
      const oldest = this.expiresAtByKey.keys().next();
      if (oldest.done) break;
      this.expiresAtByKey.delete(oldest.value);
    }
    return false;
  }

  /** Lets a key be used again (e.g. the work it guarded failed before doing anything). */
  forget(key: string): void {
    this.expiresAtByKey.delete(key);
  }

  private evictExpired(now: number): void {
    // Insertion order is expiry order (constant TTL), so stop at the first live entry.
    for (const [key, expiresAt] of this.expiresAtByKey) {
      if (expiresAt > now) break;
      this.expiresAtByKey.delete(key);
    }
  }
}
