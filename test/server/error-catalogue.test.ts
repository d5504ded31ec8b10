import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ERRORS, HttpError } from '../../src/server/http-error';

const readme = readFileSync(join(__dirname, '..', '..', 'README.md'), 'utf8');

test.each(Object.entries(ERRORS))('error %s is documented in the README with its status', (code, { status }) => {
  expect(readme).toMatch(new RegExp(`\\| \`${code}\` \\| ${status} \\|`));
});

test('an HttpError answers with its code and a message saying what was wrong', () => {
  const error = new HttpError('BAD_ACTIVITY', '"type" must be a non-empty string.');
  expect(error.status).toBe(400);
  expect(error.toBody()).toEqual({ error: { code: 'BAD_ACTIVITY', message: expect.stringContaining('"type" must be') } });
});
