/**
 * The webhook route on a restify server with the bot's own JSON body reader in front (as in src/server/create-server.ts):
 * the signature is checked over the raw bytes the reader also parses.
 */
import restify from 'restify';
import type { AddressInfo } from 'node:net';
import { registerChatwootWebhook } from '../../../src/handoff/desks/chatwoot/webhook';
import { chatwootSignature } from '../../../src/handoff/desks/chatwoot/signature';
import { jsonBody } from '../../../src/server/json-body';

const quiet = () => undefined;
const log = { debug: quiet, info: quiet, warn: quiet, error: quiet };

test('a delivery whose bytes differ from their JSON re-serialisation (escapes, spacing, key order) verifies, and reaches the handler parsed', async () => {
  const received: unknown[] = [];
  const server = restify.createServer();
  server.use(jsonBody({ maxBytes: 256 * 1024 }));
  registerChatwootWebhook(server, { secret: 's3cret', handle: async (body) => void received.push(body), log });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/handoff/chatwoot`;
  try {
    // Rails escapes <, > and & in JSON; the raw bytes are what Chatwoot signed.
    const body = '{ "event":"message_created",  "content":"a \\u003cb\\u003e \\u0026 c", "id": 1 }';
    const timestamp = String(Math.floor(Date.now() / 1000));
    const post = (signature: string) => fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', 'x-chatwoot-timestamp': timestamp, 'x-chatwoot-signature': signature }, body });
    expect((await post(chatwootSignature('s3cret', timestamp, JSON.stringify(JSON.parse(body))))).status).toBe(401);
    expect((await post(chatwootSignature('s3cret', timestamp, body))).status).toBe(204);
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(received).toEqual([{ event: 'message_created', content: 'a <b> & c', id: 1 }]);
  } finally {
    server.close();
  }
});
