import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiToken } from '../../../src/app/auth/tokens';
import { FakeSlackServer } from '../../fakes/slack-server';
import { createTestDatabase, type TestDatabase, usingPostgres } from '../../support/database';
import { type ApiProcess, startApiProcess, waitFor } from '../../support/processes';

/**
 * A decision watched from a Slack channel, on an API started without the bot's token: the new
 * version is recorded, the API says (once) that it was not posted and what to set, and an API
 * started later with the token posts the version that waited. Real processes on one PostgreSQL.
 */
describe.skipIf(!usingPostgres())('a channel watch on an API without SLACK_BOT_TOKEN', () => {
  let database: TestDatabase;
  const slack = new FakeSlackServer();
  const apis: ApiProcess[] = [];
  let admin = '';
  beforeAll(async () => {
    database = await createTestDatabase();
    admin = (await createApiToken(database.prisma, { name: 'no-token-admin', role: 'ADMIN' })).token;
    await slack.start();
  }, 120_000);
  afterAll(async () => {
    await Promise.all(apis.map((api) => api.kill('SIGTERM')));
    await slack.stop();
    await database.drop();
  });

  const call = async (api: ApiProcess, query: string, variables: Record<string, unknown> = {}) => {
    const response = await fetch(`${api.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${admin}` },
      body: JSON.stringify({ query, variables }),
    });
    const body = (await response.json()) as { data?: Record<string, { id: string }>; errors?: unknown[] };
    expect(body.errors).toBeUndefined();
    return body.data;
  };

  it('records the version, warns once naming the channel and SLACK_BOT_TOKEN, and posts it once a token is set', async () => {
    const withoutToken = await startApiProcess({
      databaseUrl: database.url as string,
      env: { SLACK_BOT_TOKEN: '', SLACK_SIGNING_SECRET: '' },
    });
    apis.push(withoutToken);
    const { name: _title, ...workload } = JSON.parse(
      await readFile('seeds/workloads/base-model-commodity.json', 'utf8'),
    ) as Record<string, unknown>;
    const saved = await call(
      withoutToken,
      'mutation($w: WorkloadInput!) { saveDecision(workload: $w) { id } }',
      {
        w: workload,
      },
    );
    const id = saved?.saveDecision?.id ?? '';
    await call(withoutToken, `mutation { watchDecision(id: "${id}", channel: "C0NOTOKEN") { id } }`);
    await call(
      withoutToken,
      `mutation { updatePriceComponent(slug: "bedrock-on-demand-8b-output", input: { amount: "1000", source: "test: a later price page", asOf: "${new Date().toISOString()}" }) { slug } }`,
    );

    const warning = 'not posted to Slack channel(s) C0NOTOKEN: this API has no SLACK_BOT_TOKEN';
    await waitFor(
      'the API to warn that the version was not posted',
      () => withoutToken.output().includes(warning),
      {
        timeoutMs: 30_000,
        describe: withoutToken.output,
      },
    );
    const versions = await database.prisma.decisionVersion.findMany({ where: { decisionId: id } });
    expect(versions).toHaveLength(1);
    expect(versions[0]?.notifiedAt).toBeNull();
    // Two more watcher rounds (every 2 s): the same waiting version is not reported again.
    await new Promise((resolve) => setTimeout(resolve, 4_500));
    expect(withoutToken.output().split(warning).length - 1).toBe(1);
    expect(slack.callsTo('chat.postMessage')).toHaveLength(0);

    await withoutToken.kill('SIGTERM');
    const withToken = await startApiProcess({
      databaseUrl: database.url as string,
      env: { SLACK_BOT_TOKEN: 'xoxb-test-token', SLACK_API_URL: slack.apiUrl, SLACK_SIGNING_SECRET: '' },
    });
    apis.push(withToken);
    const posts = await waitFor(
      'the waiting version to be posted',
      () => {
        const calls = slack.callsTo('chat.postMessage');
        return calls.length > 0 ? calls : null;
      },
      { timeoutMs: 30_000, describe: withToken.output },
    );
    expect(posts.map((post) => post.params.channel)).toEqual(['C0NOTOKEN']);
    expect(String(posts[0]?.params.text)).toContain(`Your saved decision ${id} changed`);
    expect(withToken.output()).not.toContain(warning);
  });
});
