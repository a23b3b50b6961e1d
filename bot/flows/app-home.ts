import type { WebClient } from '@slack/web-api';
import { buildAppHomeView } from '../blocks/app-home';
import { apiFailureWords } from '../blocks/replies';
import type { BotDependencies } from '../dependencies';
import { TERMINAL_RUN_STATUSES } from '../floorplan-api';
import { withRateLimitRetry } from '../live-runs/slack-calls';

/** Rows per run list on the Home tab (the counts come from the API, not from the rows shown). */
const HOME_ROWS = 15;

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
      api.benchmarkRunPage({ status: 'QUEUED', page: 1, pageSize: HOME_ROWS }),
      api.benchmarkRunPage({ status: 'LEASED', page: 1, pageSize: HOME_ROWS }),
      api.benchmarkRunPage({ statuses: TERMINAL_RUN_STATUSES, page: 1, pageSize: 10 }),
      api.recentDecisions(10),
    ]);
    view = buildAppHomeView({ queued, running, recent, decisions, viewerCanOperate });
  } catch (error) {
    const reason = apiFailureWords(error);
    dependencies.logger.warn(
      `App Home shows the API as unavailable: ${error instanceof Error ? error.message : String(error)}`,
    );
    const none = { runs: [], totalCount: 0, page: 1, pageCount: 1, pageSize: HOME_ROWS };
    view = buildAppHomeView({
      queued: none,
      running: none,
      recent: none,
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
