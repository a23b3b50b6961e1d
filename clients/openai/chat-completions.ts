import type { ChatMessage } from '../../src/domain/quality/judge-verdict';
/** A model behind an OpenAI-compatible chat completions API. */
export interface ChatEndpoint {
  /** Base URL (`http://host:8000/v1`) or the full `.../chat/completions` URL. */
  url: string;
  model: string;
  apiKey?: string;
}

class ChatCompletionError extends Error {
  override readonly name = 'ChatCompletionError';

  constructor(
    message: string,
    readonly retryable: boolean,
  ) {
    super(message);
  }
}

function chatCompletionsUrl(endpointUrl: string): string {
  const trimmed = endpointUrl.replace(/\/+$/, '');
  return trimmed.endsWith('/chat/completions') ? trimmed : `${trimmed}/chat/completions`;
}

/**
 * One non-streaming chat completion; returns the first choice's text. Network errors, timeouts,
 * 429 and 5xx are retryable; other statuses and malformed bodies are not.
 */
async function requestChatCompletion(
  endpoint: ChatEndpoint,
  messages: readonly ChatMessage[],
  options: { timeoutMs: number; temperature: number; maxTokens?: number },
): Promise<string> {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (endpoint.apiKey !== undefined) headers.authorization = `Bearer ${endpoint.apiKey}`;
  let response: Response;
  try {
    response = await fetch(chatCompletionsUrl(endpoint.url), {
      method: 'POST',
      headers,
      body: JSON.stringify({
        model: endpoint.model,
        messages,
        temperature: options.temperature,
        stream: false,
        ...(options.maxTokens === undefined ? {} : { max_tokens: options.maxTokens }),
      }),
      signal: AbortSignal.timeout(options.timeoutMs),
    });
  } catch (error) {
    throw new ChatCompletionError(`request to ${endpoint.model} failed: ${(error as Error).message}`, true);
  }
  const bodyText = await response.text().catch(() => '');
  if (!response.ok) {
    const retryable = response.status === 429 || response.status >= 500;
    throw new ChatCompletionError(
      `${endpoint.model} answered HTTP ${response.status}: ${bodyText.slice(0, 200)}`,
      retryable,
    );
  }
  let body: unknown;
  try {
    body = JSON.parse(bodyText);
  } catch {
    throw new ChatCompletionError(`${endpoint.model} answered with a body that is not JSON`, false);
  }
  const content = (body as { choices?: { message?: { content?: unknown } }[] }).choices?.[0]?.message
    ?.content;
  if (typeof content !== 'string') {
    throw new ChatCompletionError(`${endpoint.model} answered without choices[0].message.content`, false);
  }
  return content;
}

export async function requestChatCompletionWithRetry(
  endpoint: ChatEndpoint,
  messages: readonly ChatMessage[],
  options: {
    timeoutMs: number;
    temperature: number;
    attempts: number;
    retryDelayMs: number;
    maxTokens?: number;
  },
): Promise<string> {
  let lastError: unknown;
  for (let attempt = 1; attempt <= options.attempts; attempt += 1) {
    try {
      return await requestChatCompletion(endpoint, messages, options);
    } catch (error) {
      lastError = error;
      if (!(error instanceof ChatCompletionError && error.retryable) || attempt === options.attempts) break;
      await new Promise((resolve) => setTimeout(resolve, options.retryDelayMs * attempt));
    }
  }
  throw lastError;
}
