import { type ScriptedChatServer, type ScriptedReply, startScriptedChatServer } from './scripted-chat-server';

/**
 * A judge that finds the graded answer in its prompt (after "ANSWER TO GRADE:") and replies with the
 * raw text the script gives for it: a JSON verdict, prose, garbage or an HTTP error. Answers not in
 * the script get a JSON reject.
 */
export function startFakeJudgeServer(
  outputsByAnswer: Record<string, string | ScriptedReply>,
): Promise<ScriptedChatServer> {
  return startScriptedChatServer((request) => {
    const prompt = request.messages.filter((message) => message.role === 'user').at(-1)?.content ?? '';
    const answer = prompt.split('ANSWER TO GRADE:\n')[1] ?? '';
    const scripted = outputsByAnswer[answer] ?? '{"verdict": "reject", "reason": "not in the script"}';
    return typeof scripted === 'string' ? { content: scripted } : scripted;
  });
}

export const ACCEPT_JSON = '{"verdict": "accept", "reason": "matches the reference"}';
export const REJECT_JSON = '{"verdict": "reject", "reason": "contradicts the reference"}';
