import { readFile } from 'node:fs/promises';
import { SeededRandom } from './seeded-random';

export interface BenchmarkPrompt {
  text: string;
  /** The length the prompt was built for, or an estimate for dataset prompts; the server's count wins when it reports one. */
  intendedInputTokens: number;
}

/**
 * Common English words that are one token each (with their leading space) in the Llama, Qwen,
 * Mistral and GPT tokenizers, so a prompt of n words is close to n tokens without shipping a
 * tokenizer. The server's `usage.prompt_tokens` reports the exact count.
 */
const SINGLE_TOKEN_WORDS = [
  'the',
  'of',
  'and',
  'to',
  'in',
  'is',
  'that',
  'for',
  'it',
  'as',
  'was',
  'with',
  'be',
  'by',
  'on',
  'not',
  'he',
  'this',
  'are',
  'or',
  'his',
  'from',
  'at',
  'which',
  'but',
  'have',
  'an',
  'had',
  'they',
  'you',
  'were',
  'their',
  'one',
  'all',
  'we',
  'can',
  'her',
  'has',
  'there',
  'been',
  'if',
  'more',
  'when',
  'will',
  'would',
  'who',
  'so',
  'no',
  'time',
  'people',
  'year',
  'way',
  'day',
  'man',
  'thing',
  'world',
  'life',
  'hand',
  'part',
  'child',
  'eye',
  'place',
  'work',
  'week',
  'case',
  'point',
  'number',
  'group',
  'problem',
  'fact',
  'water',
] as const;

/**
 * Prompts of about `inputTokens` tokens from seeded random words. Each prompt differs from the first
 * word on, so the server's prefix cache cannot turn later prefills into cache hits.
 */
export function syntheticPrompts(count: number, inputTokens: number, seed: number): BenchmarkPrompt[] {
  const random = new SeededRandom(seed);
  const prompts: BenchmarkPrompt[] = [];
  for (let index = 0; index < count; index++) {
    const words: string[] = [];
    for (let word = 0; word < inputTokens; word++) {
      words.push(SINGLE_TOKEN_WORDS[random.integerBelow(SINGLE_TOKEN_WORDS.length)] as string);
    }
    prompts.push({ text: words.join(' '), intendedInputTokens: inputTokens });
  }
  return prompts;
}

/** About four characters per token for English text: used only until the server reports the real count. */
const CHARACTERS_PER_TOKEN_ESTIMATE = 4;

export class PromptDatasetError extends Error {
  override readonly name = 'PromptDatasetError';
}

/** Reads a JSONL file of objects with a string prompt field; errors name the file and line. */
export async function loadJsonlPrompts(path: string, promptField: string): Promise<BenchmarkPrompt[]> {
  let content: string;
  try {
    content = await readFile(path, 'utf8');
  } catch (error) {
    throw new PromptDatasetError(`cannot read prompt dataset ${path}: ${(error as Error).message}`);
  }
  return parseJsonlPrompts(content, path, promptField);
}

function parseJsonlPrompts(content: string, sourceName: string, promptField: string): BenchmarkPrompt[] {
  const prompts: BenchmarkPrompt[] = [];
  const lines = content.split(/\r?\n/);
  for (const [lineIndex, line] of lines.entries()) {
    if (line.trim() === '') continue;
    const where = `${sourceName} line ${lineIndex + 1}`;
    let parsed: unknown;
    try {
      parsed = JSON.parse(line);
    } catch {
      throw new PromptDatasetError(`${where}: not valid JSON`);
    }
    const prompt =
      typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)
        ? (parsed as Record<string, unknown>)[promptField]
        : undefined;
    if (typeof prompt !== 'string' || prompt.length === 0) {
      throw new PromptDatasetError(
        `${where}: expected an object with a non-empty string field "${promptField}"`,
      );
    }
    prompts.push({
      text: prompt,
      intendedInputTokens: Math.max(1, Math.round(prompt.length / CHARACTERS_PER_TOKEN_ESTIMATE)),
    });
  }
  if (prompts.length === 0) throw new PromptDatasetError(`${sourceName}: no prompts in the dataset`);
  return prompts;
}

/** Takes `count` prompts from a dataset in order, cycling when it has fewer. */
export function cyclePrompts(
  dataset: readonly BenchmarkPrompt[],
  count: number,
  offset = 0,
): BenchmarkPrompt[] {
  return Array.from(
    { length: count },
    (_, index) => dataset[(offset + index) % dataset.length] as BenchmarkPrompt,
  );
}
