import { randomUUID } from 'node:crypto';
import type { ExecutionResult } from 'graphql';

/** GraphQL over real HTTP, as the bot and the runner call it. */
export async function graphqlAt<Data = Record<string, unknown>>(
  apiUrl: string,
  token: string,
  query: string,
  variables: Record<string, unknown> = {},
): Promise<ExecutionResult<Data>> {
  const response = await fetch(`${apiUrl}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ query, variables }),
  });
  return (await response.json()) as ExecutionResult<Data>;
}

export const CREATE_RUN = /* GraphQL */ `
  mutation Create($input: CreateBenchmarkRunInput!) {
    createBenchmarkRun(input: $input) { id status }
  }
`;

export interface TinySpec {
  numPrompts?: number;
  outputTokens?: number;
  concurrency?: number[];
  idleTimeoutS?: number;
}

export function runInput(spec: TinySpec = {}, idempotencyKey: string = randomUUID()) {
  return {
    box: 'dgx-spark',
    variant: 'llama-3.1-8b-instruct-base',
    endpointKind: 'COMPLETIONS',
    idempotencyKey,
    spec: {
      profile: { kind: 'CONCURRENCY', concurrency: spec.concurrency ?? [1] },
      numPrompts: spec.numPrompts ?? 1,
      inputTokens: 8,
      outputTokens: spec.outputTokens ?? 2,
      warmupRequests: 0,
      model: 'fake-model',
      ...(spec.idleTimeoutS ? { idleTimeoutS: spec.idleTimeoutS } : {}),
    },
  };
}

export async function createRunAt(
  apiUrl: string,
  operatorToken: string,
  spec: TinySpec = {},
): Promise<string> {
  const result = await graphqlAt<{ createBenchmarkRun: { id: string } }>(apiUrl, operatorToken, CREATE_RUN, {
    input: runInput(spec),
  });
  if (result.errors || !result.data)
    throw new Error(`createBenchmarkRun failed: ${JSON.stringify(result.errors)}`);
  return result.data.createBenchmarkRun.id;
}
