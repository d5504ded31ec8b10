/**
 * Reference 2 for `npm run bench`: the echo bot plus what a minimal dialog bot
 * has: ConversationState and UserState (in memory), and a three-step
 * waterfall whose steps confirm with a ConfirmPrompt, as the samples write it.
 * Usage: node dialog-bot.js <port>
 */
import { ActivityHandler, CloudAdapter, ConfigurationBotFrameworkAuthentication, ConversationState, MemoryStorage, UserState } from 'botbuilder';
import type { StatePropertyAccessor } from 'botbuilder';
import { ComponentDialog, ConfirmPrompt, DialogSet, DialogTurnStatus, WaterfallDialog } from 'botbuilder-dialogs';
import type { DialogState, WaterfallStepContext } from 'botbuilder-dialogs';
import * as restify from 'restify';

const adapter = new CloudAdapter(new ConfigurationBotFrameworkAuthentication({}));
const storage = new MemoryStorage();
const conversationState = new ConversationState(storage);
const userState = new UserState(storage);

class ThreeSteps extends ComponentDialog {
  constructor() {
    super('three-steps');
    const step = (n: number) => async (s: WaterfallStepContext) => s.prompt('confirm', `Step ${n}: done?`);
    this.addDialog(new ConfirmPrompt('confirm'));
    this.addDialog(
      new WaterfallDialog('steps', [step(1), step(2), step(3), async (s: WaterfallStepContext) => {
        await s.context.sendActivity('All done.');
        return s.endDialog();
      }]),
    );
    this.initialDialogId = 'steps';
  }
}

class DialogBot extends ActivityHandler {
  private readonly dialogs: DialogSet;
  constructor(private readonly dialogState: StatePropertyAccessor<DialogState>) {
    super();
    this.dialogs = new DialogSet(dialogState).add(new ThreeSteps());
    this.onMessage(async (context, next) => {
      const dc = await this.dialogs.createContext(context);
      const result = await dc.continueDialog();
      if (result.status === DialogTurnStatus.empty) await dc.beginDialog('three-steps');
      await next();
    });
  }
  override async run(context: Parameters<ActivityHandler['run']>[0]): Promise<void> {
    await super.run(context);
    await conversationState.saveChanges(context, false);
    await userState.saveChanges(context, false);
  }
}

const bot = new DialogBot(conversationState.createProperty('dialogState'));
userState.createProperty('profile');
const server = restify.createServer();
server.use(restify.plugins.bodyParser());
server.post('/api/messages', async (req, res) => adapter.process(req, res, (context) => bot.run(context)));
server.listen(Number(process.argv[2]), '127.0.0.1', () => process.send?.('ready'));
