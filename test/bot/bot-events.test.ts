import type { TurnContext } from 'botbuilder-core';
import { createBotEventHub } from '../../src/bot/bot-events';
import { realContent, TestConversation } from '../support/test-bot';
import { StubNlu } from '../support/stub-nlu';

test('every listener hears every event; one that throws does not stop the others', () => {
  const errors: unknown[] = [];
  const hub = createBotEventHub((e) => errors.push(e));
  const heard: string[] = [];
  hub.subscribe({
    fixStarted: () => {
      throw new Error('broken listener');
    },
  });
  hub.subscribe({ fixStarted: (_c, id) => heard.push(`a:start:${id}`), fixFinished: (_c, id, solved) => heard.push(`a:end:${id}:${solved}`) });
  const unsubscribe = hub.subscribe({ escalated: () => heard.push('b:escalated') });
  const context = {} as TurnContext;
  hub.events.fixStarted(context, 'icloud-access');
  hub.events.fixFinished(context, 'icloud-access', false);
  hub.events.escalated(context);
  unsubscribe();
  hub.events.escalated(context);
  expect(heard).toEqual(['a:start:icloud-access', 'a:end:icloud-access:false', 'b:escalated']);
  expect(errors).toHaveLength(1);
});

test('the dialogs report each fix started and finished, and the escalation when none helped', async () => {
  const { content } = realContent();
  const text = content.messages.text;
  const hub = createBotEventHub();
  const heard: string[] = [];
  hub.subscribe({
    fixStarted: (_c, id) => heard.push(`start ${id}`),
    fixFinished: (_c, id, solved) => heard.push(`${solved ? 'solved' : 'not solved'} ${id}`),
    escalated: () => heard.push('escalated'),
  });
  const chat = new TestConversation({ nlu: new StubNlu({}), events: hub.events });
  let turn = await chat.say('#backup_not_working');
  for (let guard = 0; turn.buttons.length > 0 && guard < 200; guard++) {
    const answer = turn.buttons.includes(text.verify_no) ? text.verify_no : turn.buttons.includes(text.choice_done) ? text.choice_done : turn.buttons[0]!;
    turn = await chat.say(answer);
  }
  expect(heard).toEqual([...content.fixes.flatMap((f) => [`start ${f.id}`, `not solved ${f.id}`]), 'escalated']);
});

test('a fix that works is reported solved', async () => {
  const { content } = realContent();
  const hub = createBotEventHub();
  const solved: string[] = [];
  hub.subscribe({ fixFinished: (_c, id, ok) => ok && solved.push(id) });
  const chat = new TestConversation({ nlu: new StubNlu({}), events: hub.events });
  let turn = await chat.say('#manual_backup');
  for (let guard = 0; turn.buttons.length > 0 && guard < 50; guard++) {
    const verify = content.messages.text.verify_yes;
    turn = await chat.say(turn.buttons.includes(verify) ? verify : turn.buttons.includes(content.messages.text.choice_done) ? content.messages.text.choice_done : turn.buttons[0]!);
  }
  expect(solved).toEqual(['manual-backup']);
});
