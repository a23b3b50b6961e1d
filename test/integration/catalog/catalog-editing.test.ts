import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../support/database';
import { createGraphQLCaller, type GraphQLCaller } from '../../support/graphql';

const ADD = /* GraphQL */ `
  mutation Add($input: CatalogInput!) { addToCatalog(input: $input) { entityType slug action } }
`;
const EDIT = /* GraphQL */ `
  mutation Edit($input: CatalogInput!) { editCatalog(input: $input) { entityType slug action } }
`;
const PATH = /* GraphQL */ `
  query Path($slug: String!) {
    servingPath(slug: $slug) {
      slug kind box { slug }
      placements { layer placement }
      capacityFacts { slug value }
      priceComponents { slug price { amount } source history { price { amount } source recordedBy } }
    }
  }
`;

const myLora = {
  slug: 'my-lora',
  name: 'My LoRA on Llama 3.1 8B',
  model: 'llama-3.1-8b-instruct',
  isFineTuned: true,
  method: 'LORA',
  weightsLocation: 'our object store',
  weightsExportable: true,
};

const rentedBox = {
  slug: 'my-rented-l40s',
  name: 'A rented L40S box',
  description: 'Our rented L40S, billed by the hour.',
  kind: 'RENTED_INSTANCE',
  vendor: 'neocloud',
  customWeightsSupported: true,
  weightsExportable: true,
  bringYourOwnWeights: true,
  scaleToZero: false,
  quotaRequired: false,
  procurementChannel: 'SELF_SERVE_FORM',
  leadTimeDays: 1,
  placements: [
    { layer: 'LAYER0', placement: 'DELEGATED', rationale: 'rented compute' },
    { layer: 'LAYER2B', placement: 'RETAINED', rationale: 'our vLLM' },
    { layer: 'LAYER2C', placement: 'RETAINED', rationale: 'our weights' },
  ],
  prices: [
    {
      slug: 'my-rented-l40s-hour',
      kind: 'INSTANCE_HOUR',
      amount: '1.25',
      unit: 'USD per hour',
      source: 'our quote',
      asOf: '2026-11-20T00:00:00Z',
      confidence: 'S',
    },
  ],
  capacity: [
    {
      slug: 'my-rented-l40s-decode',
      kind: 'DECODE_TOKENS_PER_SECOND_PER_STREAM',
      model: 'llama-3.1-8b-instruct',
      value: '42.5',
      source: 'our measurement',
      asOf: '2026-11-20T00:00:00Z',
      confidence: 'S',
      isAssumption: false,
    },
  ],
};

function issuesOf(error: { extensions?: Record<string, unknown> } | undefined): string[] {
  const issues = (error?.extensions?.issues ?? []) as { path: string; message: string }[];
  return issues.map((issue) => `${issue.path}: ${issue.message}`);
}

describe('catalog editing over GraphQL (addToCatalog, editCatalog)', () => {
  let database: TestDatabase;
  let api: GraphQLCaller;
  beforeAll(async () => {
    database = await createTestDatabase();
    api = await createGraphQLCaller(database.prisma);
  });
  afterAll(async () => {
    await database.drop();
  });

  it('adds a variant and a path with its placements, price and capacity, each audited', async () => {
    const { body } = await api.run(ADD, { input: { variants: [myLora], paths: [rentedBox] } });
    expect(body.errors).toBeUndefined();
    expect(body.data?.addToCatalog).toEqual([
      { entityType: 'ModelVariant', slug: 'my-lora', action: 'ADDED' },
      { entityType: 'ServingPath', slug: 'my-rented-l40s', action: 'ADDED' },
      { entityType: 'PriceComponent', slug: 'my-rented-l40s-hour', action: 'ADDED' },
      { entityType: 'CapacityFact', slug: 'my-rented-l40s-decode', action: 'ADDED' },
    ]);
    const path = await api.run<{
      servingPath: {
        placements: unknown[];
        capacityFacts: { value: string }[];
        priceComponents: { price: { amount: string }; history: { recordedBy: string }[] }[];
      };
    }>(PATH, { slug: 'my-rented-l40s' });
    expect(path.body.errors).toBeUndefined();
    expect(path.body.data?.servingPath.placements).toHaveLength(3);
    expect(path.body.data?.servingPath.capacityFacts.map((fact) => fact.value)).toEqual(['42.5']);
    const [price] = path.body.data?.servingPath.priceComponents ?? [];
    expect(price?.price.amount).toBe('1.25');
    expect(price?.history.map((value) => value.recordedBy)).toEqual([
      expect.stringMatching(/^token:test-admin/),
    ]);
    const audits = await database.prisma.auditEvent.findMany({ where: { action: 'catalog.add' } });
    expect(audits.map((audit) => audit.entityType).sort()).toEqual([
      'CapacityFact',
      'ModelVariant',
      'PriceComponent',
      'ServingPath',
    ]);
    expect(audits.every((audit) => audit.actor.startsWith('token:test-admin'))).toBe(true);
  });

  it('refuses a document with problems, naming every field, and writes none of it', async () => {
    const variants = await database.prisma.modelVariant.count();
    const boxes = await database.prisma.box.count();
    const { body } = await api.run(ADD, {
      input: {
        // Valid on its own: still not written, since the document is refused as a whole.
        boxes: [
          {
            slug: 'my-box',
            name: 'Box',
            vendor: 'nvidia',
            acceleratorClass: 'x',
            memoryGiB: '96',
            memoryBandwidthGBs: '500',
            powerActiveW: '300',
            powerIdleW: '50',
            purchasePrice: '9000',
            amortizationMonths: 36,
            source: 'our invoice',
            asOf: '2026-11-01T00:00:00Z',
            confidence: 'C',
          },
        ],
        variants: [
          { ...myLora, slug: 'my-lora' },
          { ...myLora, slug: 'other-lora', model: 'llama-9b', weightsLocation: null },
        ],
        priceComponents: [
          {
            path: 'nowhere',
            slug: 'p1',
            kind: 'INSTANCE_HOUR',
            amount: '0.123456789',
            unit: 'USD per hour',
            source: 'quote',
            asOf: '2026-11-01T00:00:00Z',
            confidence: 'S',
          },
        ],
      },
    });
    const error = body.errors?.[0];
    expect(error?.extensions?.code).toBe('BAD_USER_INPUT');
    const issues = issuesOf(error);
    expect(issues).toEqual([
      expect.stringMatching(/^input\.variants\[1\]\.weightsLocation: required/),
      expect.stringMatching(
        /^input\.priceComponents\[0\]\.amount: at most 12 digits before the point and 8 after/,
      ),
    ]);
    // Shape first; then the references, all of them at once.
    const second = await api.run(ADD, {
      input: {
        variants: [myLora, { ...myLora, slug: 'other-lora', model: 'llama-9b' }],
        capacityFacts: [{ ...rentedBox.capacity[0], slug: 'c1', path: 'nowhere' }],
      },
    });
    expect(second.body.errors?.[0]?.message).toMatch(/^Catalog change refused, nothing was written: /);
    expect(issuesOf(second.body.errors?.[0])).toEqual([
      expect.stringMatching(
        /^input\.variants\[0\]\.slug: a model variant "my-lora" already exists: change it with catalog edit/,
      ),
      expect.stringMatching(
        /^input\.variants\[1\]\.model: no model "llama-9b" \(known: .*llama-3\.1-8b-instruct/,
      ),
      expect.stringMatching(/^input\.capacityFacts\[0\]\.path: no serving path "nowhere"/),
    ]);
    expect(await database.prisma.modelVariant.count()).toBe(variants);
    expect(await database.prisma.box.count()).toBe(boxes);
  });

  it('edits only the fields given; a new price amount is a new dated value beside the old one', async () => {
    const { body } = await api.run(EDIT, {
      input: {
        variants: [{ slug: 'my-lora', notes: 'retrained on December tickets' }],
        priceComponents: [
          {
            slug: 'my-rented-l40s-hour',
            amount: '0.99',
            source: 'renewed quote',
            asOf: '2026-11-28T00:00:00Z',
            note: 'annual term',
          },
        ],
      },
    });
    expect(body.errors).toBeUndefined();
    const variant = await database.prisma.modelVariant.findUniqueOrThrow({ where: { slug: 'my-lora' } });
    expect(variant.notes).toBe('retrained on December tickets');
    expect(variant.weightsLocation).toBe('our object store');
    const path = await api.run<{
      servingPath: {
        priceComponents: {
          price: { amount: string };
          history: { price: { amount: string }; source: string }[];
        }[];
      };
    }>(PATH, { slug: 'my-rented-l40s' });
    const [price] = path.body.data?.servingPath.priceComponents ?? [];
    expect(price?.price.amount).toBe('0.99');
    expect(price?.history.map((value) => [value.price.amount, value.source])).toEqual([
      ['0.99', 'renewed quote'],
      ['1.25', 'our quote'],
    ]);
    const audit = await database.prisma.auditEvent.findFirstOrThrow({
      where: { action: 'catalog.edit', entityType: 'PriceComponent' },
    });
    expect((audit.before as { amount: string }).amount).toBe('1.25');
    expect((audit.after as { amount: string; note: string }).amount).toBe('0.99');
    expect((audit.after as { note: string }).note).toBe('annual term');

    const unsourced = await api.run(EDIT, {
      input: { priceComponents: [{ slug: 'my-rented-l40s-hour', amount: '2' }] },
    });
    expect(unsourced.body.errors?.[0]?.message).toMatch(
      /input\.priceComponents\[0\]\.amount: a new amount needs its source and asOf/,
    );
    const missing = await api.run(EDIT, { input: { boxes: [{ slug: 'no-such-box', name: 'x' }] } });
    expect(missing.body.errors?.[0]?.message).toMatch(
      /input\.boxes\[0\]\.slug: no box "no-such-box" to edit \(known: dgx-spark, p5-48xlarge\)/,
    );
    const empty = await api.run(EDIT, { input: {} });
    expect(empty.body.errors?.[0]?.message).toMatch(/nothing to edit: give at least one of boxes, variants/);
  });

  it('is for admins only', async () => {
    const { body } = await api.run(
      ADD,
      { input: { variants: [{ ...myLora, slug: 'x-lora' }] } },
      { as: 'OPERATOR' },
    );
    expect(body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect(await database.prisma.modelVariant.findUnique({ where: { slug: 'x-lora' } })).toBeNull();
  });
});
