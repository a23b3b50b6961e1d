import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { recordAudit } from '../../../src/app/audit/record';
import { createTestDatabase, type TestDatabase } from '../../support/database';

/**
 * RELIABILITY promise 13: audit rows are append-only for the application's own connection (the
 * migration's trigger), on PGlite and on Postgres. New rows are still written.
 */
describe('append-only audit', () => {
  let database: TestDatabase;
  let id: string;

  beforeAll(async () => {
    database = await createTestDatabase();
    await database.prisma.$transaction((tx) =>
      recordAudit(tx, {
        actor: 'token:alice',
        action: 'price.update',
        entityType: 'PriceComponent',
        entityId: 'dgx-spark-purchase',
        before: { amount: '4699' },
        after: { amount: '3999' },
      }),
    );
    id = (await database.prisma.auditEvent.findFirstOrThrow({ where: { actor: 'token:alice' } })).id;
  });
  afterAll(async () => {
    await database?.drop();
  });

  it('refuses UPDATE, DELETE and TRUNCATE of audit rows, through Prisma and raw SQL, changing nothing', async () => {
    const before = await database.prisma.auditEvent.findUniqueOrThrow({ where: { id } });
    const count = await database.prisma.auditEvent.count();
    const attempts: [string, () => Promise<unknown>][] = [
      [
        'update',
        () => database.prisma.auditEvent.update({ where: { id }, data: { actor: 'token:mallory' } }),
      ],
      ['delete', () => database.prisma.auditEvent.delete({ where: { id } })],
      ['deleteMany', () => database.prisma.auditEvent.deleteMany({})],
      [
        'raw UPDATE',
        () => database.prisma.$executeRaw`UPDATE "AuditEvent" SET "after" = NULL WHERE "id" = ${id}`,
      ],
      ['raw DELETE', () => database.prisma.$executeRaw`DELETE FROM "AuditEvent"`],
      ['TRUNCATE', () => database.prisma.$executeRawUnsafe('TRUNCATE "AuditEvent"')],
    ];
    for (const [name, attempt] of attempts) {
      await expect(attempt(), name).rejects.toThrow(/append-only/);
    }
    expect(await database.prisma.auditEvent.findUniqueOrThrow({ where: { id } })).toEqual(before);
    expect(await database.prisma.auditEvent.count()).toBe(count);
  });

  it('still appends new audit rows', async () => {
    const count = await database.prisma.auditEvent.count();
    await database.prisma.$transaction((tx) =>
      recordAudit(tx, {
        actor: 'token:bob',
        action: 'path.update',
        entityType: 'ServingPath',
        entityId: 'x',
      }),
    );
    expect(await database.prisma.auditEvent.count()).toBe(count + 1);
  });
});
