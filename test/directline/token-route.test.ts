/** POST /api/directline/token: built-in by default, Azure (a local fake of its endpoint) when DIRECT_LINE_SECRET is set. */
import { createServer } from 'node:http';
import type { IncomingHttpHeaders, Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { call, startApp } from './harness';
import type { Running } from './harness';

interface Seen {
  url: string;
  headers: IncomingHttpHeaders;
  body: { user?: { id?: string } };
}

/** Azure Direct Line's tokens/generate, emulated: the only mock, at the edge. */
async function fakeAzure(answer: (seen: Seen) => [number, unknown]): Promise<{ url: string; seen: Seen[]; server: Server }> {
  const seen: Seen[] = [];
  const server = createServer((req, res) => {
    let raw = '';
    req.on('data', (c) => (raw += c));
    req.on('end', () => {
      const entry = { url: req.url ?? '', headers: req.headers, body: raw ? (JSON.parse(raw) as Seen['body']) : {} };
      seen.push(entry);
      const [status, body] = answer(entry);
      // Separate calls: restify patches ServerResponse.writeHead process-wide and it does not return `this`.
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/v3/directline`, seen, server };
}

const closeServer = (server: Server) => new Promise<void>((r) => server.close(() => r()));

describe('built-in mode', () => {
  let running: Running;
  beforeAll(async () => {
    running = await startApp({ DIRECT_LINE_TOKEN_RATE_PER_MINUTE: '3' });
  });
  afterAll(() => running.close());

  it('issues a user-bound token for this server, then limits each address', async () => {
    const first = await call('POST', `${running.url}/api/directline/token`, undefined);
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ domain: `${running.url}/v3/directline`, expires_in: 3600 });
    expect(String(first.body.userId)).toMatch(/^dl_/);
    await call('POST', `${running.url}/api/directline/token`, undefined);
    await call('POST', `${running.url}/api/directline/token`, undefined);
    const limited = await fetch(`${running.url}/api/directline/token`, { method: 'POST' });
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(((await limited.json()) as { error: { code: string } }).error.code).toBe('DL_TOKEN_RATE_LIMITED');
  });

  it('answers CORS preflights so the widget works on other sites', async () => {
    const answer = await fetch(`${running.url}/api/directline/token`, { method: 'OPTIONS', headers: { origin: 'https://shop.example', 'access-control-request-method': 'POST' } });
    expect(answer.status).toBe(204);
    expect(answer.headers.get('access-control-allow-origin')).toBe('*');
  });
});

describe('Azure mode', () => {
  it('exchanges the secret server side for a user-bound token and returns Azure\'s domain', async () => {
    const azure = await fakeAzure((s) => [200, { conversationId: 'azure-conv-1', token: `azure-token-for-${s.body.user?.id}`, expires_in: 1800 }]);
    const running = await startApp({ DIRECT_LINE_SECRET: 'azure-secret-xyz', DIRECT_LINE_ENDPOINT: azure.url });
    try {
      const answer = await call('POST', `${running.url}/api/directline/token`, undefined);
      expect(answer.status).toBe(200);
      expect(answer.body).toMatchObject({ conversationId: 'azure-conv-1', domain: azure.url, expires_in: 1800 });
      expect(answer.body.token).toBe(`azure-token-for-${answer.body.userId}`);
      expect(azure.seen).toHaveLength(1);
      expect(azure.seen[0]).toMatchObject({ url: '/v3/directline/tokens/generate', headers: { authorization: 'Bearer azure-secret-xyz' } });
      expect(azure.seen[0]!.body.user?.id).toMatch(/^dl_/);
      expect(JSON.stringify(answer.body)).not.toContain('azure-secret-xyz');
      // The built-in service is not there in Azure mode.
      expect((await call('POST', `${running.url}/v3/directline/conversations`, 'x')).status).toBe(404);
    } finally {
      await running.close();
      await closeServer(azure.server);
    }
  });

  it("reports Azure's refusal as 502 without passing its body on", async () => {
    const azure = await fakeAzure(() => [403, { error: { code: 'BadArgument', message: 'secret azure-secret-xyz is invalid' } }]);
    const running = await startApp({ DIRECT_LINE_SECRET: 'azure-secret-xyz', DIRECT_LINE_ENDPOINT: azure.url });
    try {
      const answer = await call('POST', `${running.url}/api/directline/token`, undefined);
      expect(answer.status).toBe(502);
      expect(answer.body.error).toMatchObject({ code: 'DL_AZURE_FAILED' });
      expect(JSON.stringify(answer.body)).not.toContain('azure-secret-xyz');
    } finally {
      await running.close();
      await closeServer(azure.server);
    }
  });
});
