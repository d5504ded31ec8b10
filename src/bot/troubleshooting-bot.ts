import { withMergedReplies } from './merged-replies';
import { HandoffEventNames, TeamsActivityHandler } from 'botbuilder';
import type { ConversationState, StatePropertyAccessor, TurnContext, UserState } from 'botbuilder';
import { DialogSet, DialogTurnStatus } from 'botbuilder-dialogs';
import type { DialogState } from 'botbuilder-dialogs';
import { isArrival } from './welcome-policy';
import type { HandoffStatus, MainDialog } from '../dialogs';

/** Bot Framework's name for a desk's answer (botbuilder's HandoffEventNames.HandoffStatus). */
export const HANDOFF_STATUS_EVENT: string = HandoffEventNames.HandoffStatus;

export interface BotDeps {
  conversationState: ConversationState;
  userState: UserState;
  dialog: MainDialog;
  dialogState: StatePropertyAccessor<DialogState>;
  /** Set once this conversation has been welcomed (channels may announce an arrival more than once). */
  welcomed: StatePropertyAccessor<boolean>;
}

/** Where botbuilder-dialogs keeps a turn's memory-scope configuration (DialogStateManager's turnState key). */
const MEMORY_CONFIGURATION = 'DialogStateManagerConfiguration';

/** The activity handler: welcomes new members, hands messages to the main dialog, saves state once per turn. */
export class TroubleshootingBot extends TeamsActivityHandler {
  /** Built once: the dialogs are the same every turn. */
  private readonly dialogs: DialogSet;
  /** Every dialog context builds a DialogStateManager; its configuration (memory scopes, path resolvers) is the same each turn. */
  private memoryConfiguration: unknown;

  constructor(private readonly deps: BotDeps) {
    super();
    for (const key of ['conversationState', 'userState', 'dialog', 'dialogState', 'welcomed'] as const) {
      if (!deps[key]) throw new Error(`TroubleshootingBot needs "${key}"`);
    }
    this.dialogs = new DialogSet(deps.dialogState).add(deps.dialog);

    const welcomeArrivals = async (context: TurnContext, next: () => Promise<void>) => {
      if (isArrival(context.activity)) await this.welcomeOnce(context);
      await next();
    };
    this.onMembersAdded(welcomeArrivals);
    this.onInstallationUpdateAdd(welcomeArrivals);

    // What runDialog does for a bot that is no skill and uses no memory scopes (no $-paths, no adaptive dialogs),
    // without its per-turn DialogStateManager load/save and the state snapshot it builds for the Emulator's trace.
    this.onMessage(async (context, next) => {
      const dc = await this.dialogs.createContext(context);
      const result = await dc.continueDialog();
      if (result.status === DialogTurnStatus.empty) await dc.beginDialog(deps.dialog.id);
      await next();
    });

    // A desk's answer about this conversation's hand-off (see src/handoff); the dialog checks it came from the desk.
    this.onEvent(async (context, next) => {
      if (context.activity.name === HANDOFF_STATUS_EVENT) {
        await deps.dialog.handoffStatus(await this.dialogs.createContext(context), context.activity.value as HandoffStatus);
      }
      await next();
    });
  }

  private async welcomeOnce(context: TurnContext): Promise<void> {
    if (await this.deps.welcomed.get(context, false)) return;
    await this.deps.welcomed.set(context, true);
    await this.deps.dialog.replies.welcome(context);
  }

  override async run(context: TurnContext): Promise<void> {
    if (this.memoryConfiguration) context.turnState.set(MEMORY_CONFIGURATION, this.memoryConfiguration);
    await withMergedReplies(context, () => super.run(context));
    this.memoryConfiguration ??= context.turnState.get(MEMORY_CONFIGURATION);
    await this.deps.conversationState.saveChanges(context, false);
    await this.deps.userState.saveChanges(context, false);
  }
}
