import { ComponentRegistration, ConversationState, MemoryStorage, TestAdapter } from 'botbuilder';
import { DialogSet, WaterfallDialog } from 'botbuilder-dialogs';
import { DialogsComponentRegistration } from 'botbuilder-dialogs/lib/dialogsComponentRegistration';
import '../../src/dialogs';
import { dialogsRegistrationIsShared } from '../../src/dialogs/one-dialogs-registration';

const registrations = () => ComponentRegistration.components.filter((c) => c instanceof DialogsComponentRegistration);

test('every dialog context of every turn shares one DialogsComponentRegistration, and memory scopes still work', async () => {
  expect(dialogsRegistrationIsShared()).toBe(true);
  const seen = new Set<unknown>();
  const state = new ConversationState(new MemoryStorage());
  const dialogs = new DialogSet(state.createProperty('dialogState'));
  dialogs.add(
    new WaterfallDialog('steps', [
      async (step) => {
        const values = step.values as { heard?: string };
        values.heard = step.state.getValue('turn.activity.text');
        await step.context.sendActivity(`first: ${values.heard}`);
        return step.next();
      },
      async (step) => {
        await step.context.sendActivity(`then: ${step.state.getValue('dialog.missing', 'nothing')} after ${(step.values as { heard?: string }).heard}`);
        return step.endDialog();
      },
    ]),
  );
  const adapter = new TestAdapter(async (context) => {
    const dc = await dialogs.createContext(context);
    seen.add(registrations()[0]);
    await dc.beginDialog('steps');
    seen.add(registrations()[0]);
    await state.saveChanges(context);
  });
  await adapter.send('hello').assertReply('first: hello').assertReply('then: nothing after hello').send('again').assertReply('first: again').startTest();
  expect(registrations()).toHaveLength(1);
  expect(seen.size).toBe(1);
});
