import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ActionId } from '../../../bot/constants';
import { slackWatchNotifier } from '../../../src/app/decisions/slack-notifier';
import { runWatchRound } from '../../../src/app/decisions/watch';
import { BotHarness, CHANNEL, messageText, VIEWER } from './harness';

/**
 * "Watch" on the decision message and `/floorplan stale`, through the real bot (signed HTTP, fake
 * Slack) and the real API: the channel is remembered, the confirmation goes in the thread, a price
 * edit that flips the answer is posted there exactly once, naming the cause.
 */
describe('Watch from Slack', () => {
  const harness = new BotHarness();
  beforeAll(() => harness.start());
  afterAll(() => harness.stop());

  // A commodity base-model workload: per-token prices win it until the output price jumps.
  const COMMODITY = 'model=llama-3.1-8b-instruct-base requests=3000/day in=500 out=200 hours=8';

  it('Watch saves and watches in the channel, confirms in the thread; a flipping price edit is posted once with its cause', async () => {
    const messageTs = '1700000123.000200';
    await harness.buttonClick({
      actionId: ActionId.watchDecision,
      value: COMMODITY,
      user: VIEWER,
      messageTs,
    });
    const confirmation = await harness.slack.waitFor(() =>
      harness.slack.callsTo('chat.postMessage').find((call) => call.params.thread_ts === messageTs),
    );
    expect(confirmation.params.channel).toBe(CHANNEL);
    const watch = await harness.api.database.prisma.decisionWatch.findFirstOrThrow({
      include: { decision: true },
    });
    expect(watch.channel).toBe(CHANNEL);
    expect(watch.decision.requestedBy).toBe(`slack:${VIEWER}`);
    expect(String(confirmation.params.text)).toContain(
      `<@${VIEWER}> is watching decision \`${watch.decisionId}\``,
    );

    const stale = await harness.slashCommand('stale days=180');
    const staleText = messageText((await harness.waitForResponse(stale.responseId, 15_000)).body);
    expect(staleText).toContain(`\`${watch.decisionId}\` (watched in <#${CHANNEL}>`);
    expect(staleText).toContain('seeds/price-mappings/litellm.mapping.yaml --dry-run');

    harness.slack.reset();
    const edit = await fetch(harness.api.graphqlUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${harness.api.tokens.admin}` },
      body: JSON.stringify({
        query: `mutation { updatePriceComponent(slug: "bedrock-on-demand-8b-output", input: { amount: "1000", source: "test: a later price page", asOf: "${new Date().toISOString()}" }) { slug } }`,
      }),
    });
    expect(((await edit.json()) as { errors?: unknown }).errors).toBeUndefined();
    // The API's watcher, one round on each of two replicas, posting with the bot's token.
    const notifier = slackWatchNotifier('xoxb-test-token', harness.slack.apiUrl);
    await runWatchRound(harness.api.database.prisma, 'replica-a', notifier, harness.api.url);
    await runWatchRound(harness.api.database.prisma, 'replica-b', notifier, harness.api.url);
    const posts = harness.slack.callsTo('chat.postMessage');
    expect(posts).toHaveLength(1);
    expect(posts[0]?.params.channel).toBe(CHANNEL);
    expect(String(posts[0]?.params.text)).toMatch(
      new RegExp(
        `^Your saved decision ${watch.decisionId} changed: recommendation flipped from bedrock-on-demand to \\S+ because bedrock-on-demand-8b-output rose from \\$0\\.22 to \\$1,000`,
      ),
    );
  });

  it('refuses a bad stale threshold with a working example', async () => {
    const delivery = await harness.slashCommand('stale days=-3');
    expect(delivery.body).toContain('/floorplan stale days=180');
  });
});
