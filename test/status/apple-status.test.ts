import { createServer } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { AppleStatusClient, UNKNOWN_CACHE_MS } from '../../src/status';
import type { AppleStatusOptions } from '../../src/status';

type Handler = (req: IncomingMessage, res: ServerResponse) => void;

/** A local stand-in for apple.com that counts how often it is asked. */
interface FakeApple {
  url: string;
  hits: () => number;
  close: () => Promise<void>;
}

const servers: FakeApple[] = [];

async function fakeApple(handler: Handler): Promise<FakeApple> {
  let hits = 0;
  const server: Server = createServer((req, res) => {
    hits += 1;
    handler(req, res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const fake: FakeApple = {
    url: `http://127.0.0.1:${port}/support/systemstatus/data/system_status_en_US.js`,
    hits: () => hits,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
  servers.push(fake);
  return fake;
}

function serving(body: string, status = 200, delayMs = 0): Handler {
  return (_req, res) => {
    setTimeout(() => {
      res.writeHead(status, { 'content-type': 'application/javascript' });
      res.end(body);
    }, delayMs);
  };
}

/** Wraps services the way Apple's feed does: JSONP around the JSON. */
function feed(services: unknown[]): string {
  return `jsonCallback(${JSON.stringify({ drpost: false, services })});`;
}

function service(serviceName: string, events: unknown[] = []): unknown {
  return { serviceName, redirectUrl: 'https://support.apple.com/icloud', events };
}

function event(
  statusType: string,
  eventStatus: string,
  extra: Record<string, string> = {},
): Record<string, string> {
  return {
    statusType,
    eventStatus,
    startDate: '11/25/2025 08:00 PST',
    endDate: '',
    message: `${statusType} affecting some users`,
    usersAffected: 'Some users are affected',
    ...extra,
  };
}

const NOISE = [service('App Store'), service('Apple Music'), service('iCloud Mail')];

function client(url: string, extra: Partial<AppleStatusOptions> = {}): AppleStatusClient {
  return new AppleStatusClient({ url, timeoutMs: 2000, ...extra });
}

afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

describe('AppleStatusClient.check', () => {
  it('reports available when iCloud Backup has no events', async () => {
    const apple = await fakeApple(serving(feed([...NOISE, service('iCloud Backup')])));
    await expect(client(apple.url, { now: () => 1000 }).check()).resolves.toEqual({
      state: 'available',
      checkedAt: 1000,
    });
  });

  it('reports available when iCloud Backup has only resolved or completed events', async () => {
    const apple = await fakeApple(
      serving(
        feed([
          service('iCloud Backup', [
            event('Outage', 'resolved', { endDate: '11/25/2025 09:00 PST' }),
            event('Maintenance', 'completed'),
          ]),
        ]),
      ),
    );
    await expect(client(apple.url).check()).resolves.toMatchObject({ state: 'available' });
  });

  it('reports degraded with the event when iCloud Backup has an ongoing Outage', async () => {
    const apple = await fakeApple(
      serving(
        feed([
          ...NOISE,
          service('iCloud Backup', [
            event('Issue', 'resolved'),
            event('Outage', 'ongoing', { message: 'Users may be unable to back up.' }),
          ]),
        ]),
      ),
    );
    await expect(client(apple.url, { now: () => 42 }).check()).resolves.toEqual({
      state: 'degraded',
      checkedAt: 42,
      events: [
        { statusType: 'Outage', message: 'Users may be unable to back up.', startDate: '11/25/2025 08:00 PST' },
      ],
    });
  });

  it('reports available when only a different service has an ongoing Issue', async () => {
    const apple = await fakeApple(
      serving(feed([service('iCloud Mail', [event('Issue', 'ongoing')]), service('iCloud Backup')])),
    );
    await expect(client(apple.url).check()).resolves.toMatchObject({ state: 'available' });
  });

  it('reports available when iCloud Backup only has upcoming Maintenance', async () => {
    const apple = await fakeApple(
      serving(feed([service('iCloud Backup', [event('Maintenance', 'upcoming')])])),
    );
    await expect(client(apple.url).check()).resolves.toMatchObject({ state: 'available' });
  });

  it('checks the configured serviceName instead of iCloud Backup', async () => {
    const apple = await fakeApple(
      serving(feed([service('iCloud Backup'), service('iCloud Drive', [event('Performance', 'ongoing')])])),
    );
    await expect(client(apple.url, { serviceName: 'iCloud Drive' }).check()).resolves.toMatchObject({
      state: 'degraded',
      events: [{ statusType: 'Performance' }],
    });
  });

  it('reports unknown on a 500', async () => {
    const apple = await fakeApple(serving('Internal Server Error', 500));
    await expect(client(apple.url).check()).resolves.toEqual({ state: 'unknown', reason: 'HTTP 500' });
  });

  it('reports unknown on a body that is not the status feed', async () => {
    const apple = await fakeApple(serving('<html><body>Sorry {not json}</body></html>'));
    const status = await client(apple.url).check();
    expect(status.state).toBe('unknown');
    expect(status).toHaveProperty('reason', expect.stringMatching(/unparseable/));
  });

  it('reports unknown when the service is not in the list', async () => {
    const apple = await fakeApple(serving(feed(NOISE)));
    await expect(client(apple.url).check()).resolves.toEqual({
      state: 'unknown',
      reason: 'service "iCloud Backup" not in status list',
    });
  });

  it('reports unknown on a network error', async () => {
    const apple = await fakeApple(serving(feed([service('iCloud Backup')])));
    const url = apple.url;
    await apple.close();
    const status = await client(url).check();
    expect(status).toMatchObject({ state: 'unknown', reason: expect.stringMatching(/network error/) });
  });

  it('reports unknown after timeoutMs when the server never answers', async () => {
    const apple = await fakeApple(() => {
      /* never respond */
    });
    const started = Date.now();
    const status = await client(apple.url, { timeoutMs: 200 }).check();
    const elapsed = Date.now() - started;
    expect(status).toEqual({ state: 'unknown', reason: 'timed out after 200 ms' });
    expect(elapsed).toBeGreaterThanOrEqual(150);
    expect(elapsed).toBeLessThan(1500);
  });
});

describe('AppleStatusClient caching', () => {
  it('answers a second call within cacheMs from cache and refetches after cacheMs', async () => {
    const apple = await fakeApple(serving(feed([service('iCloud Backup')])));
    let clock = 1_000_000;
    const c = client(apple.url, { cacheMs: 60_000, now: () => clock });

    await expect(c.check()).resolves.toEqual({ state: 'available', checkedAt: 1_000_000 });
    clock += 59_999;
    await expect(c.check()).resolves.toEqual({ state: 'available', checkedAt: 1_000_000 });
    expect(apple.hits()).toBe(1);

    clock += 1;
    await expect(c.check()).resolves.toEqual({ state: 'available', checkedAt: 1_060_000 });
    expect(apple.hits()).toBe(2);
  });

  it('caches unknown for at most 30 s even when cacheMs is longer', async () => {
    const apple = await fakeApple(serving('oops', 503));
    let clock = 0;
    const c = client(apple.url, { cacheMs: 300_000, now: () => clock });

    await expect(c.check()).resolves.toMatchObject({ state: 'unknown' });
    clock += UNKNOWN_CACHE_MS - 1;
    await c.check();
    expect(apple.hits()).toBe(1);

    clock += 1;
    await c.check();
    expect(apple.hits()).toBe(2);
  });

  it('caches unknown no longer than cacheMs when cacheMs is shorter than 30 s', async () => {
    const apple = await fakeApple(serving('oops', 500));
    let clock = 0;
    const c = client(apple.url, { cacheMs: 5_000, now: () => clock });

    await c.check();
    clock += 5_000;
    await c.check();
    expect(apple.hits()).toBe(2);
  });

  it('shares one request between concurrent calls', async () => {
    const apple = await fakeApple(
      serving(feed([service('iCloud Backup', [event('Outage', 'ongoing')])]), 200, 100),
    );
    const c = client(apple.url);
    const results = await Promise.all([c.check(), c.check(), c.check(), c.check()]);
    expect(apple.hits()).toBe(1);
    for (const r of results) expect(r).toEqual(results[0]);
    expect(results[0]).toMatchObject({ state: 'degraded' });
  });

  it('starts a new request after a failed one instead of reusing it', async () => {
    let fail = true;
    const apple = await fakeApple((req, res) => {
      if (fail) serving('down', 500)(req, res);
      else serving(feed([service('iCloud Backup')]))(req, res);
    });
    let clock = 0;
    const c = client(apple.url, { now: () => clock });
    await expect(c.check()).resolves.toMatchObject({ state: 'unknown' });
    fail = false;
    clock += UNKNOWN_CACHE_MS;
    await expect(c.check()).resolves.toMatchObject({ state: 'available' });
    expect(apple.hits()).toBe(2);
  });
});

describe('AppleStatusClient options', () => {
  const url = 'https://www.apple.com/support/systemstatus/data/system_status_en_US.js';

  it('accepts http and https URLs with defaults', () => {
    expect(() => new AppleStatusClient({ url })).not.toThrow();
    expect(() => new AppleStatusClient({ url: 'http://127.0.0.1:1/x.js' })).not.toThrow();
  });

  it.each([
    ['a non-http URL', { url: 'ftp://apple.com/status.js' }],
    ['a file URL', { url: 'file:///etc/passwd' }],
    ['a string that is not a URL', { url: 'not a url' }],
    ['an empty serviceName', { url, serviceName: '  ' }],
    ['a zero timeoutMs', { url, timeoutMs: 0 }],
    ['a negative timeoutMs', { url, timeoutMs: -1 }],
    ['a NaN timeoutMs', { url, timeoutMs: Number.NaN }],
    ['a timeoutMs too large for setTimeout', { url, timeoutMs: 2 ** 31 }],
    ['a zero cacheMs', { url, cacheMs: 0 }],
    ['an infinite cacheMs', { url, cacheMs: Number.POSITIVE_INFINITY }],
  ] as Array<[string, AppleStatusOptions]>)('throws at construction on %s', (_label, options) => {
    expect(() => new AppleStatusClient(options)).toThrow(/AppleStatusClient/);
  });

  it('never throws from check, even when the injected fetch throws synchronously', async () => {
    const c = new AppleStatusClient({
      url,
      fetch: () => {
        throw new Error('boom');
      },
    });
    await expect(c.check()).resolves.toMatchObject({ state: 'unknown', reason: expect.stringMatching(/boom/) });
  });

  it('keeps the timeout even when an injected fetch ignores the abort signal', async () => {
    const c = new AppleStatusClient({ url, timeoutMs: 50, fetch: () => new Promise<Response>(() => {}) });
    await expect(c.check()).resolves.toEqual({ state: 'unknown', reason: 'timed out after 50 ms' });
  });
});
