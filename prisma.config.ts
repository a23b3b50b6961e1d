import { defineConfig } from 'prisma/config';

// The CLI is only used for `prisma generate` here (its migration engine is a downloaded binary);
// migrations run through the WASM schema engine in src/db/migrate.ts.
export default defineConfig({
  schema: 'prisma/schema.prisma',
  migrations: { path: 'prisma/migrations' },
});
