import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * The layout's rules (README, "Architecture"), checked on every import so that a shortcut shows up
 * as a failing test instead of a drift found months later:
 * - src/domain is pure: it imports only itself and a few pure libraries (no I/O, no database, no
 *   HTTP clients, no clock helpers);
 * - services (src/app) and the database layer (src/db) never reach up into the API, the CLI, the
 *   charts or the other deployables;
 * - the API does not import the bot, the runner or the CLI;
 * - the bot, the runner and the clients use floorplan only through src/domain (types and pure
 *   rules) and the generated GraphQL contract, never the services or the database.
 */

const repository = path.resolve(import.meta.dirname, '..', '..', '..');

function sourceFiles(folder: string): string[] {
  const root = path.join(repository, folder);
  return readdirSync(root, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith('.ts'))
    .map((entry) => path.relative(repository, path.join(entry.parentPath, entry.name)))
    .filter((file) => !file.startsWith('src/generated/'));
}

/** Every module a file imports: relative ones resolved to repository paths, packages as named. */
function importsOf(file: string): string[] {
  const text = readFileSync(path.join(repository, file), 'utf8');
  const specifiers = [...text.matchAll(/^\s*(?:import|export)\s[^;]*?from\s+'([^']+)'/gm)].map(
    (match) => match[1] ?? '',
  );
  return specifiers.map((specifier) =>
    specifier.startsWith('.')
      ? path.relative(repository, path.resolve(path.dirname(path.join(repository, file)), specifier))
      : specifier,
  );
}

function violations(folders: string[], allowed: (target: string) => boolean): string[] {
  return folders.flatMap(sourceFiles).flatMap((file) =>
    importsOf(file)
      .filter((target) => !allowed(target))
      .map((target) => `${file} → ${target}`),
  );
}

const PURE_PACKAGES = new Set(['decimal.js', 'zod', 'yaml', 'node:crypto']);
const within = (target: string, ...prefixes: string[]) =>
  prefixes.some((prefix) => target.startsWith(prefix));

describe('layers', () => {
  it('src/domain is pure', () => {
    expect(
      violations(['src/domain'], (target) => within(target, 'src/domain/') || PURE_PACKAGES.has(target)),
    ).toEqual([]);
  });

  it('services and the database layer do not reach up', () => {
    expect(
      violations(
        ['src/app', 'src/db'],
        (target) =>
          !within(target, 'src/api/', 'src/cli/', 'src/charts/', 'bot/', 'runner/', 'clients/graphql'),
      ),
    ).toEqual([]);
  });

  it('the API does not import the bot, the runner or the CLI', () => {
    expect(violations(['src/api'], (target) => !within(target, 'bot/', 'runner/', 'src/cli/'))).toEqual([]);
  });

  it('the bot, the runner and the clients use floorplan through src/domain and the GraphQL contract only', () => {
    expect(
      violations(
        ['bot', 'runner', 'clients'],
        (target) => !within(target, 'src/') || within(target, 'src/domain/'),
      ),
    ).toEqual([]);
  });
});
