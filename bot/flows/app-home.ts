import type { WebClient } from '@slack/web-api';
import { buildAppHomeView } from '../blocks/app-home';
import { apiFailureWords } from '../blocks/replies';
import type { BotDependencies } from '../dependencies';
import { TERMINAL_RUN_STATUSES } from '../floorplan-api';
import { withRateLimitRetry } from '../runs/slack-calls';

/** Reads the queue, running and recent runs and the last decisions, and publishes the Home tab. */
export async function publishAppHome(
  dependencies: BotDependencies,
  client: WebClient,
  userId: string,
): Promise<void> {
  const { api } = dependencies;
  const viewerCanOperate = dependencies.roles.canOperate(userId);
  let view: ReturnType<typeof buildAppHomeView>;
  try {
    const [queued, running, recent, decisions] = await Promise.all([
      api.benchmarkRuns({ status: 'QUEUED', first: 20 }),
      api.benchmarkRuns({ status: 'LEASED', first: 20 }),
      api.benchmarkRuns({ first: 20 }),
      api.recentDecisions(10),
    ]);
    view = buildAppHomeView({
      queued,
      running,
      recent: recent.filter((run) => TERMINAL_RUN_STATUSES.includes(run.status)).slice(0, 10),
      decisions,
      viewerCanOperate,
    });
  } catch (error) {
    const reason = apiFailureWords(error);
    dependencies.logger.warn(
      `App Home shows the API as unavailable: ${error instanceof Error ? error.message : String(error)}`,
    );
    view = buildAppHomeView({
      queued: [],
      running: [],
      recent: [],
      decisions: [],
      unavailableReason: reason,
      viewerCanOperate,
    });
  }
  await withRateLimitRetry(() => client.views.publish({ user_id: userId, view }), {
    logger: dependencies.logger,
    description: 'views.publish',
  });
}
