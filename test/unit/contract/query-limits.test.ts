import { envelop, useEngine, useSchema } from '@envelop/core';
import { execute, parse, subscribe, validate } from 'graphql';
import { describe, expect, it } from 'vitest';
import * as operations from '../../../clients/graphql/operations.generated';
import { schema } from '../../../src/api/graphql/schema';
import { useQueryLimits } from '../../../src/api/yoga';

/**
 * Every operation the bot, the runner and the CLI send passes the API's query limits (depth, tokens,
 * aliases, cost) as they are sent: the operation with the fragments it spreads (schema/operations/). The limits count a
 * fragment spread as a level, so a fragment nested one spread deeper can push a document over
 * while it still validates against the SDL; the API then refuses it on every call.
 */
const documents = Object.entries(operations).filter(([name]) => name.endsWith('Document'));

describe('the operation documents', () => {
  const getEnveloped = envelop({
    plugins: [useEngine({ parse, validate, execute, subscribe }), useSchema(schema), useQueryLimits(true)],
  });

  it('are all here', () => {
    expect(documents.length).toBeGreaterThanOrEqual(20);
  });

  it.each(documents)('%s passes the API query limits', (_name, document) => {
    const enveloped = getEnveloped({});
    const errors = enveloped.validate(enveloped.schema, enveloped.parse(String(document)));
    expect(errors.map((error: { message: string }) => error.message)).toEqual([]);
  });
});
