import { buildUnknownModelMessage, closestSlugs } from '../blocks/catalog';
import { buildCompareMessage } from '../blocks/compare';
import { buildDecisionMessage } from '../blocks/decision';
import { buildDecisionDetailsMessage } from '../blocks/decision-details';
import { type AttemptedChange, buildNoticeMessage } from '../blocks/replies';
import { EXAMPLES, workloadToArguments } from '../command-text/parse';
import type { BotDependencies } from '../dependencies';
import { type Axis, GraphqlCallError, type WorkloadInput } from '../floorplan-api';
import { formatMonthlyCost } from '../format/money';
import { escapeMrkdwn } from '../format/words';
import { type ReplyTarget, replyPrivately, replyPublicly, replyWithFailure } from '../listeners/replies';

/** The API records the bot's token as the author, the Slack user as requestedBy, the model as the name. */
export function savedDecisionRequester(slackUserId: string, model: string) {
  return { name: `${model} (asked in Slack)`, onBehalfOf: `slack:${slackUserId}` };
}

/**
 * A failure while answering a workload. An input the API refused because of the model gets the
 * closest slugs and the `models` command, not the API's wording.
 */
export async function replyWithWorkloadFailure(
  dependencies: BotDependencies,
  target: ReplyTarget,
  error: unknown,
  workload: WorkloadInput,
  example: string,
  change: AttemptedChange = 'none',
): Promise<void> {
  if (await replyIfUnknownModel(dependencies, target, error, workload.model, example)) return;
  await replyWithFailure(target, error, example, change);
}

/**
 * When the API refused a request and the model it named is not in the catalog, answers with the
 * closest slugs and the `models` command (true); otherwise leaves the failure to the caller.
 */
export async function replyIfUnknownModel(
  dependencies: BotDependencies,
  target: ReplyTarget,
  error: unknown,
  model: string,
  example?: string,
): Promise<boolean> {
  if (!(error instanceof GraphqlCallError) || (error.kind !== 'invalid-input' && error.kind !== 'not-found'))
    return false;
  const slugs = await dependencies.api
    .modelVariants()
    .then((variants) => variants.map((variant) => variant.slug))
    .catch(() => null);
  if (slugs === null || slugs.includes(model)) return false;
  await replyPrivately(target, buildUnknownModelMessage(model, closestSlugs(model, slugs), example));
  return true;
}

/** `keep …` and the modal: the decision in the channel. */
export async function answerKeep(
  dependencies: BotDependencies,
  target: ReplyTarget,
  workload: WorkloadInput,
  keep: readonly Axis[],
): Promise<void> {
  await withDecision(dependencies, target, workload, keep, EXAMPLES.keep, (decision) =>
    replyPublicly(
      target,
      buildDecisionMessage({
        decision,
        workload,
        workloadArguments: workloadToArguments(workload, keep),
        modelVariant: workload.model,
      }),
    ),
  );
}

/** "Compare with cloud": costs and break-evens from the same answer; nothing is saved. */
export async function answerCompare(
  dependencies: BotDependencies,
  target: ReplyTarget,
  workload: WorkloadInput,
  keep: readonly Axis[],
): Promise<void> {
  await withDecision(dependencies, target, workload, keep, EXAMPLES.cost, (decision) =>
    replyPublicly(target, buildCompareMessage(decision, workload.model)),
  );
}

/** "Details": every kept set and warning, to the user who asked. */
export async function answerDetails(
  dependencies: BotDependencies,
  target: ReplyTarget,
  workload: WorkloadInput,
  keep: readonly Axis[],
): Promise<void> {
  await withDecision(dependencies, target, workload, keep, EXAMPLES.keep, (decision) =>
    replyPrivately(target, buildDecisionDetailsMessage(decision, workload.model)),
  );
}

/** Asks the API to decide and replies with the answer; a failure is answered with `example`. */
async function withDecision(
  dependencies: BotDependencies,
  target: ReplyTarget,
  workload: WorkloadInput,
  keep: readonly Axis[],
  example: string,
  reply: (decision: Awaited<ReturnType<BotDependencies['api']['decide']>>) => Promise<unknown>,
): Promise<void> {
  try {
    await reply(await dependencies.api.decide(workload, keep));
  } catch (error) {
    await replyWithWorkloadFailure(dependencies, target, error, workload, example);
  }
}

/** "Save decision": stored for the Slack user who clicked, named after the model. */
export async function saveDecisionFor(
  dependencies: BotDependencies,
  target: ReplyTarget,
  workload: WorkloadInput,
  keep: readonly Axis[],
): Promise<void> {
  try {
    const saved = await dependencies.api.saveDecision(
      workload,
      keep,
      savedDecisionRequester(target.userId, workload.model),
    );
    const { recommendation } = saved.decision;
    const answer =
      recommendation === null
        ? 'no recommendation'
        : `${escapeMrkdwn(recommendation.pathSlug)} at ${formatMonthlyCost(recommendation.monthlyCost)}`;
    await replyPrivately(
      target,
      buildNoticeMessage(
        `Saved decision \`${escapeMrkdwn(saved.id)}\` for \`${escapeMrkdwn(workload.model)}\`, asked by <@${target.userId}> (${answer}). It shows on the Home tab.`,
      ),
    );
  } catch (error) {
    await replyWithWorkloadFailure(dependencies, target, error, workload, EXAMPLES.keep, 'save');
  }
}
