/**
 * A GraphQL subscription held open over HTTP (GraphQL over SSE, as graphql-yoga serves it): every
 * `next` event's data is collected until `close()`.
 */
export function subscribeOverSse<Data>(
  url: string,
  token: string,
  query: string,
  variables: Record<string, unknown>,
) {
  const received: Data[] = [];
  const controller = new AbortController();
  let failure: unknown = null;
  const done = (async () => {
    const response = await fetch(`${url}/graphql`, {
      method: 'POST',
      signal: controller.signal,
      headers: {
        'content-type': 'application/json',
        accept: 'text/event-stream',
        authorization: `Bearer ${token}`,
      },
      body: JSON.stringify({ query, variables }),
    });
    if (!response.body) throw new Error(`no SSE body (HTTP ${response.status})`);
    const reader = response.body.getReader();
    const decoder = new TextDecoder();
    let buffered = '';
    for (;;) {
      const { done: ended, value } = await reader.read();
      if (ended) return;
      buffered += decoder.decode(value, { stream: true });
      for (let boundary = buffered.indexOf('\n\n'); boundary >= 0; boundary = buffered.indexOf('\n\n')) {
        const message = buffered.slice(0, boundary);
        buffered = buffered.slice(boundary + 2);
        const data = message.split('\n').find((line) => line.startsWith('data: '));
        if (!message.startsWith('event: next') || !data) continue;
        const payload = JSON.parse(data.slice('data: '.length)) as { data?: Data; errors?: unknown };
        if (!payload.data) throw new Error(`subscription error: ${data}`);
        received.push(payload.data);
      }
    }
  })().catch((error: unknown) => {
    // Kept, not thrown: a stream cut by a failing test's teardown must not hide that failure.
    if (!controller.signal.aborted) failure = error;
  });
  return { received, close: () => controller.abort(), done, failure: () => failure };
}
