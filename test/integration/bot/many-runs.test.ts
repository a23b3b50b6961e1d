import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BotHarness, OPERATOR, VIEWER } from './harness';

/**
 * Thirty runs queued from Slack and followed live, against the real API: App Home counts them
 * right and still shows the finished ones, `/floorplan runs` pages and says how many more there
 * are, a page past the last says there is none, and the bot follows all thirty over one
 * subscription stream without Node warning about listeners.
 */

const QUEUED = 30;

interface Block {
  type: string;
  text?: { text: string };
  elements?: { text: string }[];
}

function texts(blocks: unknown): string[] {
  return ((blocks ?? []) as Block[]).map((block) =>
    block.text !== undefined
      ? block.text.text
      : (block.elements ?? []).map((element) => element.text).join(' | '),
  );
}

describe('thirty queued runs', () => {
  const harness = new BotHarness();
  const warnings: Error[] = [];
  const onWarning = (warning: Error) => warnings.push(warning);
  let finishedRunId = '';

  beforeAll(async () => {
    // The stream carries the changes; the safety read of each followed run stays rare, as in production.
    await harness.start({ liveRunOptions: { minUpdateIntervalMs: 200, pollIntervalMs: 5000 } });
    process.on('warning', onWarning);
    // One finished run first, so "recent finished runs" has something the queue must not hide.
    await harness.startRunner({ ttftMs: 5, tokenGapMs: 1 });
    await harness.slashCommand('bench llama-3.1-8b-lora concurrency=1 prompts=1 in=8 out=4', {
      user: OPERATOR,
    });
    await harness.slack.waitFor(
      () => harness.slack.callsTo('files.completeUploadExternal')[0],
      60_000,
      'the first run to finish',
    );
    await harness.bot.tasks.idle();
    await harness.stopRunner();
    finishedRunId = (await harness.runs())[0]?.id ?? '';
    harness.slack.reset();
  }, 90_000);

  afterAll(async () => {
    process.off('warning', onWarning);
    await harness.cancelOpenRuns();
    await harness.bot.tasks.idle();
    await harness.stop();
  });

  it('follows thirty live runs over one subscription stream, with no listener warning', async () => {
    const streamsBefore = harness.botStreamsOpened;
    const feedStreamsBefore = harness.bot.runFeed.streamsOpened;
    for (let index = 0; index < QUEUED; index += 1) {
      await harness.slashCommand(`bench llama-3.1-8b-lora concurrency=${index + 1} prompts=2`, {
        user: OPERATOR,
      });
    }
    await harness.slack.waitFor(
      () => harness.slack.callsTo('chat.postMessage')[QUEUED - 1],
      30_000,
      'thirty run messages',
    );
    await harness.slack.waitFor(
      () => (harness.bot.runFeed.followedRuns === QUEUED ? true : undefined),
      10_000,
      'thirty followed runs',
    );
    expect(harness.bot.tasks.size).toBe(QUEUED);
    expect(harness.bot.runFeed.streamsOpened - feedStreamsBefore).toBe(1);
    expect(harness.botStreamsOpened - streamsBefore).toBe(1);
    // A change reaches its run's message through the shared stream.
    const runs = await harness.runs();
    const target = runs.find((run) => run.status === 'QUEUED');
    if (target === undefined) throw new Error('no queued run');
    const message = harness.slack
      .callsTo('chat.postMessage')
      .find((call) => JSON.stringify(call.params).includes(target.id));
    await harness.adminApi().cancelBenchmarkRun(target.id);
    await harness.slack.waitFor(
      () =>
        harness.slack
          .callsTo('chat.update')
          .find(
            (call) =>
              call.params.ts === message?.response.ts && JSON.stringify(call.params).includes('Cancelled by'),
          ),
      10_000,
      'the cancelled run message',
    );
    expect(warnings.filter((warning) => warning.name === 'MaxListenersExceededWarning')).toEqual([]);
  }, 60_000);

  it('shows the right queued count and the recent finished runs in App Home', async () => {
    harness.slack.reset();
    await harness.event({ type: 'app_home_opened', user: VIEWER, tab: 'home' });
    const publish = await harness.slack.waitFor(
      () => harness.slack.callsTo('views.publish')[0],
      20_000,
      'the Home tab',
    );
    const lines = texts((publish.params.view as { blocks: unknown }).blocks);
    expect(lines).toContain(`Queued (${QUEUED - 1})`);
    expect(lines).toContain(`… ${QUEUED - 1 - 15} more: \`/floorplan runs queued page=2\``);
    expect(lines).toContain('Running (0)');
    expect(lines).toContain('Recent finished runs');
    const recent = lines.slice(lines.indexOf('Recent finished runs') + 1);
    expect(
      recent.some((line) =>
        line.startsWith(`\`${finishedRunId}\` *llama-3.1-8b-lora* on dgx-spark · finished · <!date^`),
      ),
    ).toBe(true);
    expect(recent.some((line) => line.includes('· cancelled · <!date^'))).toBe(true);
  });

  it('pages /floorplan runs and says how many more there are', async () => {
    const first = await harness.slashCommand('runs queued', { user: VIEWER });
    const page1 = texts((await harness.waitForResponse(first.responseId)).body.blocks);
    expect(page1[0]).toBe(`Benchmark runs: queued (${QUEUED - 1})`);
    expect(page1.at(-1)).toBe(
      `Page 1 of 3 · ${QUEUED - 1 - 10} more: \`/floorplan runs queued page=2\` | Details: \`/floorplan run <id>\``,
    );

    const second = await harness.slashCommand('runs queued page=2', { user: VIEWER });
    const page2 = texts((await harness.waitForResponse(second.responseId)).body.blocks);
    expect(page2).toHaveLength(1 + 10 + 1);
    expect(page2.at(-1)).toBe(
      `Page 2 of 3 · ${QUEUED - 1 - 20} more: \`/floorplan runs queued page=3\` | Details: \`/floorplan run <id>\``,
    );
    const firstIds = page1.slice(1, 11).map((line) => line.split('`')[1]);
    const secondIds = page2.slice(1, 11).map((line) => line.split('`')[1]);
    expect(new Set([...firstIds, ...secondIds]).size).toBe(20);

    const third = await harness.slashCommand('runs queued page=3', { user: VIEWER });
    const page3 = texts((await harness.waitForResponse(third.responseId)).body.blocks);
    expect(page3.at(-1)).toBe('Page 3 of 3 | Details: `/floorplan run <id>`');
  });

  it('says there is no such page, for runs and for paths', async () => {
    const total = await harness.api.database.prisma.benchmarkRun.count();
    const runs = await harness.slashCommand('runs page=99', { user: VIEWER });
    const runsAnswer = await harness.waitForResponse(runs.responseId);
    const pages = Math.ceil(total / 10);
    expect(runsAnswer.body.text).toBe(
      `There is no page 99 of runs: there are ${total} runs on ${pages} pages. The last page: \`/floorplan runs page=${pages}\``,
    );

    const pathCount = await harness.api.database.prisma.servingPath.count();
    const pathPages = Math.ceil(pathCount / 15);
    const paths = await harness.slashCommand('paths page=99', { user: VIEWER });
    const pathsAnswer = await harness.waitForResponse(paths.responseId);
    expect(pathsAnswer.body.text).toBe(
      `There is no page 99 of paths: there are ${pathCount} paths on ${pathPages} ${pathPages === 1 ? 'page' : 'pages'}. The last page: \`/floorplan paths page=${pathPages}\``,
    );
  });

  it('answers bad runs and cancel input with the exact help, queuing or cancelling nothing', async () => {
    const runs = await harness.slashCommand('runs page=0', { user: VIEWER });
    expect(JSON.stringify(JSON.parse(runs.body))).toContain('`page` must be between 1 and 10000, got `0`.');
    expect(runs.body).toContain('/floorplan runs queued page=2');
    const cancel = await harness.slashCommand('cancel', { user: OPERATOR });
    expect(cancel.body).toContain('say which run, by its id (see `/floorplan runs`).');
    expect(cancel.body).toContain('/floorplan cancel clx0run123');
    const unknown = await harness.slashCommand('cancel nosuchrun', { user: OPERATOR });
    const answer = await harness.waitForResponse(unknown.responseId);
    expect(JSON.stringify(answer.body)).toContain('nosuchrun');
    expect(await harness.api.database.prisma.benchmarkRun.count({ where: { status: 'QUEUED' } })).toBe(
      QUEUED - 1,
    );
  });
});
