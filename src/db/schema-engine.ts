import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import {
  bindMigrationAwareSqlAdapterFactory,
  type SqlDriverAdapter,
  type SqlMigrationAwareDriverAdapterFactory,
} from '@prisma/driver-adapter-utils';
import * as engineBindings from '@prisma/schema-engine-wasm/schema_engine_bg';

/**
 * Prisma's schema engine compiled to WebAssembly. The CLI's native engine is a download that is not
 * reachable everywhere this runs, and Node 20 cannot `import` a .wasm module without a flag, so the
 * bytes are instantiated here by hand against the package's own JS glue.
 */
let instantiated: Promise<void> | undefined;

// The runtime's WebAssembly global, typed narrowly: the project's lib settings carry no DOM types.
const webAssembly = (
  globalThis as unknown as {
    WebAssembly: {
      instantiate(
        bytes: Uint8Array,
        imports: object,
      ): Promise<{ instance: { exports: Record<string, unknown> } }>;
    };
  }
).WebAssembly;

async function instantiateEngine(): Promise<void> {
  // The package exports no path to its .wasm file, so locate it beside the resolved glue module.
  const glueModule = createRequire(import.meta.url).resolve('@prisma/schema-engine-wasm/schema_engine_bg');
  const bytes = await readFile(path.join(path.dirname(glueModule), 'schema_engine_bg.wasm'));
  const { instance } = await webAssembly.instantiate(bytes, { './schema_engine_bg.js': engineBindings });
  const exports = instance.exports as Record<string, unknown> & { __wbindgen_start: () => void };
  engineBindings.__wbg_set_wasm(exports);
  exports.__wbindgen_start();
}

export interface SchemaEngine {
  engine: engineBindings.SchemaEngine;
  /** Frees the engine and closes every connection it opened (freeing alone leaves them open). */
  free(): Promise<void>;
}

export async function createSchemaEngine(
  schemaPath: string,
  adapterFactory: SqlMigrationAwareDriverAdapterFactory,
): Promise<SchemaEngine> {
  instantiated ??= instantiateEngine();
  await instantiated;
  const datamodel = await readFile(schemaPath, 'utf8');
  const log = (_message: string) => {};
  // A pg pool left open keeps a server connection (and, on the embedded database, its owner) busy.
  const opened: SqlDriverAdapter[] = [];
  const tracking: SqlMigrationAwareDriverAdapterFactory = {
    provider: adapterFactory.provider,
    adapterName: adapterFactory.adapterName,
    connect: async () => remember(await adapterFactory.connect()),
    connectToShadowDb: async () => remember(await adapterFactory.connectToShadowDb()),
  };
  function remember(adapter: SqlDriverAdapter): SqlDriverAdapter {
    opened.push(adapter);
    return adapter;
  }
  const engine = await engineBindings.SchemaEngine.new(
    { datamodels: [[schemaPath, datamodel]] },
    log,
    bindMigrationAwareSqlAdapterFactory(tracking),
  );
  return {
    engine,
    free: async () => {
      engine.free();
      await Promise.all(opened.splice(0).map((adapter) => adapter.dispose()));
    },
  };
}
