import { plainText, renderActivity } from '../../src/cli/render';

test('bold markers are dropped and links show their address', () => {
  expect(plainText('Open **Settings** and see [Apple Support](https://support.apple.com/contact)')).toBe(
    'Open Settings and see Apple Support: https://support.apple.com/contact',
  );
});

test('suggested actions and card buttons both become numbered buttons; typing shows nothing', () => {
  const suggested = renderActivity({ type: 'message', text: 'Pick', suggestedActions: { to: [], actions: [{ type: 'imBack', title: 'Done', value: 'Done' }] } });
  expect(suggested.buttons.map((b) => b.value)).toEqual(['Done']);
  const card = renderActivity({
    type: 'message',
    attachments: [{ contentType: 'application/vnd.microsoft.card.hero', content: { text: 'Pick', buttons: [{ type: 'imBack', title: 'Yes', value: 'Yes' }] } }],
  });
  expect(card).toEqual({ text: 'Pick', buttons: [{ type: 'imBack', title: 'Yes', value: 'Yes' }] });
  expect(renderActivity({ type: 'typing' })).toEqual({ text: '', buttons: [] });
});
