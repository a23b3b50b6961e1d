import { z } from 'zod';
import { AXIS_WORDS_HINT, axisOfWord } from '../../src/domain/engine/axes';
import { DEFAULT_HORIZON_MONTHS, WORKLOAD_RANGES } from '../../src/domain/engine/workload';
import { parseSloList } from '../../src/domain/slo-search';
import type { Axis, RunStatus, SloTargetsInput, WorkloadInput } from '../floorplan-api';

/**
 * The load a `bench` asks for, as the bot expresses it: a concurrency sweep, or (with `sloSearch`)
 * an SLO search that climbs concurrency up to `maxConcurrency` and bisects.
 */
export interface BenchmarkProfileInput {
  concurrency: number[];
  prompts: number;
  inputTokens: number;
  outputTokens: number;
  sloSearch?: { slos: SloTargetsInput; maxConcurrency: number };
}

import { DEFAULT_BOX_SLUG, SLASH_COMMAND } from '../constants';

/**
 * The `/floorplan` command language. Pure: text in, a validated command or a readable error out.
 * It never throws, and every error carries an example that parses, so a user can copy it.
 */

export const EXAMPLES = {
  keep: `${SLASH_COMMAND} keep model=llama-3.1-8b-lora requests=2000/day in=900 out=250 hours=10 custom own-weights`,
  cost: `${SLASH_COMMAND} cost model=llama-3.1-8b-lora requests=2000/day in=900 out=250 hours=10`,
  bench: `${SLASH_COMMAND} bench llama-3.1-8b-lora concurrency=1,8,32 prompts=200 in=512 out=256`,
  paths: `${SLASH_COMMAND} paths page=2`,
  models: `${SLASH_COMMAND} models`,
  boxes: `${SLASH_COMMAND} boxes`,
  runs: `${SLASH_COMMAND} runs queued page=2`,
  run: `${SLASH_COMMAND} run clx0run123`,
  cancel: `${SLASH_COMMAND} cancel clx0run123`,
  access: `${SLASH_COMMAND} access gb300`,
  stale: `${SLASH_COMMAND} stale days=180`,
  help: `${SLASH_COMMAND} help`,
} as const;

export type Subcommand = keyof typeof EXAMPLES;

export const SLO_SEARCH_EXAMPLE = `${SLASH_COMMAND} bench llama-3.1-8b-lora slo-search ttft_p95<=200 tpot<=20`;

export type FloorplanCommand =
  | { kind: 'help' }
  | { kind: 'keep-form' }
  | { kind: 'keep'; workload: WorkloadInput; keep: Axis[] }
  | { kind: 'cost'; workload: WorkloadInput }
  | { kind: 'paths'; page: number }
  | { kind: 'models' }
  | { kind: 'stale'; olderThanDays: number }
  | { kind: 'boxes' }
  | { kind: 'bench'; modelVariant: string; box: string; profile: BenchmarkProfileInput }
  | { kind: 'runs'; status: RunStatus | undefined; limit: number; page: number }
  | { kind: 'run'; runId: string }
  | { kind: 'cancel'; runId: string }
  | { kind: 'access'; accelerator: string; region: string | undefined };

export interface CommandError {
  message: string;
  example: string;
  /** The argument at fault (`requests`, `in`, …), so a modal can show the error beside its field. */
  argument?: string;
}

export type ParseResult = { ok: true; command: FloorplanCommand } | { ok: false; error: CommandError };

export const MAX_COMMAND_LENGTH = 2000;

/**
 * What the API assumes for a field left out (the defaults in schema/schema.graphql's WorkloadInput;
 * a test keeps them equal). The modal shows them, and `requests=…/month` divides by the days.
 */
export const WORKLOAD_DEFAULTS = {
  activeHoursPerDay: 24,
  activeDaysPerMonth: 30,
  horizonMonths: DEFAULT_HORIZON_MONTHS,
  region: 'us-east-1',
} as const;

/** Every workload argument, as the help and the "I don't know" answers list them. */
export const WORKLOAD_ARGUMENTS_HINT =
  '`model=` `requests=2000/day` (or `60k/month`) `in=` `out=` `hours=` `days=` `months=` `amortization=` `budget=` `needed-by=` `tps>=` `ttft<=` `accepted>=` `region=` `burstiness=` `peak=` `keeping=` and the flags `custom`, `base`, `own-weights`';

const SLUG = /^[a-z0-9][a-z0-9._:-]{0,79}$/i;
const RUN_ID = /^[A-Za-z0-9_-]{1,64}$/;
const PLAIN_NUMBER = /^(\d+(?:\.\d+)?)([kmb]?)$/i;
/** `2,000` and `1,200,000.5`: commas only as thousands separators. */
const THOUSANDS = /^\d{1,3}(?:,\d{3})+(?:\.\d+)?[kmb]?$/i;
const MONEY = /^\$?(\d{1,9}(?:\.\d{1,2})?)$/;

const RUN_STATUS_BY_WORD: Record<string, RunStatus> = {
  queued: 'QUEUED',
  running: 'LEASED',
  leased: 'LEASED',
  finished: 'SUCCEEDED',
  succeeded: 'SUCCEEDED',
  done: 'SUCCEEDED',
  failed: 'FAILED',
  cancelled: 'CANCELLED',
  canceled: 'CANCELLED',
};

class ArgumentError extends Error {
  constructor(
    message: string,
    readonly argument?: string,
    /** An example closer to what was typed than the subcommand's own. */
    readonly example?: string,
  ) {
    super(message);
  }
}

/** Slack clients turn `--` into an em dash and straight quotes into curly ones; undo that first. */
function normalize(text: string): string {
  return text
    .replace(/[\u2014\u2013]/g, '--')
    .replace(/[\u201c\u201d\u2018\u2019]/g, '')
    .replace(/\u00a0/g, ' ')
    .trim();
}

function tokenize(text: string): string[] {
  return text.split(/\s+/).filter((token) => token.length > 0);
}

/** A plausible value per argument, for "write digits, e.g. …". */
const SAMPLE_VALUE: Record<string, string> = {
  requests: '2000/day',
  in: '900',
  out: '250',
  hours: '10',
  days: '22',
  months: '12',
  amortization: '36',
  tps: '30',
  ttft: '800',
  'needed-by': '7',
  page: '2',
  prompts: '200',
  concurrency: '1,8,32',
  n: '10',
};

function parseCount(argument: string, raw: string): number {
  const cleaned = raw.replace(/_/g, '');
  if (/^-\d/.test(cleaned)) {
    throw new ArgumentError(`\`${argument}\` must be positive, got \`${raw}\`.`, argument);
  }
  const match = PLAIN_NUMBER.exec(THOUSANDS.test(cleaned) ? cleaned.replace(/,/g, '') : cleaned);
  if (match === null) {
    throw new ArgumentError(
      `\`${argument}=${raw}\` is not a number: write digits, e.g. \`${argument}=${SAMPLE_VALUE[argument] ?? '2'}\`.`,
      argument,
    );
  }
  const [, digits = '', suffix = ''] = match;
  const multiplier = { k: 1e3, m: 1e6, b: 1e9 }[suffix.toLowerCase()] ?? 1;
  // 1.1m is 1,100,000 exactly, not 1100000.0000000002.
  return Number((Number(digits) * multiplier).toPrecision(15));
}

function parseInteger(argument: string, raw: string, min: number, max: number): number {
  const value = parseCount(argument, raw);
  if (!Number.isInteger(value))
    throw new ArgumentError(`\`${argument}\` must be a whole number, got \`${raw}\`.`, argument);
  if (value < min || value > max) {
    throw new ArgumentError(`\`${argument}\` must be between ${min} and ${max}, got \`${raw}\`.`, argument);
  }
  return value;
}

function parseBoundedNumber(argument: string, raw: string, min: number, max: number): number {
  const value = parseCount(argument, raw);
  if (value < min || value > max) {
    throw new ArgumentError(`\`${argument}\` must be between ${min} and ${max}, got \`${raw}\`.`, argument);
  }
  return value;
}

/** Requests per active day (the API's unit); `/month` is kept aside and divided by the days later. */
function parseRequests(raw: string): { perDay: number } | { perMonth: number } {
  const [amount = '', unit = 'day', ...rest] = raw.split('/');
  if (rest.length > 0)
    throw new ArgumentError(`\`requests=${raw}\`: write it as \`requests=2000/day\`.`, 'requests');
  const value = parseBoundedNumber('requests', amount, 1, 31 * WORKLOAD_RANGES.requestsPerDay.max);
  if (value === 0) throw new ArgumentError(`\`requests\` must be positive, got \`${raw}\`.`, 'requests');
  switch (unit.toLowerCase()) {
    case 'd':
    case 'day':
      return { perDay: value };
    case 'mo':
    case 'month':
      return { perMonth: value };
    case 'h':
    case 'hr':
    case 'hour':
      throw new ArgumentError(
        `\`requests=${raw}\`: give requests per day or per month (e.g. \`requests=2000/day\`) and the active \`hours=\`.`,
        'requests',
      );
    default:
      throw new ArgumentError(`\`requests=${raw}\`: the unit must be \`/day\` or \`/month\`.`, 'requests');
  }
}

function parseMoney(argument: string, raw: string): string {
  const match = MONEY.exec(raw.replace(/,/g, ''));
  if (match?.[1] === undefined) {
    throw new ArgumentError(
      `\`${argument}=${raw}\` is not an amount: write dollars per month, e.g. \`${argument}=500\`.`,
      argument,
    );
  }
  return match[1];
}

function parseSlug(argument: string, raw: string): string {
  if (!SLUG.test(raw)) {
    throw new ArgumentError(
      `\`${raw}\` is not a valid ${argument} name: use letters, digits, dots and dashes.`,
      argument,
    );
  }
  return raw.toLowerCase();
}

function parseAxes(raw: string): Axis[] {
  const axes = raw
    .split(',')
    .filter((word) => word.length > 0)
    .map((word) => {
      const axis = axisOfWord(word);
      if (axis === null) {
        throw new ArgumentError(`\`${word}\` is not a constraint: use ${AXIS_WORDS_HINT}.`, 'keeping');
      }
      return axis;
    });
  return [...new Set(axes)];
}

/** Splits `name=value`, `name>=value` and `name<=value`; a token without an operator is a flag. */
function splitArgument(token: string): { name: string; operator: string; value: string } | { flag: string } {
  const match = /^([a-z][a-z0-9_.-]*)(>=|<=|=|>|<)(.*)$/i.exec(token);
  if (match === null) return { flag: token.toLowerCase() };
  const [, name = '', operator = '', value = ''] = match;
  return { name: name.toLowerCase(), operator, value };
}

const workloadSchema = z
  .object({
    model: z.string({ message: 'name the model, e.g. `model=llama-3.1-8b-lora`' }),
    requestsPerDay: z.number({ message: 'say how many requests, e.g. `requests=2000/day`' }).positive(),
    meanInputTokens: z.number().int().min(1).max(1_000_000),
    meanOutputTokens: z.number().int().min(1).max(1_000_000),
    activeHoursPerDay: z.number().gt(0).max(24).optional(),
    activeDaysPerMonth: z.number().gt(0).max(WORKLOAD_RANGES.activeDaysPerMonth.max).optional(),
    horizonMonths: z.number().int().min(1).max(120).optional(),
    amortizationMonths: z.number().int().min(1).max(120).optional(),
    minDecodeTokensPerSecond: z.number().positive().max(100_000).optional(),
    maxTtftMsP95: z.number().positive().max(600_000).optional(),
    needsCustomWeights: z.boolean().optional(),
    mustOwnWeights: z.boolean().optional(),
    monthlyBudget: z.string().optional(),
    neededByDays: z.number().int().min(0).max(3650).optional(),
    minAcceptedRate: z.number().min(0).max(1).optional(),
    region: z.string().optional(),
    burstiness: z.number().min(WORKLOAD_RANGES.burstiness.min).max(WORKLOAD_RANGES.burstiness.max).optional(),
    peakToMean: z.number().min(WORKLOAD_RANGES.peakToMean.min).max(WORKLOAD_RANGES.peakToMean.max).optional(),
  })
  .strict();

interface ParsedWorkload {
  workload: WorkloadInput;
  keep: Axis[];
}

/** Workload arguments, shared by `keep`, `cost` and the modal (which renders its fields as arguments). */
export function parseWorkloadArguments(tokens: readonly string[]): ParsedWorkload {
  const draft: Record<string, unknown> = {};
  let keep: Axis[] = [];
  let requestsPerMonth: number | undefined;
  const setOnce = (argument: string, update: Partial<WorkloadInput>) => {
    for (const key of Object.keys(update)) {
      if (key in draft) throw new ArgumentError(`\`${argument}\` is given twice.`, argument);
    }
    Object.assign(draft, update);
  };
  for (const token of tokens) {
    const parts = splitArgument(token);
    if ('flag' in parts) {
      switch (parts.flag) {
        case 'custom':
          setOnce('custom', { needsCustomWeights: true });
          break;
        case 'base':
          setOnce('base', { needsCustomWeights: false });
          break;
        case 'own-weights':
        case 'own_weights':
          setOnce('own-weights', { mustOwnWeights: true });
          break;
        default:
          throw new ArgumentError(
            `I don't know \`${parts.flag}\`. Workload arguments: ${WORKLOAD_ARGUMENTS_HINT}.`,
            parts.flag,
          );
      }
      continue;
    }
    const { name, operator, value } = parts;
    const expectOperator = (...allowed: string[]) => {
      if (!allowed.includes(operator)) {
        throw new ArgumentError(`\`${token}\`: write \`${name}${allowed[0]}${value || '…'}\`.`, name);
      }
    };
    if (value === '') throw new ArgumentError(`\`${token}\` has no value.`, name);
    switch (name) {
      case 'model':
      case 'variant':
        expectOperator('=');
        setOnce('model', { model: parseSlug('model', value) });
        break;
      case 'requests': {
        expectOperator('=');
        if ('requestsPerDay' in draft || requestsPerMonth !== undefined)
          throw new ArgumentError('`requests` is given twice.', 'requests');
        const requests = parseRequests(value);
        if ('perDay' in requests) setOnce('requests', { requestsPerDay: requests.perDay });
        else requestsPerMonth = requests.perMonth;
        break;
      }
      case 'in':
        expectOperator('=');
        setOnce('in', { meanInputTokens: parseInteger('in', value, 1, 1_000_000) });
        break;
      case 'out':
        expectOperator('=');
        setOnce('out', { meanOutputTokens: parseInteger('out', value, 1, 1_000_000) });
        break;
      case 'hours':
        expectOperator('=');
        setOnce('hours', { activeHoursPerDay: parseBoundedNumber('hours', value, 0.1, 24) });
        break;
      case 'days':
        expectOperator('=');
        setOnce('days', {
          activeDaysPerMonth: parseBoundedNumber(
            'days',
            value.replace(/\/(mo|month)$/i, ''),
            0.1,
            WORKLOAD_RANGES.activeDaysPerMonth.max,
          ),
        });
        break;
      case 'months':
      case 'horizon':
        expectOperator('=');
        setOnce('months', {
          horizonMonths: parseInteger('months', value.replace(/mo(nths?)?$/i, ''), 1, 120),
        });
        break;
      case 'amortization':
      case 'amortize':
        expectOperator('=');
        setOnce('amortization', {
          amortizationMonths: parseInteger('amortization', value.replace(/mo(nths?)?$/i, ''), 1, 120),
        });
        break;
      case 'tps':
        expectOperator('>=', '=', '>');
        setOnce('tps', { minDecodeTokensPerSecond: parseBoundedNumber('tps', value, 0.1, 100_000) });
        break;
      case 'ttft':
        expectOperator('<=', '=', '<');
        setOnce('ttft', { maxTtftMsP95: parseBoundedNumber('ttft', value.replace(/ms$/i, ''), 1, 600_000) });
        break;
      case 'budget':
        expectOperator('=', '<=', '<');
        setOnce('budget', { monthlyBudget: parseMoney('budget', value) });
        break;
      case 'needed-by':
      case 'needed_by':
      case 'neededby':
        expectOperator('=', '<=');
        setOnce('needed-by', {
          neededByDays: parseInteger('needed-by', value.replace(/d(ays?)?$/i, ''), 0, 3650),
        });
        break;
      case 'accepted':
      case 'quality': {
        expectOperator('>=', '=', '>');
        const percent = value.endsWith('%');
        const rate = parseBoundedNumber(name, percent ? value.slice(0, -1) : value, 0, percent ? 100 : 1);
        setOnce(name, { minAcceptedRate: percent ? rate / 100 : rate });
        break;
      }
      case 'region':
        expectOperator('=');
        setOnce('region', { region: parseSlug('region', value) });
        break;
      case 'burstiness':
      case 'burst':
        // How clustered arrivals are: 1 = Poisson, more = clustered (what a scale-to-zero path bills).
        expectOperator('=');
        setOnce('burstiness', {
          burstiness: parseBoundedNumber(
            'burstiness',
            value,
            WORKLOAD_RANGES.burstiness.min,
            WORKLOAD_RANGES.burstiness.max,
          ),
        });
        break;
      case 'peak':
      case 'peak-to-mean':
        // The busiest arrival rate within active hours over the mean: what capacity is sized for.
        expectOperator('=');
        setOnce('peak', {
          peakToMean: parseBoundedNumber(
            'peak',
            value.replace(/x$/i, ''),
            WORKLOAD_RANGES.peakToMean.min,
            WORKLOAD_RANGES.peakToMean.max,
          ),
        });
        break;
      case 'keeping':
        expectOperator('=');
        keep = parseAxes(value);
        break;
      default:
        throw new ArgumentError(
          `I don't know the argument \`${name}\`. Workload arguments: ${WORKLOAD_ARGUMENTS_HINT}.`,
          name,
        );
    }
  }
  if (requestsPerMonth !== undefined) {
    // The API takes requests per active day: a monthly figure is spread over the active days
    // (every day of the month, the API's default, unless `days=` says otherwise).
    const days =
      typeof draft.activeDaysPerMonth === 'number'
        ? draft.activeDaysPerMonth
        : WORKLOAD_DEFAULTS.activeDaysPerMonth;
    draft.requestsPerDay = Number((requestsPerMonth / days).toPrecision(12));
  }
  if (draft.model === undefined)
    throw new ArgumentError('name the model, e.g. `model=llama-3.1-8b-lora`.', 'model');
  if (draft.requestsPerDay === undefined)
    throw new ArgumentError(
      'say how many requests, e.g. `requests=2000/day` or `requests=60k/month`.',
      'requests',
    );
  if (draft.meanInputTokens === undefined)
    throw new ArgumentError('say the mean input tokens per request, e.g. `in=900`.', 'in');
  if (draft.meanOutputTokens === undefined)
    throw new ArgumentError('say the mean output tokens per request, e.g. `out=250`.', 'out');
  const validated = workloadSchema.safeParse(draft);
  if (!validated.success) {
    const issue = validated.error.issues[0];
    const argument = issue === undefined ? undefined : String(issue.path[0] ?? '');
    throw new ArgumentError(issue?.message ?? 'the workload is incomplete.', argument);
  }
  return { workload: validated.data as WorkloadInput, keep };
}

function parseOptions(
  tokens: readonly string[],
  allowed: readonly string[],
): { options: Map<string, string>; positional: string[] } {
  const options = new Map<string, string>();
  const positional: string[] = [];
  for (let index = 0; index < tokens.length; index += 1) {
    const token = tokens[index] ?? '';
    if (token.startsWith('--')) {
      const name = token.slice(2).toLowerCase();
      const [flagName = '', inlineValue] = name.split('=', 2);
      if (!allowed.includes(flagName))
        throw new ArgumentError(`I don't know the option \`--${flagName}\`.`, flagName);
      const value = inlineValue ?? tokens[index + 1];
      if (value === undefined) throw new ArgumentError(`\`--${flagName}\` needs a value.`, flagName);
      if (inlineValue === undefined) index += 1;
      options.set(flagName, value);
      continue;
    }
    const parts = splitArgument(token);
    if ('name' in parts) {
      if (!allowed.includes(parts.name))
        throw new ArgumentError(`I don't know the argument \`${parts.name}\`.`, parts.name);
      if (parts.operator !== '=')
        throw new ArgumentError(`\`${token}\`: write \`${parts.name}=…\`.`, parts.name);
      if (options.has(parts.name)) throw new ArgumentError(`\`${parts.name}\` is given twice.`, parts.name);
      options.set(parts.name, parts.value);
    } else {
      positional.push(token);
    }
  }
  return { options, positional };
}

function parseConcurrency(raw: string): number[] {
  const levels = raw.split(',').map((entry) => parseInteger('concurrency', entry.trim(), 1, 512));
  if (levels.length === 0 || levels.length > 8) {
    throw new ArgumentError(
      '`concurrency` takes one to eight levels, e.g. `concurrency=1,8,32`.',
      'concurrency',
    );
  }
  return [...new Set(levels)].sort((a, b) => a - b);
}

const SLO_NAME = /^(ttft|tpot|itl|e2el)/i;
const SLO_NAMES_HINT =
  '`ttft_p95`, `ttft_p99`, `tpot` (the mean), `tpot_p99`, `itl_p99` or `e2el_p99`, in ms';

/** `ttft_p95<=200 tpot<=20` → the API's SLO targets; every objective is a limit in milliseconds. */
function parseSlos(tokens: readonly string[]): SloTargetsInput {
  const slos: SloTargetsInput = {};
  for (const token of tokens) {
    const parts = splitArgument(token);
    const name = 'name' in parts ? parts.name : parts.flag;
    if (!('name' in parts) || !['<=', '<', '='].includes(parts.operator)) {
      throw new ArgumentError(
        `\`${token}\`: write an objective as \`${name}<=200\` (milliseconds).`,
        name,
        SLO_SEARCH_EXAMPLE,
      );
    }
    const value = parts.value.replace(/ms$/i, '');
    if (/^-/.test(value))
      throw new ArgumentError(`\`${name}\` must be positive, got \`${value}\`.`, name, SLO_SEARCH_EXAMPLE);
    const parsed = parseSloList(`${name}<=${value}`);
    if ('error' in parsed) {
      const known = /^[a-z0-9_]+$/i.test(name) && parseSloList(`${name}<=1`);
      throw new ArgumentError(
        known && 'slos' in known
          ? `\`${token}\`: the limit must be a positive number of milliseconds, e.g. \`${name}<=200\`.`
          : `\`${name}\` is not an objective: use ${SLO_NAMES_HINT}, e.g. \`ttft_p95<=200\`.`,
        name,
        SLO_SEARCH_EXAMPLE,
      );
    }
    for (const [key, limit] of Object.entries(parsed.slos) as [keyof SloTargetsInput, number][]) {
      if (slos[key] !== undefined)
        throw new ArgumentError(`\`${name}\` is given twice.`, name, SLO_SEARCH_EXAMPLE);
      slos[key] = limit;
    }
  }
  return slos;
}

function parseBench(allTokens: readonly string[]): FloorplanCommand {
  const sloSearch = allTokens.some((token) => /^(--)?slo[-_]?search$/i.test(token));
  const sloTokens = allTokens.filter((token) => SLO_NAME.test(token));
  const tokens = allTokens.filter((token) => !SLO_NAME.test(token) && !/^(--)?slo[-_]?search$/i.test(token));
  if (sloTokens.length > 0 && !sloSearch) {
    throw new ArgumentError(
      `objectives such as \`${sloTokens[0]}\` go with an SLO search: add \`slo-search\`.`,
      'slo-search',
      SLO_SEARCH_EXAMPLE,
    );
  }
  if (sloSearch) return parseSloSearchBench(tokens, sloTokens);
  const { options, positional } = parseOptions(tokens, [
    'concurrency',
    'prompts',
    'in',
    'out',
    'box',
    'model',
  ]);
  const [variantToken, ...extra] = positional;
  const variant = options.get('model') ?? variantToken;
  if (variant === undefined) throw new ArgumentError('name the model variant to benchmark.', 'model');
  if (extra.length > 0 || (options.has('model') && variantToken !== undefined)) {
    throw new ArgumentError(`unexpected \`${extra[0] ?? variantToken}\`: name one model variant.`);
  }
  const concurrency = options.get('concurrency');
  if (concurrency === undefined)
    throw new ArgumentError('say the concurrency levels, e.g. `concurrency=1,8,32`.', 'concurrency');
  return {
    kind: 'bench',
    modelVariant: parseSlug('model', variant),
    box: parseSlug('box', options.get('box') ?? DEFAULT_BOX_SLUG),
    profile: {
      concurrency: parseConcurrency(concurrency),
      prompts: parseInteger('prompts', options.get('prompts') ?? '200', 1, 10_000),
      inputTokens: parseInteger('in', options.get('in') ?? '512', 1, 131_072),
      outputTokens: parseInteger('out', options.get('out') ?? '256', 1, 32_768),
    },
  };
}

function parseSloSearchBench(tokens: readonly string[], sloTokens: readonly string[]): FloorplanCommand {
  const { options, positional } = parseOptions(tokens, [
    'concurrency',
    'max-concurrency',
    'prompts',
    'in',
    'out',
    'box',
    'model',
  ]);
  if (options.has('concurrency')) {
    throw new ArgumentError(
      '`concurrency=` is for a fixed sweep; an SLO search picks its own levels: cap them with `max-concurrency=64`.',
      'concurrency',
      SLO_SEARCH_EXAMPLE,
    );
  }
  const [variantToken, ...extra] = positional;
  const variant = options.get('model') ?? variantToken;
  if (variant === undefined) throw new ArgumentError('name the model variant to benchmark.', 'model');
  if (extra.length > 0 || (options.has('model') && variantToken !== undefined)) {
    throw new ArgumentError(`unexpected \`${extra[0] ?? variantToken}\`: name one model variant.`);
  }
  if (sloTokens.length === 0) {
    throw new ArgumentError(
      `an SLO search needs at least one objective: ${SLO_NAMES_HINT}, e.g. \`slo-search ttft_p95<=200 tpot<=20\`.`,
      'slo-search',
      SLO_SEARCH_EXAMPLE,
    );
  }
  return {
    kind: 'bench',
    modelVariant: parseSlug('model', variant),
    box: parseSlug('box', options.get('box') ?? DEFAULT_BOX_SLUG),
    profile: {
      concurrency: [],
      prompts: parseInteger('prompts', options.get('prompts') ?? '50', 1, 10_000),
      inputTokens: parseInteger('in', options.get('in') ?? '512', 1, 131_072),
      outputTokens: parseInteger('out', options.get('out') ?? '256', 1, 32_768),
      sloSearch: {
        slos: parseSlos(sloTokens),
        maxConcurrency: parseInteger('max-concurrency', options.get('max-concurrency') ?? '256', 1, 1024),
      },
    },
  };
}

function parseRunId(tokens: readonly string[], subcommand: 'run' | 'cancel'): string {
  const [runId, ...extra] = tokens;
  if (runId === undefined) throw new ArgumentError('say which run, by its id (see `/floorplan runs`).', 'id');
  if (extra.length > 0) throw new ArgumentError(`\`${subcommand}\` takes one run id.`, 'id');
  if (!RUN_ID.test(runId)) throw new ArgumentError(`\`${runId}\` is not a run id.`, 'id');
  return runId;
}

function parseSubcommand(subcommand: Subcommand, tokens: readonly string[]): FloorplanCommand {
  switch (subcommand) {
    case 'help':
      return { kind: 'help' };
    case 'keep': {
      if (tokens.length === 0) return { kind: 'keep-form' };
      const { workload, keep } = parseWorkloadArguments(tokens);
      return { kind: 'keep', workload, keep };
    }
    case 'cost': {
      const { workload } = parseWorkloadArguments(tokens);
      return { kind: 'cost', workload };
    }
    case 'paths': {
      const { options, positional } = parseOptions(tokens, ['page']);
      if (positional.length > 0) throw new ArgumentError(`unexpected \`${positional[0]}\`.`);
      return { kind: 'paths', page: parseInteger('page', options.get('page') ?? '1', 1, 1000) };
    }
    case 'models':
    case 'boxes': {
      if (tokens.length > 0)
        throw new ArgumentError(`\`${subcommand}\` takes no arguments; got \`${tokens[0]}\`.`);
      return { kind: subcommand };
    }
    case 'bench':
      return parseBench(tokens);
    case 'runs': {
      const { options, positional } = parseOptions(tokens, ['status', 'n', 'limit', 'page']);
      if (positional.length > 1) throw new ArgumentError(`unexpected \`${positional[1]}\`.`);
      const statusWord = options.get('status') ?? positional[0];
      const status = statusWord === undefined ? undefined : RUN_STATUS_BY_WORD[statusWord.toLowerCase()];
      if (statusWord !== undefined && status === undefined) {
        throw new ArgumentError(
          `\`${statusWord}\` is not a run status: use queued, running, finished, failed or cancelled.`,
          'status',
        );
      }
      return {
        kind: 'runs',
        status,
        limit: parseInteger('n', options.get('n') ?? options.get('limit') ?? '10', 1, 50),
        page: parseInteger('page', options.get('page') ?? '1', 1, 10_000),
      };
    }
    case 'run':
      return { kind: 'run', runId: parseRunId(tokens, 'run') };
    case 'cancel':
      return { kind: 'cancel', runId: parseRunId(tokens, 'cancel') };
    case 'stale': {
      const { options, positional } = parseOptions(tokens, ['days']);
      if (positional.length > 0) throw new ArgumentError(`unexpected \`${positional[0]}\`: give days=N.`);
      return { kind: 'stale', olderThanDays: parseInteger('days', options.get('days') ?? '180', 0, 3650) };
    }
    case 'access': {
      const { options, positional } = parseOptions(tokens, ['region']);
      const [accelerator, ...extra] = positional;
      if (accelerator === undefined)
        throw new ArgumentError('name an accelerator, e.g. `gb300` or `h100`.', 'accelerator');
      if (extra.length > 0) throw new ArgumentError(`unexpected \`${extra[0]}\`: name one accelerator.`);
      const region = options.get('region');
      return {
        kind: 'access',
        accelerator: parseSlug('accelerator', accelerator),
        region: region === undefined ? undefined : parseSlug('region', region),
      };
    }
  }
}

function isSubcommand(word: string): word is Subcommand {
  return Object.hasOwn(EXAMPLES, word);
}

export function parseCommand(text: string): ParseResult {
  try {
    if (text.length > MAX_COMMAND_LENGTH) {
      return {
        ok: false,
        error: {
          message: `That command is ${text.length} characters; the limit is ${MAX_COMMAND_LENGTH}.`,
          example: EXAMPLES.help,
        },
      };
    }
    const [first, ...rest] = tokenize(normalize(text));
    if (first === undefined) return { ok: true, command: { kind: 'help' } };
    const subcommand = first.toLowerCase();
    if (!isSubcommand(subcommand)) {
      return {
        ok: false,
        error: {
          message: `I don't know \`${first.slice(0, 40)}\`. Subcommands: ${Object.keys(EXAMPLES).join(', ')}.`,
          example: EXAMPLES.keep,
        },
      };
    }
    try {
      return { ok: true, command: parseSubcommand(subcommand, rest) };
    } catch (error) {
      if (error instanceof ArgumentError) {
        return {
          ok: false,
          error: {
            message: error.message.slice(0, 500),
            example: error.example ?? EXAMPLES[subcommand],
            ...(error.argument === undefined ? {} : { argument: error.argument }),
          },
        };
      }
      throw error;
    }
  } catch {
    // A bug here must not surface as a crash or a silent failure in Slack: answer like any bad input.
    return { ok: false, error: { message: 'I could not read that command.', example: EXAMPLES.help } };
  }
}

/** Renders a workload back into arguments that `parseWorkloadArguments` accepts (for button values). */
export function workloadToArguments(workload: WorkloadInput, keep: readonly Axis[] = []): string {
  const parts: string[] = [`model=${workload.model}`, `requests=${workload.requestsPerDay}/day`];
  parts.push(`in=${workload.meanInputTokens}`, `out=${workload.meanOutputTokens}`);
  if (workload.activeHoursPerDay !== undefined) parts.push(`hours=${workload.activeHoursPerDay}`);
  if (workload.activeDaysPerMonth !== undefined) parts.push(`days=${workload.activeDaysPerMonth}`);
  if (workload.horizonMonths !== undefined) parts.push(`months=${workload.horizonMonths}`);
  if (workload.amortizationMonths != null) parts.push(`amortization=${workload.amortizationMonths}`);
  if (workload.needsCustomWeights === true) parts.push('custom');
  if (workload.needsCustomWeights === false) parts.push('base');
  if (workload.mustOwnWeights === true) parts.push('own-weights');
  if (workload.minDecodeTokensPerSecond !== undefined)
    parts.push(`tps>=${workload.minDecodeTokensPerSecond}`);
  if (workload.maxTtftMsP95 !== undefined) parts.push(`ttft<=${workload.maxTtftMsP95}`);
  if (workload.monthlyBudget !== undefined) parts.push(`budget=${workload.monthlyBudget}`);
  if (workload.neededByDays !== undefined) parts.push(`needed-by=${workload.neededByDays}`);
  if (workload.minAcceptedRate !== undefined) parts.push(`accepted>=${workload.minAcceptedRate}`);
  if (workload.region !== undefined) parts.push(`region=${workload.region}`);
  if (workload.burstiness !== undefined) parts.push(`burstiness=${workload.burstiness}`);
  if (workload.peakToMean !== undefined) parts.push(`peak=${workload.peakToMean}`);
  if (keep.length > 0) parts.push(`keeping=${keep.map((axis) => axis.toLowerCase()).join(',')}`);
  return parts.join(' ');
}

export type WorkloadParseResult = ({ ok: true } & ParsedWorkload) | { ok: false; error: CommandError };

/** `parseWorkloadArguments` as a result instead of an exception, for the modal and the buttons. */
export function tryParseWorkloadArguments(tokens: readonly string[]): WorkloadParseResult {
  try {
    return { ok: true, ...parseWorkloadArguments(tokens) };
  } catch (error) {
    const argument = error instanceof ArgumentError ? error.argument : undefined;
    return {
      ok: false,
      error: {
        message: error instanceof ArgumentError ? error.message : 'I could not read that workload.',
        example: EXAMPLES.keep,
        ...(argument === undefined ? {} : { argument }),
      },
    };
  }
}
