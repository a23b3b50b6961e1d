import Decimal from 'decimal.js';

/**
 * Compares two files of `decide` answers (bench/engine-answers.ts, one JSON answer a line) written
 * before and after an engine speed change. Everything must be byte-identical except what locating a
 * unit step or a crossing to the exact double (instead of by bisection to a relative 1e-12) may move:
 * - break-even crossings' volumes (requestsPerMonth, tokensPerMonth) and curve steps' volumes, by a
 *   relative 1e-9 at most;
 * - a crossing's costA/costB of a path whose cost moves with volume (LINEAR, WINDOWED paths) by at
 *   most $0.000001 plus what the cost moves over the volume's change; a flat-per-unit path's cost
 *   is the same object at the same units and must not change at all;
 * - a break-even summary's numbers (volume, tokens, money as shown), by a relative 1e-9 or one unit
 *   of their last shown digit (a rounded value can round the other way), its words unchanged.
 */

const VOLUME_TOLERANCE = 1e-9;
const MONEY_TOLERANCE = new Decimal('0.000001');
/** Paths whose totals are constant between unit steps. */
const FLAT_PATH_KINDS = new Set([
  'OWNED_BOX',
  'PROVISIONED_THROUGHPUT',
  'NATIVE_FINE_TUNE',
  'RENTED_INSTANCE',
]);

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

interface Difference {
  line: number;
  path: string;
  before: string;
  after: string;
}

interface Tolerated {
  /** Largest relative change of a crossing's or a step's volume. */
  volume: number;
  /** Largest change of a crossing's cost, in dollars. */
  money: Decimal;
  summaries: number;
}

const isObject = (value: Json): value is { [key: string]: Json } =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

const relative = (before: number, after: number) =>
  before === after ? 0 : Math.abs(after - before) / Math.max(Math.abs(before), Math.abs(after));

/** Whether two summaries differ only in their numbers, each within its tolerance. */
function summariesAgree(before: string, after: string): boolean {
  const number = /(\d[\d,]*(?:\.\d+)?)/;
  const partsBefore = before.split(number);
  const partsAfter = after.split(number);
  if (partsBefore.length !== partsAfter.length) return false;
  return partsBefore.every((part, index) => {
    const other = partsAfter[index] ?? '';
    if (part === other) return true;
    if (index % 2 === 0) return false;
    const valueBefore = Number(part.replaceAll(',', ''));
    const valueAfter = Number(other.replaceAll(',', ''));
    const decimals = (text: string) => text.split('.')[1]?.length ?? 0;
    const lastDigit = 10 ** -Math.max(decimals(part), decimals(other));
    return (
      relative(valueBefore, valueAfter) <= VOLUME_TOLERANCE ||
      Math.abs(valueAfter - valueBefore) <= lastDigit * (1 + 1e-9)
    );
  });
}

/** Walks one answer pair; returns false at the first difference beyond tolerance (recorded). */
function compareAnswer(
  line: number,
  before: Json,
  after: Json,
  tolerated: Tolerated,
  differences: Difference[],
): boolean {
  const pathKinds = new Map<string, string>();
  if (isObject(after) && Array.isArray(after.options)) {
    for (const option of after.options)
      if (isObject(option) && typeof option.optionId === 'string' && typeof option.pathKind === 'string')
        pathKinds.set(option.optionId, option.pathKind);
  }
  const fail = (path: string[], valueBefore: Json, valueAfter: Json) => {
    differences.push({
      line,
      path: path.join('.'),
      before: JSON.stringify(valueBefore)?.slice(0, 300) ?? 'undefined',
      after: JSON.stringify(valueAfter)?.slice(0, 300) ?? 'undefined',
    });
    return false;
  };
  const nodeAt = (root: Json, path: readonly string[]): { [key: string]: Json } | null => {
    let node: Json = root;
    for (const key of path) {
      if (Array.isArray(node)) node = node[Number(key)] ?? null;
      else if (isObject(node)) node = node[key] ?? null;
      else return null;
    }
    return isObject(node) ? node : null;
  };
  const walk = (valueBefore: Json, valueAfter: Json, path: string[]): boolean => {
    if (Array.isArray(valueBefore) && Array.isArray(valueAfter)) {
      if (valueBefore.length !== valueAfter.length)
        return fail([...path, 'length'], valueBefore.length, valueAfter.length);
      return valueBefore.every((item, index) =>
        walk(item, valueAfter[index] ?? null, [...path, String(index)]),
      );
    }
    if (isObject(valueBefore) && isObject(valueAfter)) {
      const keys = Object.keys(valueBefore);
      if (keys.join() !== Object.keys(valueAfter).join())
        return fail([...path, '(keys)'], keys, Object.keys(valueAfter));
      return keys.every((key) => walk(valueBefore[key] ?? null, valueAfter[key] ?? null, [...path, key]));
    }
    if (valueBefore === valueAfter) return true;
    const [section, , list, , field] = path;
    const shape = `${section}.${list}.${field}`;
    if (
      (shape === 'breakEvens.crossings.requestsPerMonth' ||
        shape === 'breakEvens.crossings.tokensPerMonth' ||
        (shape === 'curves.steps.requestsPerMonth' && path.length === 5)) &&
      typeof valueBefore === 'number' &&
      typeof valueAfter === 'number' &&
      relative(valueBefore, valueAfter) <= VOLUME_TOLERANCE
    ) {
      tolerated.volume = Math.max(tolerated.volume, relative(valueBefore, valueAfter));
      return true;
    }
    if (
      (shape === 'breakEvens.crossings.costA' || shape === 'breakEvens.crossings.costB') &&
      path.length === 5 &&
      typeof valueBefore === 'string' &&
      typeof valueAfter === 'string'
    ) {
      const id = nodeAt(after, path.slice(0, 2))?.[path[4] === 'costA' ? 'optionA' : 'optionB'];
      if (typeof id !== 'string' || FLAT_PATH_KINDS.has(pathKinds.get(id) ?? ''))
        return fail(path, valueBefore, valueAfter);
      const volumeBefore = nodeAt(before, path.slice(0, 4))?.requestsPerMonth;
      const volumeAfter = nodeAt(after, path.slice(0, 4))?.requestsPerMonth;
      if (typeof volumeBefore !== 'number' || typeof volumeAfter !== 'number')
        return fail(path, valueBefore, valueAfter);
      const change = new Decimal(valueAfter).minus(valueBefore).abs();
      const allowed = MONEY_TOLERANCE.plus(
        new Decimal(valueBefore).abs().times(relative(volumeBefore, volumeAfter)),
      );
      if (change.greaterThan(allowed)) return fail(path, valueBefore, valueAfter);
      if (change.greaterThan(tolerated.money)) tolerated.money = change;
      return true;
    }
    if (
      section === 'breakEvens' &&
      path[2] === 'summary' &&
      path.length === 3 &&
      typeof valueBefore === 'string' &&
      typeof valueAfter === 'string' &&
      summariesAgree(valueBefore, valueAfter)
    ) {
      tolerated.summaries++;
      return true;
    }
    return fail(path, valueBefore, valueAfter);
  };
  return walk(before, after, []);
}

export function compareAnswers(beforeText: string, afterText: string): { ok: boolean; report: string } {
  const beforeLines = beforeText.trimEnd().split('\n');
  const afterLines = afterText.trimEnd().split('\n');
  const differences: Difference[] = [];
  const tolerated: Tolerated = { volume: 0, money: new Decimal(0), summaries: 0 };
  let identical = 0;
  let withinTolerance = 0;
  if (beforeLines.length !== afterLines.length)
    differences.push({
      line: 0,
      path: '(answers)',
      before: String(beforeLines.length),
      after: String(afterLines.length),
    });
  beforeLines.forEach((lineBefore, index) => {
    const lineAfter = afterLines[index] ?? '';
    if (lineBefore === lineAfter) {
      identical++;
      return;
    }
    const parse = (text: string): Json => (text.startsWith('error:') ? text : (JSON.parse(text) as Json));
    if (compareAnswer(index + 1, parse(lineBefore), parse(lineAfter), tolerated, differences))
      withinTolerance++;
  });
  const lines = [
    `${beforeLines.length} answers: ${identical} identical, ${withinTolerance} differ only within tolerance (largest relative volume change ${tolerated.volume.toExponential(2)}, largest crossing cost change $${tolerated.money.toSignificantDigits(3).toString()}, ${tolerated.summaries} summaries with re-rounded numbers), ${beforeLines.length - identical - withinTolerance} differ beyond it`,
    ...differences
      .slice(0, 10)
      .map(
        (difference) =>
          `  answer ${difference.line} ${difference.path}:\n    before ${difference.before}\n    after  ${difference.after}`,
      ),
  ];
  return { ok: differences.length === 0, report: lines.join('\n') };
}
