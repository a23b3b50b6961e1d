/**
 * The raw evidence of one streamed request, kept so that any tool's metric definitions (vLLM,
 * GuideLLM, GenAI-Perf, LLMPerf) can be recomputed later from the same measurement. Times are
 * milliseconds on a monotonic clock.
 */

/** One SSE message whose `choices` was non-empty (a token-bearing chunk, or chat's role-only first chunk). */
export interface StreamChunkRecord {
  /** Milliseconds from sending the request to this message's arrival. */
  atMs: number;
  /**
   * Output tokens this message carried, from the server's cumulative `usage.completion_tokens`
   * (`continuous_usage_stats`): the difference from the previous message's count. A chunk may carry
   * several tokens, or zero (chat's role-only first chunk). Null when the message carried no usage.
   */
  tokens: number | null;
  /** Characters of generated text in this message (0 for a role-only or empty chunk). */
  textChars: number;
}

export interface RequestRecord {
  /** Dispatch order within the measured run (warm-up requests are not recorded). */
  index: number;
  /** Milliseconds from the run's first dispatch to this request's send. */
  startOffsetMs: number;
  /** Milliseconds from send until the request ended (`[DONE]`, error or cancellation); null if it never ended. */
  endMs: number | null;
  chunks: StreamChunkRecord[];
  /** `usage.completion_tokens` as the server last reported it; null when the server sent no usage. */
  serverOutputTokens: number | null;
  /** `usage.prompt_tokens` as the server reported it; null when absent. */
  serverInputTokens: number | null;
  /**
   * The client's own count: the sum of per-chunk token counts when every chunk carried one, else
   * null. Compared with `serverOutputTokens` to flag disagreement.
   */
  clientOutputTokens: number | null;
  /** The input length the prompt was built for (synthetic target, or the dataset's estimate). */
  intendedInputTokens: number;
  /** Why the request failed; null on success. */
  error: string | null;
  /** Times the request was refused with 429 and sent again first (absent: none). Timed from its last send. */
  rateLimitRetries?: number;
}
