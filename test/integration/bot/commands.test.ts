import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { BotHarness, messageText, OPERATOR, VIEWER } from './harness';

describe('/floorplan commands over signed HTTP', () => {
  const harness = new BotHarness();
  beforeAll(() => harness.start());
  afterAll(() => harness.stop());
  afterEach(() => {
    harness.slack.reset();
    harness.api.delayMs = 0;
    harness.api.unavailable = false;
    harness.api.failOperation('Decide', undefined);
  });

  it('answers keep with the decision in the channel: table, kept sets in plain words, buttons', async () => {
    const delivery = await harness.slashCommand(
      'keep model=llama-3.1-8b-lora requests=40000/day in=900 out=250 hours=10 custom own-weights tps>=30 ttft<=800 budget=500 needed-by=7',
    );
    expect(delivery.status).toBe(200);
    const post = await harness.waitForResponse(delivery.responseId);
    expect(post.body.response_type).toBe('in_channel');
    const text = messageText(post.body);
    expect(text).toContain('To serve this you keep one of:');
    expect(text).toContain('token latency on dgx-spark ($122.40/mo, 21 vs 30 tok/s)');
    expect(text).toContain('budget and control of the weights on bedrock-pt ($17,155.00/mo');
    expect(text).toContain('Run a benchmark');
    expect(text).toContain('Compare with cloud');
    expect(text).toContain('Save decision');
    const decide = harness.api.operationsNamed('Decide')[0];
    expect(decide?.variables.workload).toEqual({
      model: 'llama-3.1-8b-lora',
      requestsPerDay: 40000,
      meanInputTokens: 900,
      meanOutputTokens: 250,
      activeHoursPerDay: 10,
      needsCustomWeights: true,
      mustOwnWeights: true,
      minDecodeTokensPerSecond: 30,
      maxTtftMsP95: 800,
      monthlyBudget: '500',
      neededByDays: 7,
    });
  });

  it('acknowledges within 3 s even when the API takes 4 s, then answers', async () => {
    harness.api.delayMs = 4000;
    const delivery = await harness.slashCommand('keep model=qwen3-4b-lora requests=1000/day in=100 out=100');
    expect(delivery.status).toBe(200);
    expect(delivery.elapsedMs).toBeLessThan(3000);
    expect(harness.slack.responseUrlPosts).toHaveLength(0);
    const post = await harness.waitForResponse(delivery.responseId, 8000);
    expect(messageText(post.body)).toContain('Recommendation');
  });

  it('says the API is down, ephemerally, when it cannot be reached', async () => {
    harness.api.unavailable = true;
    const delivery = await harness.slashCommand('paths');
    expect(delivery.status).toBe(200);
    const post = await harness.waitForResponse(delivery.responseId);
    expect(post.body.response_type).toBe('ephemeral');
    expect(messageText(post.body)).toContain('floorplan API is not answering');
  });

  it('reports a GraphQL error carried by a 200 instead of showing an empty answer', async () => {
    harness.api.failOperation('Decide', {
      message: 'No model variant "nope". Known: llama-3.1-8b-lora.',
      code: 'NOT_FOUND',
    });
    const delivery = await harness.slashCommand('keep model=nope requests=10/day in=1 out=1');
    const post = await harness.waitForResponse(delivery.responseId);
    expect(post.body.response_type).toBe('ephemeral');
    const text = messageText(post.body);
    expect(text).toContain('No model variant');
    expect(text).toContain('/floorplan keep model=llama-3.1-8b-lora');
  });

  it('refuses malformed input in the ack itself with a working example, and calls nothing', async () => {
    const before = harness.api.operations.length;
    const delivery = await harness.slashCommand('keep requests=lots in=900 out=250');
    expect(delivery.status).toBe(200);
    const ack = JSON.parse(delivery.body) as Record<string, unknown>;
    expect(ack.response_type).toBe('ephemeral');
    expect(messageText(ack)).toContain('is not a number');
    expect(messageText(ack)).toContain('Try: `/floorplan keep model=');
    expect(harness.api.operations.length).toBe(before);
  });

  it('answers an unknown subcommand with the list and an example', async () => {
    const delivery = await harness.slashCommand('deploy everything');
    const ack = JSON.parse(delivery.body) as Record<string, unknown>;
    expect(messageText(ack)).toContain("I don't know `deploy`");
    expect(messageText(ack)).toContain('Subcommands:');
  });

  it('opens the workload modal with the trigger_id when keep has no arguments', async () => {
    const delivery = await harness.slashCommand('keep');
    expect(delivery.status).toBe(200);
    const call = await harness.slack.waitFor(() => harness.slack.callsTo('views.open')[0]);
    expect(call.params.trigger_id).toBe(delivery.triggerId);
    expect(messageText(call.params)).toContain('floorplan.workload_form');
  });

  it('pages long path lists with a pointer to the next page', async () => {
    const { samplePaths } = await import('../../fakes/floorplan-api');
    harness.api.paths = samplePaths(40);
    const delivery = await harness.slashCommand('paths');
    const post = await harness.waitForResponse(delivery.responseId);
    expect(messageText(post.body)).toContain('25 more: `/floorplan paths --page 2`');
    harness.api.paths = samplePaths(3);
  });

  it('lists access paths to an accelerator with commitments and last request', async () => {
    const delivery = await harness.slashCommand('access gb300');
    const post = await harness.waitForResponse(delivery.responseId);
    const text = messageText(post.body);
    expect(text).toContain('Ways to get gb300');
    expect(text).toContain('minimum $1,000.00 (24 h), paid up front, no cancel');
    expect(text).toContain('last 2025-10-02: soft deny wrong lane');
    expect(harness.api.operationsNamed('AccessPaths')[0]?.variables).toEqual({
      accelerator: 'gb300',
      region: null,
    });
  });

  it('answers cost in the channel and uploads the chart with the three-step external upload', async () => {
    const delivery = await harness.slashCommand(
      'cost model=llama-3.1-8b-lora requests=40000/day in=900 out=250 hours=10',
    );
    const post = await harness.waitForResponse(delivery.responseId);
    expect(post.body.response_type).toBe('in_channel');
    expect(messageText(post.body)).toContain('dgx-spark and bedrock-cmi cost the same');
    expect(messageText(post.body)).toContain('$5,730.83–$6,877.00 by billing reading');
    expect(harness.api.operationsNamed('SaveDecision')[0]?.variables.name).toBe(
      'llama-3.1-8b-lora (Slack, <@U0VIEWER>)',
    );
    await harness.slack.waitFor(() => harness.slack.callsTo('files.completeUploadExternal')[0]);
    const [getUrl] = harness.slack.callsTo('files.getUploadURLExternal');
    expect(getUrl?.params.filename).toBe('cost-vs-volume.png');
    expect(harness.slack.uploads[0]?.bytes.subarray(1, 4).toString()).toBe('PNG');
    const [complete] = harness.slack.callsTo('files.completeUploadExternal');
    expect(complete?.params.channel_id).toBe('C0BENCH');
    expect(harness.api.chartRequests.at(-1)).toBe('/charts/cost.png?workloadId=dec1&volumeUnit=requests');
  });

  it('says when a run id does not exist', async () => {
    const delivery = await harness.slashCommand('run nosuchrun');
    const post = await harness.waitForResponse(delivery.responseId);
    expect(messageText(post.body)).toContain('There is no run `nosuchrun`');
  });

  it('answers help in the ack, naming operators by Slack id', async () => {
    const delivery = await harness.slashCommand('help', { user: VIEWER });
    const ack = JSON.parse(delivery.body) as Record<string, unknown>;
    expect(messageText(ack)).toContain(`<@${OPERATOR}>`);
    expect(messageText(ack)).toContain('/floorplan bench');
  });
});
