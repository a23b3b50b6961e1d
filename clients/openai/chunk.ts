/**
 * Reads one streamed OpenAI-compatible chunk (the JSON in an SSE `data:` field) without a schema
 * library: this runs once per chunk on the measuring client, where CPU time is measurement noise.
 */

export type EndpointKind = 'completions' | 'chat';

export type InterpretedChunk =
  | {
      kind: 'choices';
      /** Generated text in this chunk (empty for chat's role-only first chunk). */
      text: string;
      /** Cumulative `usage.completion_tokens` carried with the chunk (continuous_usage_stats), if any. */
      cumulativeOutputTokens: number | null;
      promptTokens: number | null;
    }
  | { kind: 'usage'; completionTokens: number | null; promptTokens: number | null }
  | { kind: 'error'; message: string }
  /** Valid JSON with neither choices nor usage (e.g. a keep-alive object): no timing meaning. */
  | { kind: 'other' };

export function interpretChunk(payload: unknown, endpointKind: EndpointKind): InterpretedChunk {
  if (!isRecord(payload))
    return { kind: 'error', message: `chunk is not a JSON object: ${shortJson(payload)}` };
  const errorMessage = serverErrorMessage(payload);
  if (errorMessage !== null) return { kind: 'error', message: errorMessage };

  const usage = readUsage(payload.usage);
  const choices = payload.choices;
  // vLLM's rule: a message counts as a token-bearing chunk when `choices` is non-empty, even if the
  // text is empty (special tokens, chat's role-only first chunk).
  if (Array.isArray(choices) && choices.length > 0) {
    return {
      kind: 'choices',
      text: choiceText(choices[0], endpointKind),
      cumulativeOutputTokens: usage?.completionTokens ?? null,
      promptTokens: usage?.promptTokens ?? null,
    };
  }
  if (usage !== null) return { kind: 'usage', ...usage };
  return { kind: 'other' };
}

function choiceText(choice: unknown, endpointKind: EndpointKind): string {
  if (!isRecord(choice)) return '';
  if (endpointKind === 'completions') return typeof choice.text === 'string' ? choice.text : '';
  const delta = choice.delta;
  if (!isRecord(delta)) return '';
  // Reasoning models stream their thinking separately; it is generated output all the same.
  const content = typeof delta.content === 'string' ? delta.content : '';
  const reasoning = typeof delta.reasoning_content === 'string' ? delta.reasoning_content : '';
  return reasoning + content;
}

function readUsage(usage: unknown): { completionTokens: number | null; promptTokens: number | null } | null {
  if (!isRecord(usage)) return null;
  return {
    completionTokens: nonNegativeInteger(usage.completion_tokens),
    promptTokens: nonNegativeInteger(usage.prompt_tokens),
  };
}

/** vLLM streams `{"error": {...}}` when generation fails after the 200 was sent; some servers use `{"object": "error"}`. */
function serverErrorMessage(payload: Record<string, unknown>): string | null {
  const error = payload.error;
  if (isRecord(error)) {
    return typeof error.message === 'string' ? error.message : shortJson(error);
  }
  if (typeof error === 'string') return error;
  if (payload.object === 'error') {
    return typeof payload.message === 'string' ? payload.message : shortJson(payload);
  }
  return null;
}

function nonNegativeInteger(value: unknown): number | null {
  return typeof value === 'number' && Number.isInteger(value) && value >= 0 ? value : null;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

const SHORT_JSON_CHARS = 200;

export function shortJson(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > SHORT_JSON_CHARS ? `${text.slice(0, SHORT_JSON_CHARS)}...` : text;
}
