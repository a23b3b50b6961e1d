import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ActionId, CallbackId } from '../../../bot/constants';
import { formatMonthlyRange } from '../../../bot/format/money';
import { formatRequestsPerMonth } from '../../../bot/format/words';
import { BotHarness, CHANNEL, messageText, OPERATOR, VIEWER } from './harness';

/**
 * The question the bot exists for — where to serve this model, and which constraint you keep —
 * asked in Slack the way a person types it, answered by the real API (in this process, on a fresh
 * seeded database), over the bot's signed HTTP receiver. Expected figures come from the API itself.
 */
describe('/floorplan keep answers the main question', () => {
  const harness = new BotHarness();
  beforeAll(() => harness.start());
  afterAll(() => harness.stop());
  afterEach(() => {
    harness.api.gate.up();
    harness.slack.reset();
  });

  const ISSUE_WORKLOAD =
    'model=llama-3.1-8b-lora requests=2000/day in=900 out=250 hours=10 custom own-weights';

  /** ISSUE_WORKLOAD as the API's WorkloadInput: the expected figures are the API's answer to it. */
  const ISSUE_INPUT = {
    model: 'llama-3.1-8b-lora',
    requestsPerDay: 2000,
    meanInputTokens: 900,
    meanOutputTokens: 250,
    activeHoursPerDay: 10,
    needsCustomWeights: true,
    mustOwnWeights: true,
  };

  async function ask(text: string, user = VIEWER) {
    const delivery = await harness.slashCommand(text, { user });
    expect(delivery.status).toBe(200);
    const post = await harness.waitForResponse(delivery.responseId, 15_000);
    return { post, text: messageText(post.body) };
  }

  /** Clicks a button of the answer to ISSUE_WORKLOAD and waits for the bot's reply to it. */
  async function click(actionId: string, user = VIEWER) {
    const clicked = await harness.buttonClick({ actionId, value: ISSUE_WORKLOAD, user });
    const reply = await harness.waitForResponse(clicked.responseId, 15_000);
    return { reply, text: messageText(reply.body) };
  }

  it('answers the workload as typed with the recommendation, its monthly cost and what it keeps', async () => {
    const { post, text } = await ask(`keep ${ISSUE_WORKLOAD}`);
    expect(post.body.response_type).toBe('in_channel');
    const truth = await harness.adminApi().decide(ISSUE_INPUT, []);
    const recommendation = truth.recommendation;
    if (recommendation === null) throw new Error('the seeded catalog should recommend a path');
    const option = truth.paths.find((path) => path.optionId === recommendation.optionId);
    const cost = formatMonthlyRange(recommendation.monthlyCost, option?.costLow, option?.costHigh);
    expect(text).toContain(`(\`${recommendation.pathSlug}\`, ${recommendation.variantSlug}): *${cost}*`);
    expect(text).toContain(formatRequestsPerMonth(truth.requestsPerMonth));
    if (recommendation.kept.length === 0) expect(text).toContain('nothing to keep');
    for (const axis of recommendation.kept) expect(text).toContain(`keeps ${axis}`);
    expect(text).not.toMatch(/is required|Invalid workload/);
  });

  it('names the shortfall a kept constraint accepts, in plain words', async () => {
    const { text } = await ask(
      'keep model=llama-3.1-8b-lora requests=2000/day in=900 out=250 hours=10 custom own-weights tps>=30 keeping=fast',
    );
    const truth = await harness.adminApi().decide({ ...ISSUE_INPUT, minDecodeTokensPerSecond: 30 }, ['FAST']);
    const fast = truth.recommendation?.shortfalls.find((shortfall) => shortfall.axis === 'FAST');
    if (fast === undefined) throw new Error('keeping FAST at 30 tok/s should accept a decode shortfall');
    const decode = /decode ([\d.]+) tok\/s vs 30 required/.exec(fast.shortfall);
    expect(decode, fast.shortfall).not.toBeNull();
    expect(text).toContain(`keeps FAST: decode ${decode?.[1]} tok/s where 30 was asked`);
    // In the table, every FAIL names its shortfall.
    expect(text).toMatch(/FAIL FAST: decode [\d.]+ tok\/s where 30 was asked/);
  });

  it('reads 2,000/day, 2k/day and 60k/month as the same workload, and takes a horizon', async () => {
    const summaries: string[] = [];
    for (const requests of ['2,000/day', '2k/day', '60k/month']) {
      const { text } = await ask(`keep model=llama-3.1-8b-lora requests=${requests} in=900 out=250 custom`);
      const summary = /"text":"([^"]*requests\/mo[^"]*)"/.exec(text)?.[1];
      expect(summary, text).toBeDefined();
      summaries.push(summary ?? '');
    }
    expect(new Set(summaries).size).toBe(1);
    const { text } = await ask(`keep ${ISSUE_WORKLOAD} months=12 days=22`);
    expect(text).toContain('12-month horizon');
    expect(text).toContain('22 days/mo');
  });

  it('takes the traffic shape typed as burstiness= and peak=, and answers what the API answers for it', async () => {
    const { text } = await ask(`keep ${ISSUE_WORKLOAD} burstiness=50 peak=3`);
    expect(text).toContain('burstiness 50 · peak 3x mean');
    const truth = await harness.adminApi().decide({ ...ISSUE_INPUT, burstiness: 50, peakToMean: 3 }, []);
    const flat = await harness.adminApi().decide(ISSUE_INPUT, []);
    // Clustered arrivals bill Custom Model Import more windows: the shape reached the API.
    const cmiCost = (answer: typeof truth) =>
      answer.paths.find((path) => path.pathSlug === 'bedrock-cmi')?.monthlyCost.amount;
    expect(Number(cmiCost(truth))).not.toBe(Number(cmiCost(flat)));
    const recommendation = truth.recommendation;
    if (recommendation === null) throw new Error('the seeded catalog should recommend a path');
    const option = truth.paths.find((path) => path.optionId === recommendation.optionId);
    expect(text).toContain(formatMonthlyRange(recommendation.monthlyCost, option?.costLow, option?.costHigh));
  });

  it('lists a base-model-only path last and labelled not eligible for a custom-weights workload', async () => {
    const { text } = await ask(`keep ${ISSUE_WORKLOAD}`);
    const truth = await harness.adminApi().decide(ISSUE_INPUT, []);
    expect(truth.notEligible.length).toBeGreaterThan(0);
    for (const standIn of truth.notEligible) {
      expect(text).toMatch(new RegExp(`${standIn.pathSlug} +\\S+ not eligible`));
      expect(text).not.toContain(`>  ${standIn.pathSlug} `);
    }
  });

  it('shows only the warnings that bear on the recommendation; Details has the rest', async () => {
    const { text } = await ask(`keep ${ISSUE_WORKLOAD}`);
    const truth = await harness.adminApi().decide(ISSUE_INPUT, []);
    const other = truth.warnings.filter((warning) => !warning.affectsRecommendation);
    expect(other.length).toBeGreaterThan(0);
    for (const warning of other) expect(text).not.toContain(JSON.stringify(warning.message).slice(1, -1));
    expect(text).toContain(`${other.length} more warning`);
    const { reply, text: detailsText } = await click(ActionId.decisionDetails);
    expect(reply.body.response_type).toBe('ephemeral');
    expect(detailsText).toContain(JSON.stringify(other[0]?.message ?? '').slice(1, -1));
  });

  it('"Compare with cloud" lists the break-evens that exist, the pairs that never cross, and saves nothing', async () => {
    const before = await harness.api.database.prisma.decision.count();
    const { text } = await click(ActionId.compareWithCloud);
    expect(text).toContain('Where the costs cross');
    expect(text).toContain('Never cross (1 to 1B requests/mo, one always cheaper):');
    expect(text).toContain('nothing was saved');
    expect(await harness.api.database.prisma.decision.count()).toBe(before);
  });

  it('"Save decision" records the Slack user and the model, and App Home shows both', async () => {
    const { text } = await click(ActionId.saveDecision, VIEWER);
    expect(text).toContain(`for \`llama-3.1-8b-lora\`, asked by <@${VIEWER}>`);
    const saved = await harness.api.database.prisma.decision.findFirstOrThrow({
      orderBy: { createdAt: 'desc' },
      include: { workload: true },
    });
    expect(saved.requestedBy).toBe(`slack:${VIEWER}`);
    await harness.event({
      type: 'app_home_opened',
      user: VIEWER,
      channel: 'D0HOME',
      tab: 'home',
      event_ts: '2.1',
    });
    const publish = await harness.slack.waitFor(() => harness.slack.callsTo('views.publish')[0]);
    const home = messageText(publish.params);
    expect(home).toContain(saved.id);
    expect(home).toContain('*llama-3.1-8b-lora*');
    expect(home).toContain(`asked by <@${VIEWER}>`);
  });

  it('answers an unknown model with the closest slugs and the models command, never a query', async () => {
    const { post, text } = await ask('keep model=llama-3.1-8b-lra requests=2000/day in=900 out=250');
    expect(post.body.response_type).toBe('ephemeral');
    expect(post.body.text).toBe(
      "I don't know the model `llama-3.1-8b-lra`. Did you mean `llama-3.1-8b-lora`? `/floorplan models` lists the ones you can ask about.",
    );
    expect(text).not.toMatch(/query|\{\s*model|GraphQL/i);
  });

  it('lists the models and boxes that can be asked about', async () => {
    const variants = await harness.api.database.prisma.modelVariant.findMany();
    const { text: models } = await ask('models');
    expect(models).toContain(`Models you can ask about (${variants.length})`);
    for (const variant of variants) expect(models).toContain(`\`${variant.slug}\``);
    const boxes = await harness.api.database.prisma.box.findMany();
    const { text: boxList } = await ask('boxes');
    expect(boxList).toContain(`Boxes (${boxes.length})`);
    for (const box of boxes) expect(boxList).toContain(`\`${box.slug}\``);
    // A rented instance type is listed as rented, never with a purchase price of ours.
    expect(boxList).toMatch(
      /`p5-48xlarge` EC2 p5\.48xlarge \(8x H100 80 GB\) · H100 · 640 GiB · rented \(priced per instance-hour on its paths\)/,
    );
    expect(boxList).toContain(
      '`dgx-spark` NVIDIA DGX Spark (Founders Edition) · GB10 Grace Blackwell · 128 GiB · owned, bought for $3,999',
    );
  });

  it('opens the modal with days per month and horizon, defaults shown, and answers it submitted as is', async () => {
    await harness.slashCommand('keep');
    const open = await harness.slack.waitFor(() => harness.slack.callsTo('views.open')[0]);
    const view = open.params.view as { blocks: Record<string, unknown>[] };
    const field = (blockId: string) => view.blocks.find((block) => block.block_id === blockId);
    const initial = (blockId: string) =>
      (field(blockId)?.element as { initial_value?: string } | undefined)?.initial_value;
    expect(initial('active_days')).toBe('30');
    expect(initial('horizon_months')).toBe('36');
    expect(initial('active_hours')).toBe('24');
    expect(JSON.stringify(field('horizon_months'))).toContain('Default 36');
    // Submitted as Slack would: the defaults as shown, plus what the user typed.
    const values: Record<string, Record<string, unknown>> = {};
    for (const block of view.blocks) {
      const element = block.element as { type: string; action_id: string; initial_value?: string };
      if (element.type !== 'plain_text_input') continue;
      values[String(block.block_id)] = {
        [element.action_id]: { type: 'plain_text_input', value: element.initial_value ?? null },
      };
    }
    const typed = (id: string, value: string) => {
      values[id] = { [id]: { type: 'plain_text_input', value } };
    };
    typed('model', 'llama-3.1-8b-lora');
    typed('requests', '2,000/day');
    typed('input_tokens', '900');
    typed('output_tokens', '250');
    values.requirements = {
      requirements: { type: 'checkboxes', selected_options: [{ value: 'custom' }, { value: 'own-weights' }] },
    };
    values.keeping = { keeping: { type: 'checkboxes', selected_options: [{ value: 'fast' }] } };
    typed('amortization_months', '24');
    const metadata = String((open.params.view as { private_metadata: string }).private_metadata);
    const delivery = await harness.viewSubmission(CallbackId.workloadForm, values, metadata);
    expect(delivery.status).toBe(200);
    expect(delivery.body).toBe('');
    const post = await harness.slack.waitFor(() => harness.slack.callsTo('chat.postMessage')[0], 15_000);
    expect(post.params.channel).toBe(CHANNEL);
    const text = messageText(post.params);
    expect(text).toContain('Serve it on');
    expect(text).toContain('24 h/day · 30 days/mo · 36-month horizon');
    // The form's choices travel in the answer's buttons as the command's own arguments.
    expect(text).toContain('amortization=24 custom own-weights');
    expect(text).toContain('keeping=fast');
  });

  it('when the API is down, says nothing was saved or queued, without its address', async () => {
    harness.api.gate.down();
    const { text } = await ask(`keep ${ISSUE_WORKLOAD}`);
    expect(text).toContain('The floorplan API is not answering right now');
    expect(text).toContain('Nothing was saved or queued.');
    expect(text).not.toContain('127.0.0.1');
    await harness.event({
      type: 'app_home_opened',
      user: VIEWER,
      channel: 'D0HOME',
      tab: 'home',
      event_ts: '2.2',
    });
    const publish = await harness.slack.waitFor(() => harness.slack.callsTo('views.publish')[0]);
    expect(messageText(publish.params)).toContain('The floorplan API is not answering');
    expect(messageText(publish.params)).not.toMatch(/127\.0\.0\.1|http:\/\//);
  });

  it('answers a benchmark of an unknown model with the closest slugs, and queues nothing', async () => {
    const before = await harness.api.database.prisma.benchmarkRun.count();
    const { post } = await ask('bench llama-3.1-8b-lroa concurrency=1', OPERATOR);
    expect(post.body.text).toBe(
      "I don't know the model `llama-3.1-8b-lroa`. Did you mean `llama-3.1-8b-lora`? `/floorplan models` lists the ones you can ask about.",
    );
    expect(await harness.api.database.prisma.benchmarkRun.count()).toBe(before);
  });

  it('when the API is down, a benchmark request says whether it was queued', async () => {
    harness.api.gate.down();
    const { text } = await ask('bench llama-3.1-8b-lora concurrency=1', OPERATOR);
    harness.api.gate.up();
    expect(text).toContain('The floorplan API is not answering right now');
    expect(text).toMatch(
      /Nothing was queued\.|I cannot tell whether the run was queued: `\/floorplan runs` shows it/,
    );
    expect(text).not.toContain('127.0.0.1');
    expect(await harness.api.database.prisma.benchmarkRun.count()).toBe(0);
  });

  it('shows the API-down note once when Slack redelivers the event', async () => {
    harness.api.gate.down();
    const event = { type: 'app_home_opened', user: VIEWER, channel: 'D0HOME', tab: 'home', event_ts: '2.3' };
    await harness.event(event, { eventId: 'Ev0DOWNONCE' });
    await harness.slack.waitFor(() => harness.slack.callsTo('views.publish')[0]);
    for (const retryNum of [1, 2]) {
      await harness.event(event, {
        eventId: 'Ev0DOWNONCE',
        retryNum,
        timestamp: Math.floor(Date.now() / 1000) + retryNum,
      });
    }
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(harness.slack.callsTo('views.publish')).toHaveLength(1);
  });
});

/**
 * Every subcommand's bad input is answered in the ack with exactly this help: what was wrong and a
 * command that works. Nothing reaches the API.
 */
describe('bad input, subcommand by subcommand', () => {
  const harness = new BotHarness();
  beforeAll(() => harness.start());
  afterAll(() => harness.stop());
  afterEach(() => harness.slack.reset());

  it.each([
    [
      'keep model=llama-3.1-8b-lora requests=-5/day in=900 out=250',
      '`requests` must be positive, got `-5`.',
      '/floorplan keep model=llama-3.1-8b-lora requests=2000/day in=900 out=250 hours=10 custom own-weights',
    ],
    [
      'keep model=llama-3.1-8b-lora requests=2000/day in=900 out=250 month=12',
      "I don't know the argument `month`. Workload arguments: `model=` `requests=2000/day` (or `60k/month`) `in=` `out=` `hours=` `days=` `months=` `amortization=` `budget=` `needed-by=` `tps>=` `ttft<=` `accepted>=` `region=` `burstiness=` `peak=` `keeping=` and the flags `custom`, `base`, `own-weights`.",
      '/floorplan keep model=llama-3.1-8b-lora requests=2000/day in=900 out=250 hours=10 custom own-weights',
    ],
    [
      'cost model=llama-3.1-8b-lora requests=2000/day in=900',
      'say the mean output tokens per request, e.g. `out=250`.',
      '/floorplan cost model=llama-3.1-8b-lora requests=2000/day in=900 out=250 hours=10',
    ],
    [
      'paths --page zero',
      '`page=zero` is not a number: write digits, e.g. `page=2`.',
      '/floorplan paths page=2',
    ],
    ['models all', '`models` takes no arguments; got `all`.', '/floorplan models'],
    ['boxes spark', '`boxes` takes no arguments; got `spark`.', '/floorplan boxes'],
    [
      'bench llama-3.1-8b-lora',
      'say the concurrency levels, e.g. `concurrency=1,8,32`.',
      '/floorplan bench llama-3.1-8b-lora concurrency=1,8,32 prompts=200 in=512 out=256',
    ],
    [
      'runs sideways',
      '`sideways` is not a run status: use queued, running, finished, failed or cancelled.',
      '/floorplan runs queued page=2',
    ],
    ['run', 'say which run, by its id (see `/floorplan runs`).', '/floorplan run clx0run123'],
    ['cancel a;b', '`a;b` is not a run id.', '/floorplan cancel clx0run123'],
    ['access', 'name an accelerator, e.g. `gb300` or `h100`.', '/floorplan access gb300'],
    ['stale old', 'unexpected `old`: give days=N.', '/floorplan stale days=180'],
    [
      'deploy everything',
      "I don't know `deploy`. Subcommands: keep, cost, bench, paths, models, boxes, runs, run, cancel, access, stale, help.",
      '/floorplan keep model=llama-3.1-8b-lora requests=2000/day in=900 out=250 hours=10 custom own-weights',
    ],
  ])('%s', async (command, message, example) => {
    const delivery = await harness.slashCommand(command);
    expect(delivery.status).toBe(200);
    const ack = JSON.parse(delivery.body) as { response_type: string; text: string; blocks: unknown[] };
    expect(ack.response_type).toBe('ephemeral');
    expect(ack.text).toBe(`${message} Try: ${example}`);
    expect(ack.blocks).toEqual([
      { type: 'section', text: { type: 'mrkdwn', text: `:grey_question: ${message}` } },
      { type: 'context', elements: [{ type: 'mrkdwn', text: `Try: \`${example}\`` }] },
    ]);
    expect(harness.slack.responseUrlPosts).toHaveLength(0);
  });

  it('help with stray words still answers the help', async () => {
    const delivery = await harness.slashCommand('help me please');
    const ack = JSON.parse(delivery.body) as { text: string; blocks: unknown[] };
    expect(ack.text).toBe('floorplan help');
    expect(JSON.stringify(ack.blocks)).toContain('/floorplan models');
  });
});
