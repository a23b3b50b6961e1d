import type { Logger } from '@slack/bolt';
import type { FloorplanApi } from './floorplan-api';
import type { BackgroundTasks } from './live-runs/background-tasks';
import type { LiveRunOptions } from './live-runs/live-run';
import type { RunFeed } from './live-runs/run-feed';
import type { RoleDirectory } from './roles';
import type { SeenKeys } from './security/seen-keys';

/** What every listener needs, passed to `register(app, dependencies)`; no module-level state. */
export interface BotDependencies {
  api: FloorplanApi;
  roles: RoleDirectory;
  tasks: BackgroundTasks;
  /** One stream of run changes for the whole process, shared by every live run. */
  runFeed: RunFeed;
  liveRunOptions: LiveRunOptions;
  logger: Logger;
  /** Run-trigger idempotency keys this process has sent, so a retry or double click posts once. */
  claimedRunKeys: SeenKeys;
}
