import { loadConfig } from '../config';
import { type Database, openDatabase, targetFromConfig } from '../db/connection';
import { applyMigrations } from '../db/migrate';
import { seedDatabase } from '../db/seed/load';

/**
 * Opens the configured database for one command, brought up to date first (migrations, and the
 * seeds when it is empty) so a command works on a fresh clone the same way `npm start` does.
 */
export async function withDatabase<T>(work: (database: Database) => Promise<T>): Promise<T> {
  const database = await openDatabase(targetFromConfig(loadConfig()));
  try {
    await applyMigrations(database.adapterFactory);
    if ((await database.prisma.servingPath.count()) === 0) await seedDatabase(database.prisma);
    return await work(database);
  } finally {
    await database.close();
  }
}
