import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { BotHarness, messageText, OPERATOR, VIEWER } from './harness';

/** The slash commands over signed HTTP, answered by the real API on a fresh seeded database. */
describe('/floorplan commands over signed HTTP', () => {
  const harness = new BotHarness();
  beforeAll(() => harness.start());
  afterAll(() => harness.stop());
  afterEach(() => {
    harness.slack.reset();
    harness.api.gate.delayMs = 0;
    harness.api.gate.up();
  });

  it('answers keep with the decision in the channel: table, kept sets in plain words, buttons', async () => {
    const delivery = await harness.slashCommand(
      'keep model=llama-3.1-8b-lora requests=2000/day in=900 out=250 hours=10 custom own-weights',
    );
    expect(delivery.status).toBe(200);
    const post = await harness.waitForResponse(delivery.responseId, 15_000);
    expect(post.body.response_type).toBe('in_channel');
    const text = messageText(post.body);
    expect(text).toContain('Serve it on');
    expect(text).toContain('Run a benchmark');
    expect(text).toContain('Compare with cloud');
    expect(text).toContain('Save decision');
    expect(text).not.toContain('is required');
  });

  it('acknowledges within 3 s even when the API takes 4 s, then answers', async () => {
    harness.api.gate.delayMs = 4000;
    const delivery = await harness.slashCommand(
      'keep model=llama-3.1-8b-lora requests=1000/day in=100 out=100',
    );
    expect(delivery.status).toBe(200);
    expect(delivery.elapsedMs).toBeLessThan(3000);
    expect(harness.slack.responseUrlPosts).toHaveLength(0);
    const post = await harness.waitForResponse(delivery.responseId, 15_000);
    expect(messageText(post.body)).toContain('Serve it on');
  });

  it('says the API is down, ephemerally, when it cannot be reached', async () => {
    harness.api.gate.down();
    const delivery = await harness.slashCommand('paths');
    expect(delivery.status).toBe(200);
    const post = await harness.waitForResponse(delivery.responseId);
    expect(post.body.response_type).toBe('ephemeral');
    expect(messageText(post.body)).toContain('floorplan API is not answering');
    expect(messageText(post.body)).not.toContain('127.0.0.1');
  });

  it('reports the API refusing an unknown model instead of showing an empty answer', async () => {
    const delivery = await harness.slashCommand('keep model=nope requests=10/day in=1 out=1');
    const post = await harness.waitForResponse(delivery.responseId, 15_000);
    expect(post.body.response_type).toBe('ephemeral');
    const text = messageText(post.body);
    expect(text).toContain("I don't know the model `nope`.");
    expect(text).toContain('`/floorplan models` lists the ones you can ask about');
  });

  it('refuses malformed input in the ack itself with a working example, and calls nothing', async () => {
    const delivery = await harness.slashCommand('keep requests=lots in=900 out=250');
    expect(delivery.status).toBe(200);
    const ack = JSON.parse(delivery.body) as Record<string, unknown>;
    expect(ack.response_type).toBe('ephemeral');
    expect(messageText(ack)).toContain('is not a number');
    expect(messageText(ack)).toContain('Try: `/floorplan keep model=');
    expect(harness.slack.responseUrlPosts).toHaveLength(0);
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

  it('lists the serving paths of the catalog', async () => {
    const paths = await harness.api.database.prisma.servingPath.findMany();
    const delivery = await harness.slashCommand('paths');
    const post = await harness.waitForResponse(delivery.responseId);
    const text = messageText(post.body);
    expect(text).toContain(`Serving paths (${paths.length})`);
    for (const path of paths.slice(0, 5)) expect(text).toContain(path.slug);
  });

  it('lists access paths to an accelerator with commitments and answers on record', async () => {
    const delivery = await harness.slashCommand('access gb300');
    const post = await harness.waitForResponse(delivery.responseId);
    const text = messageText(post.body);
    expect(text).toContain('Ways to get gb300');
    expect(text).toMatch(/minimum \$[\d,]+\.\d\d|no minimum commitment on record/);
  });

  it('answers cost in the channel and uploads the chart with the three-step external upload', async () => {
    const delivery = await harness.slashCommand(
      'cost model=llama-3.1-8b-lora requests=40000/day in=900 out=250 hours=10',
    );
    const post = await harness.waitForResponse(delivery.responseId, 15_000);
    expect(post.body.response_type, messageText(post.body)).toBe('in_channel');
    expect(messageText(post.body)).toContain('Monthly cost by serving path');
    await harness.slack.waitFor(() => harness.slack.callsTo('files.completeUploadExternal')[0], 15_000);
    const [getUrl] = harness.slack.callsTo('files.getUploadURLExternal');
    expect(getUrl?.params.filename).toBe('cost-vs-volume.png');
    expect(harness.slack.uploads[0]?.bytes.subarray(1, 4).toString()).toBe('PNG');
    const [complete] = harness.slack.callsTo('files.completeUploadExternal');
    expect(complete?.params.channel_id).toBe('C0BENCH');
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
