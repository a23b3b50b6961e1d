import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A chat completions request as the fake received it. */
export interface ReceivedChatRequest {
  model: string;
  messages: { role: string; content: string }[];
  temperature: unknown;
  stream: unknown;
  authorization: string | undefined;
}

/** What the script tells the fake to answer: message text, or a raw HTTP status and body. */
export type ScriptedReply = { content: string; delayMs?: number } | { status: number; body: string };

export interface ScriptedChatServer {
  /** Base URL in OpenAI style, ending in /v1. */
  url: string;
  received: ReceivedChatRequest[];
  /** Highest number of requests in flight at once. */
  peakConcurrency: () => number;
  close: () => Promise<void>;
}

/**
 * A real HTTP server on 127.0.0.1 (port 0) speaking the non-streaming OpenAI chat completions
 * protocol, answering from a script. Shared by the fake candidate and the fake judges.
 */
export async function startScriptedChatServer(
  reply: (request: ReceivedChatRequest) => ScriptedReply,
): Promise<ScriptedChatServer> {
  const received: ReceivedChatRequest[] = [];
  let inFlight = 0;
  let peak = 0;
  const server: Server = createServer(async (request, response) => {
    if (request.method !== 'POST' || request.url !== '/v1/chat/completions') {
      response.writeHead(404, { 'content-type': 'application/json' });
      response.end(JSON.stringify({ error: { message: `no route ${request.method} ${request.url}` } }));
      return;
    }
    inFlight += 1;
    peak = Math.max(peak, inFlight);
    try {
      const body = JSON.parse(await readBody(request)) as Omit<ReceivedChatRequest, 'authorization'>;
      const chatRequest: ReceivedChatRequest = {
        model: body.model,
        messages: body.messages,
        temperature: body.temperature,
        stream: body.stream,
        authorization: request.headers.authorization,
      };
      received.push(chatRequest);
      const scripted = reply(chatRequest);
      if ('status' in scripted) {
        response.writeHead(scripted.status, { 'content-type': 'application/json' });
        response.end(scripted.body);
        return;
      }
      if (scripted.delayMs !== undefined)
        await new Promise((resolve) => setTimeout(resolve, scripted.delayMs));
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(
        JSON.stringify({
          id: `chatcmpl-${received.length}`,
          object: 'chat.completion',
          created: Math.floor(Date.now() / 1000),
          model: chatRequest.model,
          choices: [
            { index: 0, message: { role: 'assistant', content: scripted.content }, finish_reason: 'stop' },
          ],
          usage: { prompt_tokens: 10, completion_tokens: 5, total_tokens: 15 },
        }),
      );
    } finally {
      inFlight -= 1;
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/v1`,
    received,
    peakConcurrency: () => peak,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}

async function readBody(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}
