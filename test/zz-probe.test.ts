import { TestConversation } from './support/test-bot';
test('probe', async () => {
  const lines: string[] = [];
  const phrases = ['no joy', 'nah, nothing', 'i deleted some old photos and it\'s working now!', 'I have 2 GB free', 'still the same error', 'help', 'stop', 'did that, still stuck', 'where is that', 'it was on already', 'yep', 'ok', 'i don\'t know', 'constructor', 'done'];
  for (const p of phrases) {
    const c = new TestConversation();
    await c.say("whatsapp won't back up to icloud");
    const t = await c.say(p);
    lines.push(`> ${p}\n< ${t.text.slice(0, 160).replace(/\n/g, ' / ')} [${t.buttons.join('|')}]`);
  }
  for (const p of ['no joy', 'still the same error', 'done', 'not sure', 'yes!!', 'nope', 'it worked', 'I have 2 GB free']) {
    const c = new TestConversation();
    await c.say("whatsapp won't back up to icloud");
    for (let i = 0; i < 4; i++) await c.say('Done');
    const t = await c.say(p);
    lines.push(`[verify] > ${p}\n< ${t.text.slice(0, 160).replace(/\n/g, ' / ')} [${t.buttons.join('|')}]`);
  }
  for (const p of ['yep all green', "it's yellow", 'mine has face id', 'not sure', '2', 'I have 2 GB free']) {
    const c = new TestConversation();
    c.status = { state: 'unknown', reason: 'x' };
    await c.say('is icloud down?');
    const t = await c.say(p);
    lines.push(`[dot] > ${p}\n< ${t.text.slice(0, 160).replace(/\n/g, ' / ')} [${t.buttons.join('|')}]`);
  }
  for (const p of ['mine has face id', 'yes it has one', 'iphone 13', 'no', 'not sure']) {
    const c = new TestConversation();
    await c.say('should i restart my phone');
    const t = await c.say(p);
    lines.push(`[home] > ${p}\n< ${t.text.slice(0, 160).replace(/\n/g, ' / ')} [${t.buttons.join('|')}]`);
  }
  for (const p of ['I don\'t know', 'no idea', 'about 2.3 gigs', 'it says 850mb', 'skip']) {
    const c = new TestConversation();
    await c.say('icloud storage full');
    const t = await c.say(p);
    lines.push(`[size] > ${p}\n< ${t.text.slice(0, 160).replace(/\n/g, ' / ')} [${t.buttons.join('|')}]`);
  }
  console.log(lines.join('\n'));
});
