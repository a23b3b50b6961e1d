import type { App, BlockAction, ButtonAction, RespondFn } from '@slack/bolt';
import { z } from 'zod';
import { buildCommandErrorMessage, buildNoticeMessage } from '../../blocks/replies';
import { buttonIdempotencyKey } from '../../command-text/idempotency';
import { EXAMPLES, tryParseWorkloadArguments } from '../../command-text/parse';
import { ActionId } from '../../constants';
import type { BotDependencies } from '../../dependencies';
import { publishAppHome } from '../../flows/app-home';
import { cancelBenchmarkRun, queueBenchmarkRun, refusedUnlessOperator } from '../../flows/benchmark';
import { answerCompare, answerDetails, saveDecisionFor } from '../../flows/decision';
import { watchFromMessage } from '../../flows/watch';
import { type ReplyTarget, replyPrivately } from '../replies';

/** The profile a "Run a benchmark" button queues: the lab's usual sweep. */
const DEFAULT_BUTTON_PROFILE = { concurrency: [1, 8, 32], prompts: 200, inputTokens: 512, outputTokens: 256 };

const runBenchmarkValueSchema = z.object({
  modelVariant: z.string().min(1).max(80),
  box: z.string().min(1).max(80),
});
const runAgainValueSchema = runBenchmarkValueSchema.extend({
  concurrency: z.array(z.number().int().min(1).max(512)).min(1).max(8),
  prompts: z.number().int().min(1).max(10_000),
  inputTokens: z.number().int().min(1).max(131_072),
  outputTokens: z.number().int().min(1).max(32_768),
  repeatOf: z.string().max(64),
});

type ButtonBody = BlockAction<ButtonAction>;

function parseJsonValue<Output>(value: string | undefined, schema: z.ZodType<Output>): Output | undefined {
  try {
    const parsed = schema.safeParse(JSON.parse(value ?? ''));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

function targetOf(
  body: ButtonBody,
  respond: RespondFn | undefined,
  client: ReplyTarget['client'],
  logger: ReplyTarget['logger'],
): ReplyTarget {
  return {
    respond: body.response_url ? respond : undefined,
    client,
    channelId: body.channel?.id,
    userId: body.user.id,
    logger,
  };
}

function messageTsOf(body: ButtonBody): string {
  return body.message?.ts ?? body.container?.message_ts ?? body.view?.id ?? '';
}

export function register(app: App, dependencies: BotDependencies): void {
  const queueFromButton = async (
    body: ButtonBody,
    action: ButtonAction,
    target: ReplyTarget,
    client: ReplyTarget['client'],
    request: { modelVariant: string; box: string; profile: typeof DEFAULT_BUTTON_PROFILE },
  ) => {
    const channelId = body.channel?.id;
    if (channelId === undefined) {
      await replyPrivately(
        target,
        buildNoticeMessage('Start runs from a channel: the run posts its progress there.'),
      );
      return;
    }
    await queueBenchmarkRun(dependencies, client, target, {
      ...request,
      channelId,
      idempotencyKey: buttonIdempotencyKey({
        teamId: body.team?.id ?? '',
        channelId,
        messageTs: messageTsOf(body),
        actionId: action.action_id,
        value: action.value ?? '',
        userId: body.user.id,
      }),
    });
  };

  /**
   * A button that queues a run: operators only, its value parsed with `schema` and turned into the
   * run request by `toRequest`; a value that no longer parses is a stale button.
   */
  const registerRunButton = <Value>(
    actionId: string,
    schema: z.ZodType<Value>,
    toRequest: (value: Value) => Parameters<typeof queueFromButton>[4],
  ) => {
    app.action<ButtonBody>(actionId, async ({ ack, body, action, respond, client, logger }) => {
      await ack();
      const target = targetOf(body, respond, client, logger);
      if (await refusedUnlessOperator(dependencies, target, 'start benchmark runs')) return;
      const value = parseJsonValue(action.value, schema);
      if (value === undefined) {
        await replyPrivately(
          target,
          buildCommandErrorMessage({ message: 'That button is out of date.', example: EXAMPLES.bench }),
        );
        return;
      }
      await queueFromButton(body, action, target, client, toRequest(value));
    });
  };

  registerRunButton(ActionId.runBenchmark, runBenchmarkValueSchema, (value) => ({
    ...value,
    profile: DEFAULT_BUTTON_PROFILE,
  }));
  registerRunButton(
    ActionId.runAgain,
    runAgainValueSchema,
    ({ modelVariant, box, concurrency, prompts, inputTokens, outputTokens }) => ({
      modelVariant,
      box,
      profile: { concurrency, prompts, inputTokens, outputTokens },
    }),
  );

  /** A button carrying the workload as command arguments; a value that no longer parses is stale. */
  const registerWorkloadButton = (
    actionId: string,
    answer: (...args: [...Parameters<typeof answerCompare>, messageTs: string | undefined]) => Promise<void>,
    example: string,
  ) => {
    app.action<ButtonBody>(actionId, async ({ ack, body, action, respond, client, logger }) => {
      await ack();
      const target = targetOf(body, respond, client, logger);
      const parsed = tryParseWorkloadArguments((action.value ?? '').split(/\s+/).filter(Boolean));
      if (!parsed.ok) {
        await replyPrivately(
          target,
          buildCommandErrorMessage({ message: 'That button is out of date.', example }),
        );
        return;
      }
      await answer(dependencies, target, parsed.workload, parsed.keep, body.message?.ts);
    });
  };
  registerWorkloadButton(ActionId.compareWithCloud, answerCompare, EXAMPLES.cost);
  registerWorkloadButton(ActionId.saveDecision, saveDecisionFor, EXAMPLES.keep);
  // Watch remembers the channel it was clicked in and confirms in the message's thread.
  registerWorkloadButton(ActionId.watchDecision, watchFromMessage, EXAMPLES.keep);
  registerWorkloadButton(ActionId.decisionDetails, answerDetails, EXAMPLES.keep);

  app.action<ButtonBody>(ActionId.cancelRun, async ({ ack, body, action, respond, client, logger }) => {
    await ack();
    const target = targetOf(body, respond, client, logger);
    await cancelBenchmarkRun(dependencies, target, action.value ?? '');
    if (body.view?.type === 'home')
      await publishAppHome(dependencies, client, body.user.id).catch(() => undefined);
  });

  app.action<ButtonBody>(ActionId.refreshHome, async ({ ack, body, client, logger }) => {
    await ack();
    try {
      await publishAppHome(dependencies, client, body.user.id);
    } catch (error) {
      logger.error(`App Home refresh failed: ${error instanceof Error ? error.message : String(error)}`);
    }
  });
}
