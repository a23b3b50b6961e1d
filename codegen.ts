import type { CodegenConfig } from '@graphql-codegen/cli';

/**
 * The one contract between the API and its clients: the operation documents in schema/operations/
 * typed against the printed SDL (schema/schema.graphql). `npm run codegen` writes
 * clients/graphql/operations.generated.ts; `npm run codegen:check` fails when that file is stale or an
 * operation no longer validates against the schema.
 */
const config: CodegenConfig = {
  schema: 'schema/schema.graphql',
  documents: 'schema/operations/**/*.graphql',
  generates: {
    'clients/graphql/operations.generated.ts': {
      plugins: ['typescript-operations', 'typed-document-node'],
      config: {
        useTypeImports: true,
        enumsAsTypes: true,
        documentMode: 'string',
        scalars: { DateTime: 'string', Decimal: 'string', JSON: 'unknown' },
        strictScalars: true,
      },
    },
  },
};

export default config;
