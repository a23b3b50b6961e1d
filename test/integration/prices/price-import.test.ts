import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../support/database';
import { createGraphQLCaller, type GraphQLCaller } from '../../support/graphql';

const fixture = (name: string) => readFile(path.join('test/fixtures/prices', name), 'utf8');

const IMPORT = /* GraphQL */ `
  mutation($file: String!, $name: String, $mapping: String!, $dryRun: Boolean!) {
    importPrices(file: $file, fileName: $name, mapping: $mapping, dryRun: $dryRun) {
      format applied recorded missingKeys unmappedKeys unmappedCount
      changes { component key kind beforeAmount afterAmount effectiveFrom line }
    }
  }
`;

interface ImportData {
  importPrices: {
    applied: boolean;
    recorded: number;
    missingKeys: string[];
    unmappedKeys: string[];
    unmappedCount: number;
    changes: {
      component: string;
      kind: string;
      beforeAmount: string | null;
      afterAmount: string;
      effectiveFrom: string;
      line: string;
    }[];
  };
}

describe('price-file imports through GraphQL', () => {
  let database: TestDatabase;
  let api: GraphQLCaller;
  beforeAll(async () => {
    database = await createTestDatabase();
    api = await createGraphQLCaller(database.prisma);
  });
  afterAll(async () => {
    await database.drop();
  });

  const values = (slug: string) => database.prisma.priceValue.count({ where: { component: { slug } } });

  it('AWS Bedrock offer: dry run prints the diff, lists unknown SKUs, stores nothing; apply adds dated values once', async () => {
    const variables = {
      file: await fixture('aws-bedrock-offer.json'),
      name: 'AmazonBedrock.json',
      mapping: await fixture('aws-bedrock.mapping.yaml'),
    };
    const before = await values('bedrock-on-demand-8b-input');
    const dry = await api.run<ImportData>(IMPORT, { ...variables, dryRun: true });
    expect(dry.body.errors).toBeUndefined();
    const report = dry.body.data?.importPrices;
    expect(report?.applied).toBe(false);
    expect(report?.changes.map((change) => change.line)).toEqual([
      'bedrock-on-demand-8b-input: $0.22 → $0.20 USD per 1M input tokens, as of 2026-11-01, source AWS Price List bulk offer file AmazonBedrock (us-east-1) (AmazonBedrock 20261120000000, key B8INPUTSKU000001)',
      'bedrock-on-demand-8b-output: $0.22 USD per 1M output tokens confirmed as of 2026-11-01 (was dated 2025-07-20), source AWS Price List bulk offer file AmazonBedrock (us-east-1) (AmazonBedrock 20261120000000, key B8OUTPUTSKU00001)',
    ]);
    // The mapping names a SKU the file lacks; the file holds a 70B SKU nobody mapped: both listed.
    expect(report?.missingKeys).toEqual(['B70OUTPUTSKU0001']);
    expect(report?.unmappedKeys).toContain('B70INPUTSKU00001');
    // The rate codes of the mapped SKUs are the same figures: not listed as unmapped.
    expect(report?.unmappedKeys).not.toContain('B8INPUTSKU000001.JRTCKXETXF.6YS6EN2CT7');
    expect(report?.unmappedKeys).not.toContain('B8OUTPUTSKU00001.JRTCKXETXF.6YS6EN2CT7');
    expect(await values('bedrock-on-demand-8b-input')).toBe(before);

    const applied = await api.run<ImportData>(IMPORT, { ...variables, dryRun: false });
    expect(applied.body.errors).toBeUndefined();
    expect(applied.body.data?.importPrices.recorded).toBe(2);
    expect(await values('bedrock-on-demand-8b-input')).toBe(before + 1);
    const component = await database.prisma.priceComponent.findUniqueOrThrow({
      where: { slug: 'bedrock-on-demand-8b-input' },
    });
    expect(component.amount.toFixed()).toBe('0.2');
    const again = await api.run<ImportData>(IMPORT, { ...variables, dryRun: false });
    expect(again.body.data?.importPrices.recorded).toBe(0);
    expect(again.body.data?.importPrices.changes.map((change) => change.kind)).toEqual([
      'UNCHANGED',
      'UNCHANGED',
    ]);
  });

  it('AWS EC2 offer: the on-demand SKU, with the reserved rate listed as unmapped', async () => {
    const { body } = await api.run<ImportData>(IMPORT, {
      file: await fixture('aws-ec2-offer.json'),
      mapping: await fixture('aws-ec2.mapping.yaml'),
      dryRun: true,
    });
    expect(body.errors).toBeUndefined();
    expect(body.data?.importPrices.changes).toMatchObject([
      {
        component: 'ec2-p5-on-demand-hour',
        kind: 'CONFIRMED',
        beforeAmount: '55.04',
        afterAmount: '55.04',
        effectiveFrom: '2026-11-01',
      },
    ]);
    expect(body.data?.importPrices.unmappedKeys).toEqual(
      expect.arrayContaining(['P5ENONDEMAND0001', 'P5ONDEMANDSKU001.4NA7Y494T4.6YS6EN2CT7']),
    );
  });

  it('LiteLLM: per-token JSON numbers read exactly and scaled to per 1M', async () => {
    const { body } = await api.run<ImportData>(IMPORT, {
      file: await fixture('litellm-prices.json'),
      mapping: await fixture('litellm.mapping.yaml'),
      dryRun: true,
    });
    expect(body.errors).toBeUndefined();
    expect(
      body.data?.importPrices.changes.map((change) => [
        change.component,
        change.afterAmount,
        change.effectiveFrom,
      ]),
    ).toEqual([
      ['bedrock-on-demand-8b-input', '0.2', '2026-11-25'],
      ['bedrock-on-demand-8b-output', '0.22', '2026-11-25'],
      ['bedrock-on-demand-70b-input', '0.72', '2026-11-25'],
    ]);
    expect(body.data?.importPrices.unmappedKeys).toContain(
      'bedrock/us-east-1/meta.llama3-3-70b-instruct-v1:0.input_cost_per_token',
    );
    expect(body.data?.importPrices.unmappedKeys.some((key) => key.startsWith('sample_spec'))).toBe(false);
  });

  it('a malformed file stores nothing and names the path inside it', async () => {
    const before = await database.prisma.priceValue.count();
    const aws = await api.run(IMPORT, {
      file: await fixture('malformed-aws-offer.json'),
      mapping: await fixture('aws-bedrock.mapping.yaml'),
      dryRun: false,
    });
    expect(aws.body.errors?.[0]?.message).toMatch(
      /Malformed price file; nothing was stored: file: terms\.OnDemand\.B8INPUTSKU000001\.B8INPUTSKU000001\.JRTCKXETXF\.priceDimensions\.B8INPUTSKU000001\.JRTCKXETXF\.6YS6EN2CT7\.pricePerUnit\.USD: expected a decimal written as a string/,
    );
    const notJson = await api.run(IMPORT, {
      file: '{"products": ',
      mapping: await fixture('aws-bedrock.mapping.yaml'),
      dryRun: false,
    });
    expect(notJson.body.errors?.[0]?.message).toMatch(
      /file: \(file\): not valid JSON \(.*\); the mapping says format aws-offer, a JSON file: is this the file that mapping is for\?/,
    );
    const litellm = JSON.parse(await fixture('litellm-prices.json')) as Record<
      string,
      Record<string, unknown>
    >;
    const model = 'bedrock/us-east-1/meta.llama3-1-8b-instruct-v1:0';
    (litellm[model] as Record<string, unknown>).output_cost_per_token = '2.2e-7';
    const badLiteLlm = await api.run(IMPORT, {
      file: JSON.stringify(litellm),
      mapping: await fixture('litellm.mapping.yaml'),
      dryRun: false,
    });
    expect(badLiteLlm.body.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(badLiteLlm.body.errors?.[0]?.message).toContain(
      `Malformed price file; nothing was stored: file: ${model}.output_cost_per_token: expected a number (LiteLLM writes costs as JSON numbers)`,
    );
    const badMapping = await api.run(IMPORT, {
      file: await fixture('aws-bedrock-offer.json'),
      mapping:
        'format: aws-offer\nsource: "x file"\nprices:\n  - { key: B8INPUTSKU000001, component: no-such-price }\n',
      dryRun: false,
    });
    expect(badMapping.body.errors?.[0]?.message).toMatch(
      /at prices\[0\]\.component: no price component "no-such-price"/,
    );
    const wrongUnit = await api.run(IMPORT, {
      file: await fixture('aws-bedrock-offer.json'),
      mapping:
        'format: aws-offer\nsource: "x file"\nprices:\n  - { key: B8INPUTSKU000001, component: bedrock-on-demand-8b-input, fileUnit: "1M tokens" }\n',
      dryRun: false,
    });
    expect(wrongUnit.body.errors?.[0]?.message).toMatch(
      /prices "B8INPUTSKU000001" per "1K tokens", not per "1M tokens"/,
    );
    expect(await database.prisma.priceValue.count()).toBe(before);
  });

  it('is for admins only', async () => {
    const { body } = await api.run(
      IMPORT,
      {
        file: await fixture('aws-ec2-offer.json'),
        mapping: await fixture('aws-ec2.mapping.yaml'),
        dryRun: true,
      },
      { as: 'VIEWER' },
    );
    expect(body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  });
});

describe('npx floorplan prices import', () => {
  let dataDir: string;
  const run = promisify(execFile);
  const environment = () => {
    const { DATABASE_URL: _unused, ...inherited } = process.env;
    return { ...inherited, FLOORPLAN_DATA_DIR: dataDir };
  };
  beforeAll(async () => {
    dataDir = await mkdtemp(path.join(tmpdir(), 'floorplan-prices-'));
  });
  afterAll(async () => {
    await rm(dataDir, { recursive: true, force: true });
  });

  it('SkyPilot CSV: --dry-run prints the diff and the unmapped keys, then applying records it', async () => {
    const args = [
      'bin/floorplan.js',
      'prices',
      'import',
      'test/fixtures/prices/skypilot-aws-vms.csv',
      '--mapping',
      'test/fixtures/prices/skypilot.mapping.yaml',
    ];
    const dry = await run('node', [...args, '--dry-run'], { env: environment() });
    expect(dry.stdout).toContain('Dry run: nothing stored.');
    expect(dry.stdout).toContain(
      'ec2-p5-on-demand-hour: $55.04 USD per p5.48xlarge instance-hour confirmed as of 2026-11-25 (was dated 2026-03-01)',
    );
    expect(dry.stdout).toMatch(/Keys in the file that the mapping does not name \(4; not guessed/);
    expect(dry.stdout).toContain('p5en.48xlarge@us-east-1');
    const applied = await run('node', [...args, '--json'], { env: environment() });
    const report = JSON.parse(applied.stdout) as { applied: boolean; recorded: number };
    expect(report).toMatchObject({ applied: true, recorded: 1 });
  }, 240_000);

  it('a malformed CSV exits 2 naming the line and column, and stores nothing', async () => {
    const failed = await run(
      'node',
      [
        'bin/floorplan.js',
        'prices',
        'import',
        'test/fixtures/prices/malformed-skypilot.csv',
        '--mapping',
        'test/fixtures/prices/skypilot.mapping.yaml',
      ],
      { env: environment() },
    ).catch((error: { code: number; stderr: string }) => error);
    expect(failed).toMatchObject({ code: 2 });
    expect((failed as { stderr: string }).stderr).toMatch(
      /at line 3, column Price: expected a decimal price, got "call us"/,
    );
  });
});
