import { CardFactory } from 'botbuilder-core';
import type { Activity, ResourceResponse, TurnContext } from 'botbuilder-core';

/**
 * Runs `work` so that the bot's plain text messages in a row reach the user
 * as one message: a fix's heading and intro arrive with its first step, a
 * "that didn't help" with what comes next. A message with only text is held
 * until the turn sends something else: another message takes it in front of
 * its own text; anything else (typing, an event, a card update) lets it go
 * first, on its own, so nothing waits behind a slow step. What is still held
 * when `work` ends is sent then. Fewer, fuller messages read better in a chat
 * and cost one request to the channel instead of several.
 *
 * A held message answers its sender with an empty id, as botbuilder does for
 * activities a channel does not number; nothing updates a plain message.
 * A turn that fails drops what it held, like the state it did not save.
 */
export async function withMergedReplies(context: TurnContext, work: () => Promise<void>): Promise<void> {
  const send = context.sendActivities;
  let held: Partial<Activity> | undefined;
  context.sendActivities = async (activities: Partial<Activity>[]): Promise<ResourceResponse[]> => {
    const now: Partial<Activity>[] = [];
    // Where each activity's answer comes from: its place in `now`, or -1 while it is held.
    const places: number[] = [];
    for (const activity of activities) {
      let next = activity;
      if (held && isMessage(next)) next = joined(held, next);
      else if (held) now.push(held);
      held = undefined;
      if (isPlainText(next)) {
        held = next;
        places.push(-1);
      } else places.push(now.push(next) - 1);
    }
    const answers = now.length > 0 ? await send.call(context, now) : [];
    return places.map((i) => (i >= 0 ? (answers[i] ?? { id: '' }) : { id: '' }));
  };
  try {
    await work();
    if (held) {
      const last = held;
      held = undefined;
      await send.call(context, [last]);
    }
  } finally {
    context.sendActivities = send;
  }
}

function isMessage(activity: Partial<Activity>): boolean {
  return (activity.type ?? 'message') === 'message';
}

/** Text and nothing a channel would render or act on besides it. */
function isPlainText(activity: Partial<Activity>): boolean {
  return (
    isMessage(activity) &&
    typeof activity.text === 'string' &&
    activity.text.length > 0 &&
    !activity.attachments?.length &&
    !activity.suggestedActions &&
    !activity.entities?.length &&
    activity.channelData === undefined &&
    activity.value === undefined
  );
}

const both = (a: string | undefined, b: string | undefined, between: string) => (a && b ? `${a}${between}${b}` : (a ?? b));

/**
 * `first`'s text in front of `then`'s. A choice card without message text
 * (buttons on Teams) takes it inside the card, above its own: Teams redraws
 * an answered card without the message text, which would be lost from the
 * chat history.
 */
function joined(first: Partial<Activity>, then: Partial<Activity>): Partial<Activity> {
  const card = then.attachments?.length === 1 ? then.attachments[0] : undefined;
  if (!then.text && card && card.contentType === CardFactory.contentTypes.heroCard) {
    const hero = (card.content ?? {}) as { text?: string };
    return { ...then, attachments: [{ ...card, content: { ...hero, text: both(first.text, hero.text, '\n\n') } }] };
  }
  const text = both(first.text, then.text, '\n\n');
  const speak = both(first.speak, then.speak, ' ');
  return { ...then, ...(text !== undefined ? { text } : {}), ...(speak !== undefined ? { speak } : {}) };
}
