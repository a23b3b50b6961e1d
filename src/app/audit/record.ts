import type { Prisma } from '../../generated/prisma/client';

export interface AuditEntry {
  actor: string;
  action: string;
  entityType: string;
  entityId: string;
  before?: unknown;
  after?: unknown;
}

/** JSON-safe copy: Decimals become their exact strings, Dates ISO strings. */
function toJson(value: unknown): Prisma.InputJsonValue | undefined {
  if (value === undefined) return undefined;
  return JSON.parse(JSON.stringify(value)) as Prisma.InputJsonValue;
}

/** Writes one audit row inside the caller's transaction, so the change and its record land together. */
export async function recordAudit(tx: Prisma.TransactionClient, entry: AuditEntry): Promise<string> {
  const row = await tx.auditEvent.create({
    data: {
      actor: entry.actor,
      action: entry.action,
      entityType: entry.entityType,
      entityId: entry.entityId,
      before: toJson(entry.before),
      after: toJson(entry.after),
    },
    select: { id: true },
  });
  return row.id;
}
