/** The demo page, widget.js and Web Chat's bundle come from this server: no CDN. */
import { startApp } from '../directline/harness';
import type { Running } from '../directline/harness';

let running: Running;
beforeAll(async () => {
  running = await startApp();
});
afterAll(() => running.close());

it('serves the demo page with the embed tag', async () => {
  const page = await fetch(`${running.url}/`);
  expect(page.status).toBe(200);
  expect(page.headers.get('content-type')).toMatch(/^text\/html/);
  expect(await page.text()).toMatch(/<script src="\/widget.js" data-title="[^"]+"/);
});

it('serves widget.js and Web Chat from node_modules, gzipped and cacheable', async () => {
  const widget = await fetch(`${running.url}/widget.js`);
  expect(widget.headers.get('content-type')).toMatch(/^text\/javascript/);
  expect(await widget.text()).toContain('/webchat/webchat.js');

  const bundle = await fetch(`${running.url}/webchat/webchat.js`, { headers: { 'accept-encoding': 'gzip' } });
  expect(bundle.status).toBe(200);
  expect(bundle.headers.get('cache-control')).toContain('max-age=86400');
  const etag = bundle.headers.get('etag')!;
  expect((await bundle.text()).length).toBeGreaterThan(1_000_000); // fetch decodes the gzip
  const again = await fetch(`${running.url}/webchat/webchat.js`, { headers: { 'if-none-match': etag } });
  expect(again.status).toBe(304);
});
