import { randomUUID } from 'node:crypto';
import {
  GraphQLEnumType,
  type GraphQLField,
  GraphQLInputObjectType,
  type GraphQLInputType,
  GraphQLList,
  GraphQLNonNull,
  GraphQLObjectType,
  type GraphQLOutputType,
  GraphQLScalarType,
  getNamedType,
  isLeafType,
} from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { schema } from '../../../src/api/graphql/schema';
import type { RoleName } from '../../../src/app/auth/identity';
import { createInProcessRunEvents } from '../../../src/app/runs/notify';
import { createRun, leaseNextRun, reportResult } from '../../../src/app/runs/queue';
import { attachRunQueue } from '../../../src/app/runs/runtime';
import { benchmarkRunSpecSchema } from '../../../src/domain/run-spec';
import { createTestDatabase, type TestDatabase } from '../../support/database';
import { createGraphQLCaller, type GraphQLCaller } from '../../support/graphql';

/**
 * RELIABILITY promise 10, generated from the schema: the rules are read from the built schema (the
 * scope-auth options on every field and type), so a new field is covered the moment it exists.
 *
 * 1. Lint: every query, mutation and subscription field has a rule; every object type (the data a
 *    nested field can reach) has a type rule; a field that names a person or token is not public.
 * 2. Root matrix: each role against each operation, with arguments generated from the schema.
 * 3. Nested matrix: for each object type, one query reaching it from the root through nested
 *    fields (e.g. benchmarkResults → node → run), selecting all its fields, per role; every field
 *    reached answers or is refused exactly as the rules say. Unreachable cells are counted.
 */

type Caller = RoleName | 'ANONYMOUS';
const CALLERS: Caller[] = ['ANONYMOUS', 'VIEWER', 'OPERATOR', 'ADMIN', 'RUNNER'];
type Rule = Record<string, boolean> | undefined;

/** Relay plumbing: its data is the node type's, which carries its own rule. */
const STRUCTURAL = (name: string) =>
  name === 'Query' ||
  name === 'Mutation' ||
  name === 'Subscription' ||
  name === 'PageInfo' ||
  name.endsWith('Connection') ||
  name.endsWith('ConnectionEdge');
/** Fields that name a person or a token (who asked, who leased, who recorded, who created). */
const NAMES_SOMEONE = /By$/;
const PUBLIC_SCOPES = new Set(['public', 'catalogReader']);
const SCOPE_AUTH_REFUSAL = /is not allowed to do this|This needs an API token/;

function ruleOf(owner: { extensions?: unknown }): Rule {
  const options = (owner.extensions as { pothosOptions?: { authScopes?: unknown } } | undefined)
    ?.pothosOptions;
  const rule = options?.authScopes;
  return rule && typeof rule === 'object' ? (rule as Record<string, boolean>) : undefined;
}

/** The scopes a caller holds, as src/api/graphql/builder.ts computes them. */
function scopesOf(caller: Caller, publicCatalog: boolean): Record<string, boolean> {
  const isViewer = caller === 'VIEWER' || caller === 'OPERATOR' || caller === 'ADMIN';
  return {
    public: true,
    catalogReader: isViewer || publicCatalog,
    viewer: isViewer,
    operator: caller === 'OPERATOR' || caller === 'ADMIN',
    admin: caller === 'ADMIN',
    runner: caller === 'RUNNER',
  };
}

function allows(rule: Rule, scopes: Record<string, boolean>): boolean {
  if (!rule) return true;
  return Object.entries(rule).some(([scope, wanted]) => wanted && scopes[scope]);
}

const objectTypes = Object.values(schema.getTypeMap()).filter(
  (type): type is GraphQLObjectType => type instanceof GraphQLObjectType && !type.name.startsWith('__'),
);
const roots = [schema.getQueryType(), schema.getMutationType(), schema.getSubscriptionType()].filter(
  (type): type is GraphQLObjectType => Boolean(type),
);

describe('authorization lint (from the built schema)', () => {
  it('gives every query, mutation and subscription field a rule', () => {
    const missing = roots.flatMap((root) =>
      Object.values(root.getFields())
        .filter((field) => !ruleOf(field))
        .map((field) => `${root.name}.${field.name}`),
    );
    expect(missing).toEqual([]);
  });

  it('gives every object type a type rule, so no nested field reaches data unguarded', () => {
    const missing = objectTypes
      .filter((type) => !STRUCTURAL(type.name) && !ruleOf(type))
      .map((type) => type.name);
    expect(missing).toEqual([]);
  });

  it('makes every field with a rule of its own nullable, so a refusal nulls only that field', () => {
    // A refused non-null field nulls its parent, and up a chain of non-null lists the whole answer:
    // an anonymous `accessPaths { attempts { recordedBy } }` would lose every path it may read.
    const nonNull = objectTypes
      .filter((type) => !roots.includes(type))
      .flatMap((type) =>
        Object.values(type.getFields())
          .filter((field) => ruleOf(field) && field.type instanceof GraphQLNonNull)
          .map((field) => `${type.name}.${field.name}`),
      );
    expect(nonNull).toEqual([]);
  });

  it('keeps every field that names a person or token out of the public catalog', () => {
    const exposed = objectTypes.flatMap((type) =>
      Object.values(type.getFields())
        .filter((field) => NAMES_SOMEONE.test(field.name))
        .filter((field) => {
          const rules = [ruleOf(field), ruleOf(type)].filter(
            (rule): rule is Record<string, boolean> => !!rule,
          );
          // Guarded when at least one rule on the path admits no public scope.
          return !rules.some((rule) => Object.keys(rule).every((scope) => !PUBLIC_SCOPES.has(scope)));
        })
        .map((field) => `${type.name}.${field.name}`),
    );
    expect(exposed).toEqual([]);
  });
});

// --- values generated from the schema ---

const WORKLOAD = {
  requestsPerDay: 2000,
  meanInputTokens: 900,
  meanOutputTokens: 250,
  activeHoursPerDay: 10,
  activeDaysPerMonth: 22,
  model: 'llama-3.1-8b-lora',
  needsCustomWeights: true,
  mustOwnWeights: true,
  minAcceptedRate: 0.6,
  neededByDays: 30,
  horizonMonths: 36,
};

function valueFor(type: GraphQLInputType, name: string, known: Record<string, unknown>): unknown {
  if (type instanceof GraphQLNonNull) return valueFor(type.ofType, name, known);
  if (type instanceof GraphQLList) return [valueFor(type.ofType, name, known)];
  if (name in known) return known[name];
  if (type instanceof GraphQLEnumType) return type.getValues()[0]?.value;
  if (type instanceof GraphQLInputObjectType) {
    if (type.name === 'WorkloadInput') return WORKLOAD;
    return Object.fromEntries(
      Object.values(type.getFields())
        .filter((field) => field.type instanceof GraphQLNonNull)
        .map((field) => [field.name, valueFor(field.type, field.name, known)]),
    );
  }
  if (type instanceof GraphQLScalarType) {
    switch (type.name) {
      case 'Int':
      case 'Float':
        return 1;
      case 'Boolean':
        return false;
      case 'DateTime':
        return '2026-01-01T00:00:00Z';
      case 'Decimal':
        return '1';
      case 'JSON':
        return {};
      default:
        return `matrix-${name}`;
    }
  }
  return null;
}

/** `field(arg: $v0, …)` for the required arguments, with their variable definitions and values. */
function callOf(field: GraphQLField<unknown, unknown>, prefix: string, known: Record<string, unknown>) {
  const required = field.args.filter((arg) => arg.type instanceof GraphQLNonNull);
  const definitions = required.map((arg) => `$${prefix}${arg.name}: ${String(arg.type)}`);
  const args = required.map((arg) => `${arg.name}: $${prefix}${arg.name}`);
  const values = Object.fromEntries(
    required.map((arg) => [`${prefix}${arg.name}`, valueFor(arg.type, arg.name, known)]),
  );
  return { definitions, call: `${field.name}${args.length ? `(${args.join(', ')})` : ''}`, values };
}

function leafSelection(type: GraphQLOutputType): string {
  return isLeafType(getNamedType(type)) ? '' : ' { __typename }';
}

interface Reply {
  data?: unknown;
  errors?: { message: string; path?: (string | number)[]; extensions?: { code?: string } }[];
}

/** Runs an operation; a subscription is read up to its first event. */
async function execute(
  api: GraphQLCaller,
  caller: Caller,
  query: string,
  variables: Record<string, unknown>,
  subscription: boolean,
): Promise<Reply> {
  if (!subscription) return (await api.run(query, variables, { as: caller })).body as Reply;
  return (await api.firstEvent(query, variables, { as: caller })).body as Reply;
}

const refusedByRule = (reply: Reply, path: (string | number)[]) =>
  (reply.errors ?? []).some(
    (error) =>
      error.extensions?.code === 'FORBIDDEN' &&
      SCOPE_AUTH_REFUSAL.test(error.message) &&
      JSON.stringify(error.path ?? []) === JSON.stringify(path),
  );

describe('authorization matrix (generated from the schema)', () => {
  let database: TestDatabase;
  const callers: Record<'public' | 'private', GraphQLCaller> = {} as never;
  const known: Record<string, unknown> = {};

  beforeAll(async () => {
    database = await createTestDatabase();
    callers.public = await createGraphQLCaller(database.prisma, { publicCatalog: true });
    callers.private = await createGraphQLCaller(database.prisma, { publicCatalog: false });
    // A run with a stored result and an access attempt: the nested paths that once leaked.
    const queue = attachRunQueue(database.prisma, { leaseSeconds: 30, events: createInProcessRunEvents() });
    const spark = await database.prisma.box.findUniqueOrThrow({ where: { slug: 'dgx-spark' } });
    const { run } = await createRun(queue, {
      boxSlug: 'dgx-spark',
      variantSlug: 'llama-3.1-8b-instruct-base',
      endpointKind: 'COMPLETIONS',
      spec: benchmarkRunSpecSchema.parse({
        endpointKind: 'completions',
        model: 'fake-model',
        profile: { kind: 'concurrency', levels: [1] },
        numPrompts: 1,
        inputTokens: 8,
        outputTokens: 2,
        warmupRequests: 0,
      }),
      idempotencyKey: randomUUID(),
      requestedBy: 'token:someone-private',
    });
    const leased = await leaseNextRun(queue, spark.id, 'matrix-runner');
    await reportResult(queue, {
      runId: run.id,
      attempt: leased?.attempt ?? 1,
      boxId: spark.id,
      reportKey: randomUUID(),
      levels: [
        {
          summary: {
            profile: { kind: 'concurrency', maxConcurrency: 1 },
            completed: 1,
            failed: 0,
            durationS: 1,
            outputThroughput: 2,
            meanDecodeTokensPerSecond: 2,
            ttftMs: null,
            warnings: [],
          },
        },
      ],
    });
    const path = await database.prisma.accessPath.findFirst();
    if (path) {
      await database.prisma.accessAttempt.create({
        data: {
          accessPathId: path.id,
          outcome: 'PENDING',
          recordedBy: 'token:someone-private',
          requestedAt: new Date(),
        },
      });
    }
    const servingPaths = await database.prisma.servingPath.findMany({ take: 2, orderBy: { slug: 'asc' } });
    Object.assign(known, {
      box: 'dgx-spark',
      variant: 'llama-3.1-8b-instruct-base',
      slug: servingPaths[0]?.slug,
      pathA: servingPaths[0]?.slug,
      pathB: servingPaths[1]?.slug,
      profileKey: 'concurrency=1',
      from: 100,
      to: 10000,
      steps: 3,
    });
  });
  afterAll(async () => {
    await database?.drop();
  });

  it('refuses anonymous callers the nested paths that once leaked, and admits viewers', async () => {
    // One request per path: GraphQL resolves root fields in parallel, and when one of them fails
    // up to the root the other's errors may never be collected, so each path is asked on its own.
    const leaks = {
      'benchmarkResults.edges.node.run.requestedBy': /* GraphQL */ `{
        benchmarkResults(first: 50) { edges { node { id run { requestedBy leasedBy attemptHistory { runner } spec { model } } } } }
      }`,
      'accessPaths.attempts.recordedBy': /* GraphQL */ `{ accessPaths { slug attempts { outcome recordedBy } } }`,
    };
    for (const [refused, query] of Object.entries(leaks)) {
      const anonymous = (await callers.public.run(query, {}, { as: 'ANONYMOUS' })).body as Reply;
      const refusedPaths = (anonymous.errors ?? [])
        .filter((error) => error.extensions?.code === 'FORBIDDEN')
        .map((error) => (error.path ?? []).filter((part) => typeof part === 'string').join('.'));
      expect(refusedPaths).toContain(refused);
      expect(JSON.stringify(anonymous.data ?? null)).not.toContain('someone-private');
      const viewer = (await callers.public.run(query, {}, { as: 'VIEWER' })).body as Reply;
      expect(viewer.errors).toBeUndefined();
      expect(JSON.stringify(viewer.data)).toContain('token:someone-private');
    }
    // The refusal nulls only the refused field: the public rest of the answer is still there.
    const attempts = (
      await callers.public.run(
        '{ accessPaths { slug attempts { outcome recordedBy } } }',
        {},
        { as: 'ANONYMOUS' },
      )
    ).body as { data?: { accessPaths: { attempts: { outcome: string; recordedBy: string | null }[] }[] } };
    const seen = attempts.data?.accessPaths.flatMap((path) => path.attempts) ?? [];
    expect(seen.length).toBeGreaterThan(0);
    expect(seen.map((attempt) => attempt.recordedBy)).toEqual(seen.map(() => null));
    expect(seen.map((attempt) => attempt.outcome)).toContain('PENDING');
  });

  it('refuses or admits each role at each operation exactly as its rule says', async () => {
    const wrong: string[] = [];
    let cells = 0;
    for (const [mode, api] of Object.entries(callers)) {
      for (const root of roots) {
        const keyword = root.name.toLowerCase();
        for (const field of Object.values(root.getFields())) {
          const { definitions, call, values } = callOf(field, 'v', known);
          const query = `${keyword} Matrix${definitions.length ? `(${definitions.join(', ')})` : ''} { ${call}${leafSelection(field.type)} }`;
          for (const caller of CALLERS) {
            cells++;
            const expected = allows(ruleOf(field), scopesOf(caller, mode === 'public'));
            const reply = await execute(api, caller, query, values, root.name === 'Subscription');
            if (refusedByRule(reply, [field.name]) === expected) {
              wrong.push(
                `${mode} ${caller} ${root.name}.${field.name}: expected ${expected ? 'admitted' : 'refused'}`,
              );
            }
          }
        }
      }
    }
    console.log(`authorization root matrix: ${cells} cells, ${wrong.length} wrong`);
    expect(wrong).toEqual([]);
  }, 120_000);

  it('answers or refuses every nested field reached from the root exactly as the rules say', async () => {
    // The shortest path from a Query field to each object type, through fields whose required
    // arguments we can fill with real values.
    const query = schema.getQueryType() as GraphQLObjectType;
    const pathTo = new Map<string, GraphQLField<unknown, unknown>[]>();
    let frontier: { type: GraphQLObjectType; path: GraphQLField<unknown, unknown>[] }[] = [
      { type: query, path: [] },
    ];
    while (frontier.length > 0) {
      const next: typeof frontier = [];
      for (const { type, path } of frontier) {
        for (const field of Object.values(type.getFields())) {
          const target = getNamedType(field.type);
          if (!(target instanceof GraphQLObjectType) || pathTo.has(target.name) || target === query) continue;
          const fillable = field.args.every(
            (arg) => !(arg.type instanceof GraphQLNonNull) || arg.name in known || arg.name === 'workload',
          );
          if (!fillable) continue;
          pathTo.set(target.name, [...path, field]);
          next.push({ type: target, path: [...path, field] });
        }
      }
      frontier = next;
    }

    const wrong: string[] = [];
    let reached = 0;
    let unreached = 0;
    for (const [typeName, path] of pathTo) {
      const type = schema.getType(typeName) as GraphQLObjectType;
      if (STRUCTURAL(typeName)) continue;
      const definitions: string[] = [];
      const variables: Record<string, unknown> = {};
      let selection = Object.values(type.getFields())
        .map((field) => {
          const call = callOf(field, `f${field.name}_`, known);
          definitions.push(...call.definitions);
          Object.assign(variables, call.values);
          return `${call.call}${leafSelection(field.type)}`;
        })
        .join(' ');
      for (const [depth, field] of path.map((step, index) => [index, step] as const).reverse()) {
        const call = callOf(field, `p${depth}_`, known);
        definitions.push(...call.definitions);
        Object.assign(variables, call.values);
        selection = `${call.call} { ${selection} }`;
      }
      const document = `query Nested${definitions.length ? `(${definitions.join(', ')})` : ''} { ${selection} }`;
      for (const caller of CALLERS) {
        const scopes = scopesOf(caller, true);
        const reply = await execute(callers.public, caller, document, variables, false);
        const parents = objectsAt(
          reply,
          path.map((field) => field.name),
        );
        if (parents.length === 0) {
          unreached++;
          continue;
        }
        for (const parentPath of parents) {
          for (const field of Object.values(type.getFields())) {
            reached++;
            const expected = allows(ruleOf(field), scopes) && allows(ruleOf(type), scopes);
            if (refusedByRule(reply, [...parentPath, field.name]) === expected) {
              wrong.push(
                `${caller} ${[...parentPath, field.name].join('.')}: expected ${expected ? 'admitted' : 'refused'}`,
              );
            }
          }
        }
      }
    }
    console.log(
      `authorization nested matrix: ${reached} reached cells, ${unreached} (type, role) pairs without data, ${wrong.length} wrong`,
    );
    expect(wrong).toEqual([]);
    // The paths that once leaked are among the cells reached.
    expect(pathTo.get('BenchmarkRun')?.map((field) => field.name)).toBeDefined();
    expect(reached).toBeGreaterThan(500);
  }, 180_000);
});

/**
 * Response paths of the objects found at `names` (through lists), counting an object as reached
 * when it appears in the data or when an error points inside it (a refused non-null field nulls it).
 */
function objectsAt(reply: Reply, names: string[]): (string | number)[][] {
  const found = new Map<string, (string | number)[]>();
  const walk = (value: unknown, depth: number, path: (string | number)[]) => {
    if (value === null || value === undefined) return;
    if (Array.isArray(value)) {
      for (const [index, item] of value.entries()) walk(item, depth, [...path, index]);
      return;
    }
    if (depth === names.length) {
      found.set(JSON.stringify(path), path);
      return;
    }
    const name = names[depth] as string;
    walk((value as Record<string, unknown>)[name], depth + 1, [...path, name]);
  };
  walk(reply.data, 0, []);
  for (const error of reply.errors ?? []) {
    const path = error.path ?? [];
    const names_ = path.filter((part) => typeof part === 'string');
    if (names_.length === names.length + 1 && names.every((name, index) => names_[index] === name)) {
      const parent = path.slice(0, -1);
      found.set(JSON.stringify(parent), parent);
    }
  }
  return [...found.values()];
}
