import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { accessCsvRoute } from '../../../src/api/http/access-csv';
import { type ApiServer, startApiServer } from '../../../src/api/server';
import { createTestDatabase, type TestDatabase } from '../../support/database';
import { createGraphQLCaller, type GraphQLCaller } from '../../support/graphql';

describe('access paths: GraphQL, recording attempts, CSV export', () => {
  let database: TestDatabase;
  let api: GraphQLCaller;
  let server: ApiServer;
  beforeAll(async () => {
    database = await createTestDatabase();
    api = await createGraphQLCaller(database.prisma);
    server = await startApiServer({
      prisma: database.prisma,
      host: '127.0.0.1',
      port: 0,
      isProduction: false,
      publicCatalog: false,
      routes: [accessCsvRoute(database.prisma, false)],
    });
  });
  afterAll(async () => {
    await server.close();
    await database.drop();
  });

  it('compares the GB300-class paths with the figures derived from the lab attempts', async () => {
    const { body } = await api.run<{
      accessPaths: {
        slug: string;
        channel: string;
        minimumCommitment: { amount: string } | null;
        figures: {
          medianHoursToAnswer: number | null;
          worstHoursToAnswer: number | null;
          worstIsStillOpen: boolean;
        };
      }[];
    }>(
      '{ accessPaths(accelerator: "gb300") { slug channel minimumCommitment { amount } figures { medianHoursToAnswer worstHoursToAnswer worstIsStillOpen } } }',
      {},
      { as: 'VIEWER' },
    );
    expect(body.errors).toBeUndefined();
    const bySlug = Object.fromEntries((body.data?.accessPaths ?? []).map((path) => [path.slug, path]));
    expect(bySlug['hyperscaler-gpu-quota-form']?.figures.medianHoursToAnswer).toBeCloseTo(1 / 60, 6);
    expect(bySlug['gb300-capacity-block']?.minimumCommitment?.amount).toBe('1000');
    expect(bySlug['neocloud-gb300-request']?.figures.worstIsStillOpen).toBe(true);
    expect(bySlug['neocloud-gb300-request']?.figures.worstHoursToAnswer).toBeGreaterThan(36);
    expect(Object.keys(bySlug)).not.toContain('dgx-spark-purchase');
  });

  const RECORD = /* GraphQL */ `
    mutation Record($input: RecordAccessAttemptInput!) {
      recordAccessAttempt(input: $input) { id outcome recordedBy }
    }
  `;

  it('records an attempt (operator), audited; refuses viewers and bad input', async () => {
    const input = {
      accessPath: 'neocloud-gb300-request',
      requestedAt: '2026-11-01T09:00:00Z',
      answeredAt: '2026-11-03T09:00:00Z',
      outcome: 'APPROVED',
      notes: 'account manager call',
    };
    const refused = await api.run(RECORD, { input }, { as: 'VIEWER' });
    expect(refused.body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const backwards = await api.run(
      RECORD,
      { input: { ...input, answeredAt: '2026-10-01T00:00:00Z' } },
      { as: 'OPERATOR' },
    );
    expect(backwards.body.errors?.[0]?.message).toMatch(/answeredAt cannot be before requestedAt/);
    const recorded = await api.run<{ recordAccessAttempt: { id: string } }>(
      RECORD,
      { input },
      { as: 'OPERATOR' },
    );
    expect(recorded.body.errors).toBeUndefined();
    const audit = await database.prisma.auditEvent.findFirstOrThrow({
      where: { action: 'access-attempt.record', entityId: recorded.body.data?.recordAccessAttempt.id },
    });
    expect(audit.actor).toMatch(/^token:test-operator/);
  });

  it('exports CSV for spreadsheets, and refuses callers without a token', async () => {
    const anonymous = await fetch(`${server.url}/export/access-paths.csv`);
    expect(anonymous.status).toBe(401);
    const posted = await fetch(`${server.url}/export/access-paths.csv`, {
      method: 'POST',
      headers: { authorization: `Bearer ${api.tokens.VIEWER}` },
    });
    expect(posted.status).toBe(405);
    expect(posted.headers.get('allow')).toBe('GET');
    const response = await fetch(`${server.url}/export/access-paths.csv?accelerator=gb300`, {
      headers: { authorization: `Bearer ${api.tokens.VIEWER}` },
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/text\/csv/);
    const lines = (await response.text()).trim().split('\r\n');
    expect(lines[0]).toMatch(/^slug,name,accelerator_class/);
    const capacityBlock = lines.find((line) => line.startsWith('gb300-capacity-block,'));
    expect(capacityBlock).toContain(',1000,USD,24,true,false,');
    expect(lines.every((line) => !line.startsWith('dgx-spark-purchase'))).toBe(true);
  });
});
