import { formatSize } from '../../src/dialogs/checks/sizes';

test.each([
  [0.8, '800 MB'],
  [0.0001, '1 MB'],
  [3.4, '3.4 GB'],
  [6.97, '7 GB'],
  [150.4, '150 GB'],
  [1500, '1.5 TB'],
  [2000, '2 TB'],
])('%d GB is shown as %s', (gb, shown) => {
  expect(formatSize(gb)).toBe(shown);
});
