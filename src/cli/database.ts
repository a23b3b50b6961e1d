import { loadConfig } from '../config';
import { bootstrapDatabase } from '../db/bootstrap';
import { type Database, openDatabase, targetFromConfig } from '../db/connection';

/** The command being run ("floorplan import"), set by main.ts; shown to processes that wait on this one. */
let commandLabel = 'a floorplan command';

export function setCommandLabel(label: string): void {
  commandLabel = label;
}

/**
 * Opens the configured database for one command: the one way every command gets a database. By
 * default it is brought up to date first (migrations, and the seeds when it is empty), the same way
 * `npm start` does, so a command works on a fresh clone; the database commands themselves
 * (`migrate`, `seed`) open it as it is. On the embedded database this connects to the running
 * server when there is one, and otherwise owns the folder for as long as the command runs.
 */
export async function withDatabase<T>(
  work: (database: Database) => Promise<T>,
  options: { bringUpToDate: boolean } = { bringUpToDate: true },
): Promise<T> {
  const database = await openDatabase(targetFromConfig(loadConfig()), {
    role: 'command',
    label: commandLabel,
    onWait: (message) => console.error(message),
  });
  try {
    if (options.bringUpToDate) await bootstrapDatabase(database, { createFirstAdmin: false });
    return await work(database);
  } finally {
    await database.close();
  }
}
