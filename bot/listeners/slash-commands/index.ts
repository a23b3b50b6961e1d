import type { App, RespondFn, SlashCommand } from '@slack/bolt';
import type { WebClient } from '@slack/web-api';
import { buildAccessPathsMessage } from '../../blocks/access';
import { buildBoxesMessage, buildModelsMessage } from '../../blocks/catalog';
import { buildHelpMessage } from '../../blocks/help';
import { buildPathsMessage } from '../../blocks/paths';
import { buildCommandErrorMessage, buildNoticeMessage, buildRefusalMessage } from '../../blocks/replies';
import { buildRunListMessage } from '../../blocks/run-list';
import { buildRunProgressMessage } from '../../blocks/run-progress';
import { buildRunResultMessage } from '../../blocks/run-result';
import { buildStaleMessage } from '../../blocks/stale';
import { buildWorkloadModal } from '../../blocks/workload-modal';
import { commandIdempotencyKey } from '../../command-text/idempotency';
import { EXAMPLES, type FloorplanCommand, parseCommand } from '../../command-text/parse';
import { SLASH_COMMAND } from '../../constants';
import type { BotDependencies } from '../../dependencies';
import { TERMINAL_RUN_STATUSES } from '../../floorplan-api';
import { cancelBenchmarkRun, queueBenchmarkRun } from '../../flows/benchmark';
import { answerCost } from '../../flows/cost';
import { answerKeep } from '../../flows/decision';
import { escapeMrkdwn } from '../../format/words';
import { type ReplyTarget, replyPrivately, replyWithFailure } from '../replies';

interface CommandContext {
  command: SlashCommand;
  client: WebClient;
  target: ReplyTarget;
}

/** The work behind each subcommand; it runs after the ack, so it may take as long as the API needs. */
async function runCommand(
  dependencies: BotDependencies,
  parsed: FloorplanCommand,
  context: CommandContext,
): Promise<void> {
  const { api } = dependencies;
  const { command, client, target } = context;
  try {
    switch (parsed.kind) {
      case 'help':
        await replyPrivately(target, buildHelpMessage(dependencies.roles.whoCanOperate()));
        return;
      case 'keep-form':
        // trigger_id expires 3 s after the command: open the modal before any API call.
        await client.views.open({
          trigger_id: command.trigger_id,
          view: buildWorkloadModal({ channelId: command.channel_id, userId: command.user_id }),
        });
        return;
      case 'keep':
        await answerKeep(dependencies, target, parsed.workload, parsed.keep);
        return;
      case 'cost':
        await answerCost(dependencies, client, target, parsed.workload);
        return;
      case 'paths':
        await replyPrivately(target, buildPathsMessage(await api.servingPaths(), parsed.page));
        return;
      case 'models':
        await replyPrivately(target, buildModelsMessage(await api.modelVariants()));
        return;
      case 'boxes':
        await replyPrivately(target, buildBoxesMessage(await api.boxes()));
        return;
      case 'stale':
        await replyPrivately(target, buildStaleMessage(await api.stalePrices(parsed.olderThanDays)));
        return;
      case 'bench':
        await queueBenchmarkRun(dependencies, client, target, {
          box: parsed.box,
          modelVariant: parsed.modelVariant,
          profile: parsed.profile,
          channelId: command.channel_id,
          idempotencyKey: commandIdempotencyKey({
            teamId: command.team_id,
            channelId: command.channel_id,
            userId: command.user_id,
            triggerId: command.trigger_id,
            text: command.text,
          }),
        });
        return;
      case 'runs':
        await replyPrivately(
          target,
          buildRunListMessage(
            await api.benchmarkRunPage({ status: parsed.status, page: parsed.page, pageSize: parsed.limit }),
            parsed.status,
          ),
        );
        return;
      case 'run': {
        const run = await api.benchmarkRun(parsed.runId);
        if (run === null) {
          await replyPrivately(
            target,
            buildNoticeMessage(
              `There is no run \`${escapeMrkdwn(parsed.runId)}\`. \`${SLASH_COMMAND} runs\` lists recent ones.`,
            ),
          );
          return;
        }
        const message = TERMINAL_RUN_STATUSES.includes(run.status)
          ? buildRunResultMessage(run, { chartAttached: false })
          : buildRunProgressMessage(run);
        await replyPrivately(target, message);
        return;
      }
      case 'cancel':
        await cancelBenchmarkRun(dependencies, target, parsed.runId);
        return;
      case 'access':
        await replyPrivately(
          target,
          buildAccessPathsMessage(
            parsed.accelerator,
            await api.accessPaths(parsed.accelerator, parsed.region),
          ),
        );
        return;
    }
  } catch (error) {
    const example = parsed.kind === 'keep-form' || parsed.kind === 'help' ? undefined : EXAMPLES[parsed.kind];
    await replyWithFailure(target, error, example);
  }
}

/** Answers that need no API call go back in the ack itself: the fastest reply Slack offers. */
function immediateAnswer(dependencies: BotDependencies, parsed: FloorplanCommand, userId: string) {
  if (parsed.kind === 'help') return buildHelpMessage(dependencies.roles.whoCanOperate());
  if ((parsed.kind === 'bench' || parsed.kind === 'cancel') && !dependencies.roles.canOperate(userId)) {
    const what = parsed.kind === 'bench' ? 'start benchmark runs' : 'cancel benchmark runs';
    return buildRefusalMessage(what, dependencies.roles.whoCanOperate());
  }
  return undefined;
}

export function register(app: App, dependencies: BotDependencies): void {
  app.command(SLASH_COMMAND, async ({ command, ack, respond, client, logger }) => {
    const parsed = parseCommand(command.text);
    if (!parsed.ok) {
      // Malformed input: say what was wrong and give a working example; nothing reaches the API.
      const message = buildCommandErrorMessage(parsed.error);
      await ack({ response_type: 'ephemeral', text: message.text, blocks: message.blocks });
      return;
    }
    const immediate = immediateAnswer(dependencies, parsed.command, command.user_id);
    if (immediate !== undefined) {
      await ack({ response_type: 'ephemeral', text: immediate.text, blocks: immediate.blocks });
      return;
    }
    await ack();
    const target: ReplyTarget = {
      respond: respond as RespondFn,
      client,
      channelId: command.channel_id,
      userId: command.user_id,
      logger,
    };
    await runCommand(dependencies, parsed.command, { command, client, target });
  });
}
