import Decimal from 'decimal.js';
import { valueAt } from '../../domain/price-history';
import type { Prisma } from '../../generated/prisma/client';
import type { Confidence } from '../../generated/prisma/enums';
import { recordEvidenceChange } from '../decisions/watch';

export interface NewPriceValue {
  componentId: string;
  amount: Decimal | string;
  effectiveFrom: Date;
  source: string;
  sourceUrl?: string | null;
  confidence: Confidence;
  note?: string | null;
  recordedBy: string;
  /** Defaults to now; seeded public figures pass their effective date. */
  recordedAt?: Date;
  /** Set for seeds and imports so recording the same figure twice adds nothing. */
  fingerprint?: string;
}

/**
 * Adds one dated value to a price component (nothing is ever overwritten) and brings the component's
 * current-figure columns up to date. Returns null when a value with the same fingerprint exists.
 */
export async function recordPriceValue(tx: Prisma.TransactionClient, value: NewPriceValue) {
  if (value.fingerprint) {
    const existing = await tx.priceValue.findUnique({ where: { fingerprint: value.fingerprint } });
    if (existing) return null;
  }
  const priorValues = await tx.priceValue.findMany({ where: { componentId: value.componentId } });
  const prior = valueAt(priorValues, new Date());
  const created = await tx.priceValue.create({
    data: {
      componentId: value.componentId,
      amount: value.amount.toString(),
      effectiveFrom: value.effectiveFrom,
      source: value.source,
      sourceUrl: value.sourceUrl ?? null,
      confidence: value.confidence,
      note: value.note ?? null,
      recordedBy: value.recordedBy,
      // Set here rather than by the column default: a server whose session time zone is not UTC
      // would store its local time in the zone-less column and put the value in the future.
      recordedAt: value.recordedAt ?? new Date(),
      fingerprint: value.fingerprint ?? null,
    },
  });
  await refreshCurrentValue(tx, value.componentId);
  const current = valueAt([...priorValues, created], new Date());
  // Watched decisions re-check themselves when a price in effect changes (app/decisions/watch.ts).
  if (
    current?.id === created.id &&
    !(prior && new Decimal(prior.amount.toString()).equals(created.amount.toString()))
  ) {
    const component = await tx.priceComponent.findUniqueOrThrow({ where: { id: value.componentId } });
    const money = (amount: { toString(): string }) => `$${new Decimal(amount.toString()).toFixed()}`;
    await recordEvidenceChange(tx, {
      kind: 'PRICE_VALUE',
      subjectId: created.id,
      summary: `${component.slug}: ${prior ? money(prior.amount) : '(none)'} → ${money(created.amount)} from ${created.effectiveFrom.toISOString().slice(0, 10)}`,
    });
  }
  return created;
}

/** Mirrors the value in effect now into the component's columns (amount, source, asOf, confidence). */
export async function refreshCurrentValue(
  tx: Prisma.TransactionClient,
  componentId: string,
  now: Date = new Date(),
): Promise<void> {
  const values = await tx.priceValue.findMany({ where: { componentId } });
  const current = valueAt(values, now);
  if (!current) return;
  await tx.priceComponent.update({
    where: { id: componentId },
    data: {
      amount: current.amount,
      currency: current.currency,
      source: current.source,
      sourceUrl: current.sourceUrl,
      asOf: current.effectiveFrom,
      confidence: current.confidence,
    },
  });
}
