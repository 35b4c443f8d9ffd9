/**
 * A WebSocket client for tests, as a browser (the board) would hold one: Node's own
 * `WebSocket`, and what it received, in order.
 *
 *   const c = await connectWebSocket(url); // rejects with "could not connect to <url>"
 *   await c.next();                        // the next message (waits for one)
 *   c.messages;                            // those received and not yet taken by next()
 *   await c.close();                       // code 1000, once the close is done
 */
export interface WebSocketClient {
  ws: WebSocket;
  messages: string[];
  next(): Promise<string>;
  /** The close's code, whoever closed. */
  closed: Promise<number>;
  close(): Promise<void>;
}

export async function connectWebSocket(url: string): Promise<WebSocketClient> {
  const ws = new WebSocket(url);
  const messages: string[] = [];
  const waiting: Array<(m: string) => void> = [];
  ws.addEventListener('message', (e) => {
    const m = String(e.data);
    const w = waiting.shift();
    if (w) w(m);
    else messages.push(m);
  });
  const closed = new Promise<number>((r) => ws.addEventListener('close', (e) => r(e.code)));
  await new Promise<void>((ok, fail) => {
    ws.addEventListener('open', () => ok());
    ws.addEventListener('error', () => fail(new Error(`could not connect to ${url}`)));
  });
  return {
    ws,
    messages,
    closed,
    next: () => (messages.length ? Promise.resolve(messages.shift()!) : new Promise((r) => waiting.push(r))),
    async close() {
      ws.close(1000, 'bye');
      await closed;
    },
  };
}
