import { loadConfig } from '../config';
import { bootstrapDatabase } from '../db/bootstrap';
import { type Database, openDatabase, targetFromConfig } from '../db/connection';

/**
 * Opens the configured database for one command. By default it is brought up to date first
 * (migrations, and the seeds when it is empty), the same way `npm start` does, so a command works
 * on a fresh clone; the database commands themselves (`migrate`, `seed`, `migration:create`) open it
 * as it is.
 */
export async function withDatabase<T>(
  work: (database: Database) => Promise<T>,
  options: { bringUpToDate: boolean } = { bringUpToDate: true },
): Promise<T> {
  const database = await openDatabase(targetFromConfig(loadConfig()));
  try {
    if (options.bringUpToDate) await bootstrapDatabase(database, { createFirstAdmin: false });
    return await work(database);
  } finally {
    await database.close();
  }
}
