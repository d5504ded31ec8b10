import { HandoffEventNames, TeamsActivityHandler } from 'botbuilder';
import type { ConversationState, StatePropertyAccessor, TurnContext, UserState } from 'botbuilder';
import { DialogSet, runDialog } from 'botbuilder-dialogs';
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

/** The activity handler: welcomes new members, hands messages to the main dialog, saves state once per turn. */
export class TroubleshootingBot extends TeamsActivityHandler {
  constructor(private readonly deps: BotDeps) {
    super();
    for (const key of ['conversationState', 'userState', 'dialog', 'dialogState', 'welcomed'] as const) {
      if (!deps[key]) throw new Error(`TroubleshootingBot needs "${key}"`);
    }

    const welcomeArrivals = async (context: TurnContext, next: () => Promise<void>) => {
      if (isArrival(context.activity)) await this.welcomeOnce(context);
      await next();
    };
    this.onMembersAdded(welcomeArrivals);
    this.onInstallationUpdateAdd(welcomeArrivals);

    this.onMessage(async (context, next) => {
      await runDialog(deps.dialog, context, deps.dialogState);
      await next();
    });

    // A desk's answer about this conversation's hand-off (see src/handoff); the dialog checks it came from the desk.
    this.onEvent(async (context, next) => {
      if (context.activity.name === HANDOFF_STATUS_EVENT) {
        const dialogs = new DialogSet(deps.dialogState);
        dialogs.add(deps.dialog);
        await deps.dialog.handoffStatus(await dialogs.createContext(context), context.activity.value as HandoffStatus);
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
    await super.run(context);
    await this.deps.conversationState.saveChanges(context, false);
    await this.deps.userState.saveChanges(context, false);
  }
}
