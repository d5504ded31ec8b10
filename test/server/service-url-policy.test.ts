import { createServiceUrlPolicy, isLoopback } from '../../src/server/service-url-policy';
import { loadConfig } from '../../src/config';

const policy = (allowed: string[] = [], self = 'http://192.168.1.20:3978') => createServiceUrlPolicy({ allowed, selfUrl: () => self });

test.each(['http://127.0.0.1:4000/', 'http://127.8.9.10/x', 'http://localhost:9/', 'http://[::1]:80/', 'http://127.1/', 'https://2130706433/'])(
  'loopback %s is always allowed',
  (url) => expect(policy().allows(url)).toBe(true),
);

test('this server itself (the built-in Direct Line connector) is allowed, whatever it is bound to', () => {
  expect(policy().allows('http://192.168.1.20:3978/directline-connector/abc/')).toBe(true);
  expect(policy().allows('http://192.168.1.20:3979/')).toBe(false);
});

test.each([
  'https://evil.example/',
  'http://10.1.2.3/',
  'http://127.0.0.1.evil.example/',
  'http://localhost.evil.example/',
  'http://127.0.0.1@evil.example/',
  'ftp://127.0.0.1/',
  'not a url',
  'http://[::ffff:10.0.0.1]/',
])('%s is refused without configuration', (url) => {
  expect(policy().allows(url)).toBe(false);
});

test('ALLOWED_SERVICE_URLS: an origin allows every path on it, and nothing on a look-alike host or port', () => {
  const p = policy(['https://smba.trafficmanager.net']);
  expect(p.allows('https://smba.trafficmanager.net/emea/')).toBe(true);
  expect(p.allows('https://smba.trafficmanager.net.evil.example/')).toBe(false);
  expect(p.allows('https://smba.trafficmanager.net:8443/')).toBe(false);
  expect(p.allows('http://smba.trafficmanager.net/')).toBe(false);
});

test('ALLOWED_SERVICE_URLS: a prefix matches at a path boundary only', () => {
  const p = policy(['https://relay.example/bots/one']);
  expect(p.allows('https://relay.example/bots/one')).toBe(true);
  expect(p.allows('https://relay.example/bots/one/v3/conversations')).toBe(true);
  expect(p.allows('https://relay.example/bots/oneandtwo/')).toBe(false);
  expect(p.allows('https://relay.example/bots/')).toBe(false);
});

test('isLoopback names only loopback hosts', () => {
  expect(['localhost', '127.0.0.1', '[::1]'].every(isLoopback)).toBe(true);
  expect(['0.0.0.0', '128.0.0.1', 'localhost.example', '[::]'].some(isLoopback)).toBe(false);
});

test('ALLOWED_SERVICE_URLS is read as a comma-separated list of http(s) URLs, each checked', () => {
  expect(loadConfig({ ALLOWED_SERVICE_URLS: ' https://a.example , http://b.example/x/ ' }).allowedServiceUrls).toEqual(['https://a.example', 'http://b.example/x/']);
  expect(loadConfig({}).allowedServiceUrls).toEqual([]);
  expect(() => loadConfig({ ALLOWED_SERVICE_URLS: 'https://a.example,ftp://b.example,*' })).toThrow(/ALLOWED_SERVICE_URLS must be an http\(s\) URL \(got "ftp:\/\/b.example"\)[\s\S]*got "\*"/);
});
