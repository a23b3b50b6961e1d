import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ActionId, CallbackId, WorkloadFormField } from '../../../bot/constants';
import { computeSlackSignature } from '../../../bot/security/request-signature';
import { createGraphqlClient } from '../../../clients/graphql/client';
import {
  HeartbeatBenchmarkRunDocument,
  LeaseBenchmarkRunDocument,
} from '../../../clients/graphql/operations.generated';
import { BotHarness, CHANNEL, messageText, OPERATOR, TEST_SIGNING_SECRET, VIEWER } from './harness';

describe('Slack requests are genuine (RELIABILITY promise 11)', () => {
  const harness = new BotHarness();
  beforeAll(() => harness.start());
  afterAll(() => harness.stop());
  afterEach(() => harness.slack.reset());

  const helpBody = () => harness.slashCommandBody('help').body;
  const now = () => Math.floor(Date.now() / 1000);

  it('accepts a correctly signed request', async () => {
    const delivery = await harness.deliver(helpBody(), 'application/x-www-form-urlencoded');
    expect(delivery.status).toBe(200);
    expect(delivery.body).toContain('floorplan');
  });

  it.each([
    ['stale (6 minutes old)', { timestamp: now() - 360 }],
    ['future-dated (6 minutes ahead)', { timestamp: now() + 360 }],
    ['unsigned', { signature: null }],
    [
      'signed with another secret',
      { signature: computeSlackSignature('another-secret', String(now()), 'x') },
    ],
    ['malformed signature', { signature: 'v1=abc' }],
  ])('refuses a %s request with 401 and dispatches nothing', async (_label, options) => {
    const delivery = await harness.deliver(helpBody(), 'application/x-www-form-urlencoded', options);
    expect(delivery.status).toBe(401);
    expect(harness.slack.calls).toHaveLength(0);
    expect(harness.slack.responseUrlPosts).toHaveLength(0);
  });

  it('refuses a tampered body (signature of the original, body changed)', async () => {
    const timestamp = String(now());
    const original = harness.slashCommandBody('help').body;
    const signature = computeSlackSignature(TEST_SIGNING_SECRET, timestamp, original);
    const tampered = original.replace('user_id=U0VIEWER', `user_id=${OPERATOR}`);
    const delivery = await harness.deliver(tampered, 'application/x-www-form-urlencoded', {
      timestamp: Number(timestamp),
      signature,
    });
    expect(delivery.status).toBe(401);
  });

  it('refuses a replay of a request already accepted', async () => {
    const timestamp = now();
    const body = helpBody();
    const signature = computeSlackSignature(TEST_SIGNING_SECRET, String(timestamp), body);
    const first = await harness.deliver(body, 'application/x-www-form-urlencoded', { timestamp, signature });
    const replay = await harness.deliver(body, 'application/x-www-form-urlencoded', { timestamp, signature });
    expect(first.status).toBe(200);
    expect(replay.status).toBe(401);
  });

  it('answers the url_verification challenge', async () => {
    const delivery = await harness.deliver(
      JSON.stringify({ type: 'url_verification', challenge: 'c-123', token: 't' }),
      'application/json',
    );
    expect(delivery.status).toBe(200);
    expect(JSON.parse(delivery.body)).toEqual({ challenge: 'c-123' });
  });

  it('publishes App Home once for an event redelivered with X-Slack-Retry-Num', async () => {
    const event = { type: 'app_home_opened', user: VIEWER, channel: 'D0HOME', tab: 'home', event_ts: '1.2' };
    const first = await harness.event(event, { eventId: 'Ev0DEDUPE' });
    await harness.slack.waitFor(() => harness.slack.callsTo('views.publish')[0]);
    // Slack signs each delivery afresh: the retry carries a later timestamp, hence a new signature.
    const retry = await harness.event(event, { eventId: 'Ev0DEDUPE', retryNum: 1, timestamp: now() + 1 });
    expect(first.status).toBe(200);
    expect(retry.status).toBe(200);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(harness.slack.callsTo('views.publish')).toHaveLength(1);
  });
});

describe('App Home and the workload modal', () => {
  const harness = new BotHarness();
  beforeAll(() => harness.start());
  afterAll(() => harness.stop());
  afterEach(async () => {
    harness.slack.reset();
    harness.api.gate.up();
    await harness.cancelOpenRuns();
  });

  it('shows running and queued runs with cancel buttons for operators, and saved decisions', async () => {
    // A run as the real runner would have it: queued by the bot, leased and half measured.
    const queued = await harness.adminApi().createBenchmarkRun({
      box: 'dgx-spark',
      variant: 'llama-3.1-8b-lora',
      endpointKind: 'CHAT',
      idempotencyKey: 'home-test-run',
      spec: {
        profile: { kind: 'CONCURRENCY', concurrency: [1, 8] },
        numPrompts: 50,
        inputTokens: 512,
        outputTokens: 256,
      },
    });
    const runner = createGraphqlClient({
      url: harness.api.graphqlUrl,
      token: harness.api.tokens.runner,
      clientName: 'test-runner',
    });
    const { leaseBenchmarkRun } = await runner.execute(LeaseBenchmarkRunDocument, {
      box: 'dgx-spark',
      runner: 'home-test',
    });
    expect(leaseBenchmarkRun?.id).toBe(queued.id);
    await runner.execute(HeartbeatBenchmarkRunDocument, {
      id: queued.id,
      attempt: leaseBenchmarkRun?.attempt ?? 1,
      progress: {
        levelIndex: 0,
        levelCount: 2,
        phase: 'MEASURE',
        completed: 25,
        failed: 0,
        total: 50,
        outputTokens: 100,
      },
    });
    await harness.event({
      type: 'app_home_opened',
      user: OPERATOR,
      channel: 'D0HOME',
      tab: 'home',
      event_ts: '1.3',
    });
    const publish = await harness.slack.waitFor(() => harness.slack.callsTo('views.publish')[0]);
    expect(publish.params.user_id).toBe(OPERATOR);
    const text = messageText(publish.params);
    expect(text).toContain('Running (1)');
    expect(text).toContain(queued.id);
    expect(text).toContain('50%');
    expect(text).toContain(ActionId.cancelRun);
  });

  it('publishes an honest "API not answering" Home when the API is down', async () => {
    harness.api.gate.down();
    await harness.event({
      type: 'app_home_opened',
      user: VIEWER,
      channel: 'D0HOME',
      tab: 'home',
      event_ts: '1.4',
    });
    const publish = await harness.slack.waitFor(() => harness.slack.callsTo('views.publish')[0]);
    expect(messageText(publish.params)).toContain('The floorplan API is not answering');
  });

  it('keeps the modal open with the error beside the field when a value is malformed', async () => {
    const values = {
      [WorkloadFormField.model]: {
        [WorkloadFormField.model]: { type: 'plain_text_input', value: 'llama-3.1-8b-lora' },
      },
      [WorkloadFormField.requests]: {
        [WorkloadFormField.requests]: { type: 'plain_text_input', value: '40000/day' },
      },
      [WorkloadFormField.inputTokens]: {
        [WorkloadFormField.inputTokens]: { type: 'plain_text_input', value: 'nine hundred' },
      },
      [WorkloadFormField.outputTokens]: {
        [WorkloadFormField.outputTokens]: { type: 'plain_text_input', value: '250' },
      },
    };
    const delivery = await harness.viewSubmission(
      CallbackId.workloadForm,
      values,
      JSON.stringify({ channelId: CHANNEL, userId: VIEWER }),
    );
    expect(delivery.status).toBe(200);
    const ack = JSON.parse(delivery.body) as { response_action: string; errors: Record<string, string> };
    expect(ack.response_action).toBe('errors');
    expect(ack.errors[WorkloadFormField.inputTokens]).toContain('is not a number');
    expect(harness.slack.calls.filter((call) => call.method === 'chat.postMessage')).toHaveLength(0);
  });

  it('answers a valid modal submission in the channel it was opened from', async () => {
    const values = {
      [WorkloadFormField.model]: {
        [WorkloadFormField.model]: { type: 'plain_text_input', value: 'llama-3.1-8b-lora' },
      },
      [WorkloadFormField.requests]: {
        [WorkloadFormField.requests]: { type: 'plain_text_input', value: '40000/day' },
      },
      [WorkloadFormField.inputTokens]: {
        [WorkloadFormField.inputTokens]: { type: 'plain_text_input', value: '900' },
      },
      [WorkloadFormField.outputTokens]: {
        [WorkloadFormField.outputTokens]: { type: 'plain_text_input', value: '250' },
      },
      [WorkloadFormField.requirements]: {
        [WorkloadFormField.requirements]: {
          type: 'checkboxes',
          selected_options: [{ value: 'own-weights' }],
        },
      },
    };
    const delivery = await harness.viewSubmission(
      CallbackId.workloadForm,
      values,
      JSON.stringify({ channelId: CHANNEL, userId: VIEWER }),
    );
    expect(delivery.status).toBe(200);
    const post = await harness.slack.waitFor(() => harness.slack.callsTo('chat.postMessage')[0]);
    expect(post.params.channel).toBe(CHANNEL);
    expect(messageText(post.params)).toContain('Serve it on');
  });

  it('saves a decision from the button and says where to find it', async () => {
    const clicked = await harness.buttonClick({
      actionId: ActionId.saveDecision,
      value: 'model=llama-3.1-8b-lora requests=40000/day in=900 out=250 keeping=fast',
      user: VIEWER,
    });
    const answer = await harness.waitForResponse(clicked.responseId);
    expect(messageText(answer.body)).toContain('Saved decision `');
    const [saved] = await harness.api.database.prisma.decision.findMany({
      orderBy: { createdAt: 'desc' },
      include: { workload: true },
    });
    expect(saved?.keep).toEqual(['FAST']);
    expect(saved?.requestedBy).toBe(`slack:${VIEWER}`);
    expect(saved?.workload.name).toBe('llama-3.1-8b-lora (asked in Slack)');
    // App Home names the model and who asked, by Slack mention.
    await harness.event({
      type: 'app_home_opened',
      user: VIEWER,
      channel: 'D0HOME',
      tab: 'home',
      event_ts: '1.9',
    });
    const publish = await harness.slack.waitFor(() => harness.slack.callsTo('views.publish')[0]);
    const home = messageText(publish.params);
    expect(home).toContain(`*llama-3.1-8b-lora*`);
    expect(home).toContain(`asked by <@${VIEWER}>`);
  });

  it('answers "Compare with cloud" with costs, and a stale button with a working example', async () => {
    const compared = await harness.buttonClick({
      actionId: ActionId.compareWithCloud,
      value: 'model=llama-3.1-8b-lora requests=100/day in=9 out=9',
    });
    const answer = await harness.waitForResponse(compared.responseId);
    expect(messageText(answer.body)).toContain('owned box vs cloud, by cost');
    const stale = await harness.buttonClick({ actionId: ActionId.compareWithCloud, value: 'garbage' });
    const staleAnswer = await harness.waitForResponse(stale.responseId);
    expect(messageText(staleAnswer.body)).toContain('Try: `/floorplan cost');
  });
});
