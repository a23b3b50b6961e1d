import { createApiToken } from '../app/auth/tokens';
import type { Database } from './connection';
import { applyMigrations } from './migrate';
import { seedDatabase } from './seed/load';

export interface BootstrapReport {
  appliedMigrations: string[];
  seeded: boolean;
  /** An admin token created because the database had none; shown once. */
  firstAdminToken: string | null;
}

/** Brings a database to a usable state: migrate, seed when empty, and make sure someone can administer it. */
export async function bootstrapDatabase(
  database: Database,
  options: { createFirstAdmin: boolean },
): Promise<BootstrapReport> {
  const appliedMigrations = await applyMigrations(database.adapterFactory);
  const seeded = (await database.prisma.servingPath.count()) === 0;
  if (seeded) await seedDatabase(database.prisma);
  let firstAdminToken: string | null = null;
  if (
    options.createFirstAdmin &&
    (await database.prisma.apiToken.count({ where: { role: 'ADMIN' } })) === 0
  ) {
    firstAdminToken = (await createApiToken(database.prisma, { name: 'first-admin', role: 'ADMIN' })).token;
  }
  // An embedded owner lets other floorplan processes in only now, so none sees a half-built database.
  await database.markReady();
  return { appliedMigrations, seeded, firstAdminToken };
}
