/**
 * Malformed requests for every route, method and body rule of the server,
 * drawn from a seeded PRNG so a failing case can be replayed by its number.
 * Every case is the exact bytes sent on a fresh socket: no client library
 * tidies anything up.
 */

export interface FuzzCase {
  /** What it is, for the report: "<family> <method> <path>". */
  name: string;
  bytes: Buffer;
  /** Send the bytes in pieces, with pauses (a slow client). */
  slow?: boolean;
  /** Do not end the writing side: a body that never completes. */
  keepOpen?: boolean;
}

export interface FuzzTargets {
  /** A connector that answers the bot's replies (loopback), for activities that are valid enough to run. */
  serviceUrl: string;
  /** A genuine built-in Direct Line token and its conversation, so the Direct Line routes are fuzzed past auth. */
  directLine?: { token: string; conversationId: string };
}

type Rand = () => number;

export const PROTOTYPE_NAMES = Object.getOwnPropertyNames(Object.prototype);

const METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS', 'TRACE', 'PROPFIND', 'get', 'G\u00e9T', 'POST ', ''];

function paths(t: FuzzTargets): string[] {
  const c = t.directLine?.conversationId ?? 'abc';
  return [
    '/',
    '/widget.js',
    '/webchat/webchat.js',
    '/healthz',
    '/readyz',
    '/metrics',
    '/api/messages',
    '/api/nlu/parse',
    '/api/directline/token',
    '/v3/directline/tokens/generate',
    '/v3/directline/tokens/refresh',
    '/v3/directline/conversations',
    `/v3/directline/conversations/${c}`,
    `/v3/directline/conversations/${c}/activities`,
    `/v3/directline/conversations/${c}/upload`,
    `/v3/directline/conversations/${c}/stream`,
    '/directline-connector/0123456789abcdef/v3/conversations/abc/activities',
    '/nothing-here',
  ];
}

/** Ways to spoil a request target. */
const TARGET_MUTATIONS: Array<(path: string, rand: Rand) => string> = [
  (p) => p,
  (p) => `${p}/`,
  (p) => p.replace(/\//g, '//'),
  (p) => `${p}?watermark=constructor&__proto__[x]=1&t=%`,
  (p) => `${p}%`,
  (p) => `${p}/%E0%A4%A`,
  (p) => p.replace(/[a-z]/, '%'),
  (p) => `http://[${p}`,
  (p) => `http://example.com${p}`,
  (p) => `//${p}`,
  () => '*',
  (p) => `${p}/${'a'.repeat(9000)}`,
  (p) => `${p}#frag`,
  (p) => `${p}/..%2f..%2fetc%2fpasswd`,
  (p, r) => `${p}/${pick(r, PROTOTYPE_NAMES)}`,
  (p) => p.toUpperCase(),
  (p) => `${p}\u0000`,
  (p) => `${p} HTTP/1.1 x`,
];

function pick<T>(rand: Rand, items: readonly T[]): T {
  return items[Math.floor(rand() * items.length)]!;
}

/** `usual` with probability `p`, otherwise any of `others`: most cases must get past the first check to test the next. */
function mostly<T>(rand: Rand, p: number, usual: T, others: readonly T[]): T {
  return rand() < p ? usual : pick(rand, others);
}

function int(rand: Rand, min: number, max: number): number {
  return min + Math.floor(rand() * (max - min + 1));
}

function randomBytes(rand: Rand, length: number): Buffer {
  const b = Buffer.alloc(length);
  for (let i = 0; i < length; i++) b[i] = Math.floor(rand() * 256);
  return b;
}

function activity(t: FuzzTargets, rand: Rand): Record<string, unknown> {
  return {
    type: pick(rand, ['message', 'message', 'conversationUpdate', 'event', 'invoke', 'typing', 'messageReaction', 'constructor', '']),
    id: `fuzz-${int(rand, 0, 1e9)}`,
    channelId: pick(rand, ['emulator', 'directline', 'msteams', 'webchat', 'toString', 'x'.repeat(300)]),
    serviceUrl: t.serviceUrl,
    conversation: { id: `fuzz-${int(rand, 0, 50)}` },
    from: { id: `user-${int(rand, 0, 5)}` },
    recipient: { id: 'bot' },
    text: pick(rand, ['hello', "my whatsapp won't back up", 'Done', ...PROTOTYPE_NAMES, 'a'.repeat(3000), '\u0000\ud800', '']),
  };
}

/** JSON bodies: valid, nearly valid, and hostile. */
const BODIES: Array<(t: FuzzTargets, rand: Rand) => string | Buffer> = [
  (t, r) => JSON.stringify(activity(t, r)),
  (t, r) => JSON.stringify({ ...activity(t, r), serviceUrl: pick(r, ['https://evil.example/', 'file:///etc/passwd', 'http://[::1', 'javascript:alert(1)', 42]) }),
  (t, r) => {
    const a = activity(t, r);
    delete a[pick(r, ['type', 'channelId', 'serviceUrl', 'conversation', 'from'])];
    return JSON.stringify(a);
  },
  (t, r) => JSON.stringify({ ...activity(t, r), [pick(r, PROTOTYPE_NAMES)]: { polluted: true } }),
  (t, r) => JSON.stringify(activity(t, r)).replace('{', `{"__proto__":{"polluted":true},"constructor":{"prototype":{"x":1}},`),
  (_t, r) => JSON.stringify({ text: pick(r, PROTOTYPE_NAMES) }),
  (_t, r) => JSON.stringify({ [pick(r, PROTOTYPE_NAMES)]: pick(r, PROTOTYPE_NAMES), text: `my ${pick(r, PROTOTYPE_NAMES)} backup` }),
  (_t, r) => JSON.stringify({ type: 'message', text: pick(r, ['hi', ...PROTOTYPE_NAMES]), from: { name: pick(r, PROTOTYPE_NAMES) }, channelData: { [pick(r, PROTOTYPE_NAMES)]: 1 } }),
  (_t, r) => {
    const depth = pick(r, [63, 64, 65, 200, 5000, 30000]);
    return `{"type":"message","text":"x","value":${'['.repeat(depth)}${']'.repeat(depth)}}`;
  },
  (_t, r) => '{"a":'.repeat(int(r, 100, 20000)),
  (t, r) => {
    const text = JSON.stringify(activity(t, r));
    return text.slice(0, int(r, 0, text.length - 1));
  },
  (_t, r) => randomBytes(r, int(r, 1, 400)),
  () => Buffer.from([0xef, 0xbb, 0xbf, 0x7b, 0x7d]), // BOM + {}
  () => Buffer.from('{"text":"\xff\xfe"}', 'latin1'),
  () => 'null',
  () => '[]',
  () => '"just a string"',
  () => '1e999999',
  () => '{"text":"\\ud800"}',
  (_t, r) => JSON.stringify({ text: 'x'.repeat(int(r, 1990, 2010)) }),
  (_t, r) => `{"text":"${'a'.repeat(int(r, 256 * 1024 - 40, 256 * 1024 + 40))}"}`,
  () => 'type=message&serviceUrl=http%3A%2F%2Fevil.example&conversation[id]=1',
  () => '--b\r\nContent-Disposition: form-data; name="file"; filename="x.bin"\r\n\r\nAAAA\r\n--b--\r\n',
  () => '',
];

const CONTENT_TYPES = [
  'application/json',
  'application/json; charset=utf-8',
  'application/json; charset=UTF-8',
  'application/json; charset=latin1',
  'application/json;charset="utf-8"',
  'APPLICATION/JSON',
  'application/x-www-form-urlencoded',
  'multipart/form-data; boundary=b',
  'multipart/form-data',
  'text/plain',
  'application/octet-stream',
  'application/jsonp',
  'application/*+json',
  '',
  ';;;',
  'constructor',
  undefined,
];

const ENCODINGS = [undefined, undefined, undefined, 'identity', 'gzip', 'deflate', 'br', 'gzip, gzip', 'x-unknown', 'constructor'];

function authorization(t: FuzzTargets, rand: Rand): string | undefined {
  return pick(rand, [
    undefined,
    undefined,
    t.directLine ? `Bearer ${t.directLine.token}` : undefined,
    t.directLine ? `Bearer ${t.directLine.token}` : undefined,
    'Bearer',
    'Bearer x',
    'Bearer a.b.c',
    'Bearer dl1.e30.AAAA',
    'Basic Zm9vOmJhcg==',
    `Bearer ${'x'.repeat(5000)}`,
    'Bearer constructor',
    'Bearer __proto__.x.y',
  ]);
}

function header(name: string, value: string | undefined): Array<[string, string]> {
  return value === undefined ? [] : [[name, value]];
}

function serialize(rand: Rand, method: string, target: string, headers: Array<[string, string]>, body: Buffer, lengthMode: string): Buffer {
  const head: Array<[string, string]> = [['Host', '127.0.0.1'], ['Connection', 'close'], ...headers];
  let payload = body;
  if (lengthMode === 'exact') head.push(['Content-Length', String(body.length)]);
  else if (lengthMode === 'short') head.push(['Content-Length', String(Math.max(0, body.length - 5))]);
  else if (lengthMode === 'long') head.push(['Content-Length', String(body.length + 100)]);
  else if (lengthMode === 'huge') head.push(['Content-Length', String(50 * 1024 * 1024)]);
  else if (lengthMode === 'bogus') head.push(['Content-Length', pick(rand, ['-1', 'abc', '1e3', '0x10', '1, 2'])]);
  else if (lengthMode === 'chunked') {
    head.push(['Transfer-Encoding', 'chunked']);
    payload = Buffer.concat([Buffer.from(`${body.length.toString(16)}\r\n`), body, Buffer.from('\r\n0\r\n\r\n')]);
  } else if (lengthMode === 'badchunk') {
    head.push(['Transfer-Encoding', 'chunked']);
    payload = Buffer.concat([Buffer.from('zz\r\n'), body]);
  } else if (lengthMode === 'both') {
    head.push(['Content-Length', String(body.length)], ['Transfer-Encoding', 'chunked']);
  }
  const lines = [`${method} ${target} HTTP/1.1`, ...head.map(([k, v]) => `${k}: ${v}`)];
  return Buffer.concat([Buffer.from(`${lines.join('\r\n')}\r\n\r\n`, 'latin1'), payload]);
}

/** An HTTP request with some of method, target, headers, body and framing spoiled. */
function httpCase(t: FuzzTargets, rand: Rand): FuzzCase {
  const method = mostly(rand, 0.5, 'POST', METHODS);
  const path = pick(rand, paths(t));
  const target = mostly(rand, 0.6, TARGET_MUTATIONS[0]!, TARGET_MUTATIONS)(path, rand);
  const body = pick(rand, BODIES)(t, rand);
  const bytes = Buffer.isBuffer(body) ? body : Buffer.from(body, 'utf8');
  const headers: Array<[string, string]> = [
    ...header('Content-Type', mostly(rand, 0.5, 'application/json', CONTENT_TYPES)),
    ...header('Content-Encoding', mostly(rand, 0.7, undefined, ENCODINGS)),
    ...header('Authorization', authorization(t, rand)),
    ...header('Origin', mostly(rand, 0.8, undefined, ['https://evil.example', 'null', 'http://127.0.0.1'])),
    ...header('Sec-Fetch-Site', mostly(rand, 0.8, undefined, ['cross-site', 'same-site', 'same-origin', 'none'])),
    ...header('Accept', pick(rand, [undefined, 'application/json', 'image/png', '*/*;q=0', 'text/html;q=abc'])),
    ...header('Accept-Encoding', pick(rand, [undefined, 'gzip', 'br', 'x'])),
    ...header('If-None-Match', pick(rand, [undefined, undefined, '"x"', '*'])),
    ...header('X-Forwarded-Proto', pick(rand, [undefined, undefined, 'https', 'javascript'])),
    ...header(pick(rand, ['X-Big', 'Cookie', 'User-Agent']), mostly(rand, 0.9, undefined, ['x'.repeat(int(rand, 100, 20000)), PROTOTYPE_NAMES.join(',')])),
  ];
  const lengthMode = mostly(rand, 0.6, 'exact', ['none', 'short', 'long', 'huge', 'chunked', 'badchunk', 'both', 'bogus']);
  const slow = rand() < 0.02;
  // A declared length longer than what is sent: leave the socket open sometimes (the body never completes).
  const keepOpen = (lengthMode === 'long' || lengthMode === 'huge') && rand() < 0.1;
  return { name: `http ${method || '(none)'} ${path}`, bytes: serialize(rand, method || 'POST', target, headers, bytes, lengthMode), slow, keepOpen };
}

/** A WebSocket handshake with a good or spoiled path, token and headers. */
function upgradeCase(t: FuzzTargets, rand: Rand): FuzzCase {
  const c = t.directLine?.conversationId ?? 'abc';
  const path = pick(rand, [
    `/v3/directline/conversations/${c}/stream`,
    `/v3/directline/conversations/${c}/stream?t=${t.directLine?.token ?? ''}`,
    `/v3/directline/conversations/${c}/stream?t=${t.directLine?.token ?? ''}&watermark=constructor`,
    '/v3/directline/conversations/%/stream',
    '/v3/directline/conversations/%E0%A4%A/stream?t=x',
    `/v3/directline/conversations/${pick(rand, PROTOTYPE_NAMES)}/stream?t=x`,
    '/api/messages',
    'http://[/v3/directline/conversations/a/stream',
    '/',
  ]);
  const headers = [
    'Host: 127.0.0.1',
    'Connection: Upgrade',
    `Upgrade: ${pick(rand, ['websocket', 'websocket', 'h2c', 'constructor'])}`,
    ...(rand() < 0.9 ? [`Sec-WebSocket-Version: ${pick(rand, ['13', '13', '8', 'x'])}`] : []),
    ...(rand() < 0.9 ? [`Sec-WebSocket-Key: ${pick(rand, ['dGhlIHNhbXBsZSBub25jZQ==', 'dGhlIHNhbXBsZSBub25jZQ==', 'short', ''])}`] : []),
  ];
  return { name: `upgrade ${path.split('?')[0]}`, bytes: Buffer.from(`GET ${path} HTTP/1.1\r\n${headers.join('\r\n')}\r\n\r\n`, 'latin1') };
}

/** Bytes that are not HTTP, or HTTP broken at the framing level. */
function rawCase(_t: FuzzTargets, rand: Rand): FuzzCase {
  const family = int(rand, 0, 6);
  const bytes = [
    () => randomBytes(rand, int(rand, 1, 3000)),
    () => Buffer.from(`GET / HTTP/${pick(rand, ['9.9', '1', '0.9', '1.1.1', 'x'])}\r\nHost: x\r\n\r\n`),
    () => Buffer.from('GET / HTTP/1.1\r\nHost x\r\nNo-Colon\r\n\r\n'),
    () => Buffer.from('POST /api/messages HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nContent-Length: 7\r\n\r\n{}{}{}{'),
    () => Buffer.from(`GET / HTTP/1.1\r\nHost: x\r\nX: ${'a'.repeat(int(rand, 17000, 90000))}\r\n\r\n`),
    () => Buffer.from('GET / HTTP/1.1\r\nHost: x\r\n folded: header\r\n\r\n'),
    () => Buffer.concat([Buffer.from('GET /healthz HTTP/1.1\r\nHost: x\r\n'), randomBytes(rand, int(rand, 1, 50))]),
  ][family]!();
  return { name: `raw family-${family}`, bytes, slow: rand() < 0.05 };
}

/** The whole case stream: mostly HTTP requests, then upgrades and raw bytes. */
export function* fuzzCases(targets: FuzzTargets, rand: Rand, count: number): Generator<FuzzCase> {
  for (let i = 0; i < count; i++) {
    const roll = rand();
    yield roll < 0.8 ? httpCase(targets, rand) : roll < 0.9 ? upgradeCase(targets, rand) : rawCase(targets, rand);
  }
}
