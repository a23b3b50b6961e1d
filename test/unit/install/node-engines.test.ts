import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * `npm ci` on the oldest Node the project supports (package.json `engines`, 20.19) prints no
 * EBADENGINE warning: every installed package's own `engines.node`, as recorded in the lockfile,
 * admits that Node. A dependency that moves to Node 22 fails here first; pin it or override it.
 */

const root = path.resolve(import.meta.dirname, '..', '..', '..');
const read = (file: string) => JSON.parse(readFileSync(path.join(root, file), 'utf8'));

type Version = [number, number, number];

/** "20", "20.19", "6.*", "10.x" → the lowest version the part names, and how many parts were given. */
function parse(text: string): { version: Version; given: number } {
  const parts = text.replace(/^v/, '').split('.');
  const numbers = parts.map((part) => (/^\d+$/.test(part) ? Number(part) : Number.NaN));
  const given = numbers.findIndex((part) => Number.isNaN(part));
  const count = given === -1 ? numbers.length : given;
  return {
    version: [numbers[0] ?? 0, count > 1 ? (numbers[1] ?? 0) : 0, count > 2 ? (numbers[2] ?? 0) : 0],
    given: count,
  };
}

function compare(a: Version, b: Version): number {
  for (let i = 0; i < 3; i++) if ((a[i] ?? 0) !== (b[i] ?? 0)) return (a[i] ?? 0) - (b[i] ?? 0);
  return 0;
}

/** node-semver's reading of one comparator (>=, >, <=, <, ^, ~, =, x-ranges), enough for engines fields. */
function satisfiesComparator(node: Version, comparator: string): boolean {
  const match = comparator.match(/^(>=|<=|>|<|\^|~|=)?\s*(.+)$/);
  if (!match || match[2] === '*' || match[2] === 'x') return true;
  const op = match[1] ?? '';
  const { version, given } = parse(match[2] ?? '');
  const cmp = compare(node, version);
  switch (op) {
    case '>=':
      return cmp >= 0;
    case '>':
      return cmp > 0 && !sameRange(node, version, given);
    case '<=':
      return cmp <= 0 || sameRange(node, version, given);
    case '<':
      return cmp < 0;
    case '^':
      return cmp >= 0 && (version[0] > 0 ? node[0] === version[0] : node[1] === version[1]);
    case '~':
      return cmp >= 0 && node[0] === version[0] && (given < 2 || node[1] === version[1]);
    default:
      return sameRange(node, version, given);
  }
}

function sameRange(node: Version, version: Version, given: number): boolean {
  for (let i = 0; i < Math.min(given, 3); i++) if (node[i] !== version[i]) return false;
  return true;
}

function satisfies(node: Version, range: string): boolean {
  return range.split('||').some((alternative) =>
    alternative
      .trim()
      .replace(/(>=|<=|>|<|\^|~|=)\s+/g, '$1')
      .split(/\s+/)
      .filter(Boolean)
      .every((comparator) => satisfiesComparator(node, comparator)),
  );
}

describe('install on the oldest supported Node', () => {
  const engines = read('package.json').engines.node as string;
  const oldest = parse(engines.replace(/^>=\s*/, '')).version;

  it('reads engine ranges the way npm does', () => {
    expect(satisfies([20, 19, 0], '>=20.19')).toBe(true);
    expect(satisfies([20, 19, 0], '>=22.12.0')).toBe(false);
    expect(satisfies([20, 19, 0], '^16 || ^18 || >=20')).toBe(true);
    expect(satisfies([20, 19, 0], '^20.19.0 || >=22.12.0')).toBe(true);
    expect(satisfies([20, 17, 0], '^20.19.0 || >=22.12.0')).toBe(false);
    expect(satisfies([20, 19, 0], '20 || >=22')).toBe(true);
    expect(satisfies([20, 19, 0], '6.* || 8.* || >= 10.*')).toBe(true);
    expect(satisfies([20, 19, 0], '^20.0.0 || ^22.0.0 || >=24.0.0')).toBe(true);
    expect(satisfies([20, 19, 0], '>=23.5.0 || ^22.13.0 || ^20.17.0')).toBe(true);
  });

  it(`every locked package admits Node ${oldest.join('.')} (npm ci prints no EBADENGINE)`, () => {
    const lock = read('package-lock.json') as {
      packages: Record<string, { version?: string; engines?: { node?: string } | string[] }>;
    };
    const refusing = Object.entries(lock.packages)
      .filter(([location, entry]) => {
        const range = !Array.isArray(entry.engines) ? entry.engines?.node : undefined;
        return location !== '' && range !== undefined && !satisfies(oldest, range);
      })
      .map(([location, entry]) => `${location}@${entry.version}: ${JSON.stringify(entry.engines)}`);
    expect(refusing).toEqual([]);
  });
});
