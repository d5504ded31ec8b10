import { TeamsActivityHandler } from 'botbuilder';
import type { ConversationState, StatePropertyAccessor, TurnContext, UserState } from 'botbuilder';
import { runDialog } from 'botbuilder-dialogs';
import type { DialogState } from 'botbuilder-dialogs';
import { isTeams, isTeamsArrival } from '../channels/teams';
import type { MainDialog } from '../dialogs';

export interface BotDeps {
  conversationState: ConversationState;
  userState: UserState;
  dialog: MainDialog;
  dialogState: StatePropertyAccessor<DialogState>;
  /** Set once this conversation has been welcomed (Teams announces an install more than once). */
  welcomed: StatePropertyAccessor<boolean>;
}

/** The activity handler: welcomes new members, hands messages to the main dialog, saves state once per turn. */
export class TroubleshootingBot extends TeamsActivityHandler {
  constructor(private readonly deps: BotDeps) {
    super();
    for (const key of ['conversationState', 'userState', 'dialog', 'dialogState', 'welcomed'] as const) {
      if (!deps[key]) throw new Error(`TroubleshootingBot needs "${key}"`);
    }

    this.onMembersAdded(async (context, next) => {
      if (isTeams(context.activity)) {
        if (isTeamsArrival(context.activity)) await this.welcomeOnce(context);
      } else {
        const botId = context.activity.recipient?.id;
        const newcomers = (context.activity.membersAdded ?? []).filter((m) => m.id !== botId);
        if (newcomers.length > 0) await deps.dialog.replies.welcome(context);
      }
      await next();
    });

    this.onInstallationUpdateAdd(async (context, next) => {
      if (isTeamsArrival(context.activity)) await this.welcomeOnce(context);
      await next();
    });

    this.onMessage(async (context, next) => {
      await runDialog(deps.dialog, context, deps.dialogState);
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
