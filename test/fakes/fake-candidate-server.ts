import { type ScriptedChatServer, type ScriptedReply, startScriptedChatServer } from './scripted-chat-server';

/**
 * A candidate model that answers each question (the last user message) from a script; unknown
 * questions get "I don't know". A scripted `{status, body}` answers with that HTTP error instead.
 */
export function startFakeCandidateServer(
  answersByQuestion: Record<string, string | ScriptedReply>,
  options: { delayMs?: number } = {},
): Promise<ScriptedChatServer> {
  return startScriptedChatServer((request) => {
    const question = request.messages.filter((message) => message.role === 'user').at(-1)?.content ?? '';
    const scripted = answersByQuestion[question] ?? "I don't know.";
    if (typeof scripted !== 'string') return scripted;
    return options.delayMs === undefined
      ? { content: scripted }
      : { content: scripted, delayMs: options.delayMs };
  });
}
