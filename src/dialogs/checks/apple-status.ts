import { ActivityTypes } from 'botbuilder-core';
import { Dialog } from 'botbuilder-dialogs';
import type { DialogContext, DialogTurnResult } from 'botbuilder-dialogs';
import type { CheckStep } from '../../content/types';
import type { ServiceStatus } from '../../status';
import { fill } from '../text';
import type { CheckSpec } from '../../content/load-dialogs';
import type { StepCheck } from './types';

/** What the check needs from the status client: one call that never throws. */
export interface StatusSource {
  check(): Promise<ServiceStatus>;
}

/**
 * Fix 4's live look at Apple's system status for iCloud Backup. Any failure
 * (timeout, bad answer) becomes 'unknown', and the content then points the
 * user at the status page to look for themselves.
 */
export const APPLE_STATUS_SPEC: CheckSpec = {
  outcomes: ['available', 'degraded', 'unknown'],
  text: ['available', 'degraded', 'unknown'],
  settings: {},
};

export function appleStatusCheck(source: StatusSource): StepCheck {
  return {
    spec: APPLE_STATUS_SPEC,
    create: (dialogId, step) => new AppleStatusDialog(dialogId, step, source),
  };
}

class AppleStatusDialog extends Dialog {
  constructor(id: string, private readonly step: CheckStep, private readonly source: StatusSource) {
    super(id);
  }

  override async beginDialog(dc: DialogContext): Promise<DialogTurnResult> {
    await dc.context.sendActivity({ type: ActivityTypes.Typing });
    const status = await this.source.check();
    const events =
      status.state === 'degraded'
        ? status.events.map((e) => (e.message ? `${e.statusType}: ${e.message}` : e.statusType)).join('; ')
        : '';
    await dc.context.sendActivity(fill(this.step.text[status.state]!, { events }));
    return dc.endDialog(status.state);
  }
}
