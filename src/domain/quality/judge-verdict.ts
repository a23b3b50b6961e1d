import type { EvaluationQuestion } from './question-set';

export type JudgeDecision = 'accept' | 'reject';

export interface JudgeVerdict {
  decision: JudgeDecision;
  reason: string | null;
  /** Set when the decision was not the judge's own clear answer (unparseable, request failed). */
  note: string | null;
  rawOutput: string | null;
}

const STRICT_RUBRIC = `You are a strict grader. Decide whether the ANSWER is acceptable for the QUESTION.
Accept only if it is correct, grounded in the reference or rubric, complete enough to act on, and states nothing false.
If it is partly wrong, hedges where the reference is definite, invents facts, or misses the point: reject.
When in doubt, reject.
Reply with only a JSON object: {"verdict": "accept" | "reject", "reason": "<one sentence>"}`;

/** A chat message as the OpenAI chat-completions API takes it (clients/openai sends these). */
export interface ChatMessage {
  role: 'system' | 'user' | 'assistant';
  content: string;
}

export function buildJudgeMessages(question: EvaluationQuestion, answer: string): ChatMessage[] {
  const sections = [`QUESTION:\n${question.question}`];
  if (question.reference !== undefined) sections.push(`REFERENCE ANSWER:\n${question.reference}`);
  if (question.rubric !== undefined) sections.push(`RUBRIC:\n${question.rubric}`);
  sections.push(`ANSWER TO GRADE:\n${answer}`);
  return [
    { role: 'system', content: STRICT_RUBRIC },
    { role: 'user', content: sections.join('\n\n') },
  ];
}

const ACCEPT_WORDS = new Set(['accept', 'accepted', 'pass', 'yes', 'correct']);
const REJECT_WORDS = new Set(['reject', 'rejected', 'fail', 'no', 'incorrect']);

/**
 * Judges wrap JSON in prose or code fences, or answer with a bare word. Any JSON object in the text
 * with a recognisable verdict counts; a bare "accept"/"reject" counts; anything else (including a
 * text that contains both verdicts) is a reject with a note, because an unreadable judge must not
 * let an answer through.
 */
export function parseJudgeVerdict(rawOutput: string): JudgeVerdict {
  const readable = jsonObjectCandidates(rawOutput).flatMap((candidate) => {
    const decision = decisionFromObject(candidate);
    return decision === null
      ? []
      : [{ decision, reason: typeof candidate.reason === 'string' ? candidate.reason : null }];
  });
  const decisions = new Set(readable.map((verdict) => verdict.decision));
  if (decisions.size > 1) {
    return {
      decision: 'reject',
      reason: null,
      note: 'judge output held conflicting verdicts; counted as reject',
      rawOutput,
    };
  }
  const first = readable[0];
  if (first !== undefined) return { decision: first.decision, reason: first.reason, note: null, rawOutput };
  const bareWord = rawOutput
    .trim()
    .toLowerCase()
    .replace(/[.!"'`*]/g, '');
  if (ACCEPT_WORDS.has(bareWord)) return { decision: 'accept', reason: null, note: null, rawOutput };
  if (REJECT_WORDS.has(bareWord)) return { decision: 'reject', reason: null, note: null, rawOutput };
  return {
    decision: 'reject',
    reason: null,
    note: 'judge output had no readable verdict; counted as reject',
    rawOutput,
  };
}

function decisionFromObject(candidate: Record<string, unknown>): JudgeDecision | null {
  for (const [key, value] of Object.entries(candidate)) {
    const lowerKey = key.toLowerCase();
    if (['verdict', 'decision', 'result', 'grade'].includes(lowerKey) && typeof value === 'string') {
      const word = value.trim().toLowerCase();
      if (ACCEPT_WORDS.has(word)) return 'accept';
      if (REJECT_WORDS.has(word)) return 'reject';
    }
    if (['accept', 'accepted'].includes(lowerKey) && typeof value === 'boolean')
      return value ? 'accept' : 'reject';
  }
  return null;
}

/** Every balanced `{...}` span that parses as a JSON object, outermost first. */
function jsonObjectCandidates(text: string): Record<string, unknown>[] {
  const candidates: Record<string, unknown>[] = [];
  for (let start = text.indexOf('{'); start !== -1; start = text.indexOf('{', start + 1)) {
    let depth = 0;
    let inString = false;
    for (let index = start; index < text.length; index += 1) {
      const character = text[index];
      if (inString) {
        if (character === '\\') index += 1;
        else if (character === '"') inString = false;
        continue;
      }
      if (character === '"') inString = true;
      else if (character === '{') depth += 1;
      else if (character === '}') {
        depth -= 1;
        if (depth === 0) {
          try {
            const parsed: unknown = JSON.parse(text.slice(start, index + 1));
            if (parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed)) {
              candidates.push(parsed as Record<string, unknown>);
            }
          } catch {
            // Not JSON after all (prose with braces); keep looking.
          }
          break;
        }
      }
    }
  }
  return candidates;
}
