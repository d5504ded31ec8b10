import type { WireActivity } from './conversation-log';

/** Marks the notice in `channelData`, so a page or a test can tell it from the bot's own words. */
export const EXPIRY_NOTICE = 'directline-history-expired';

/**
 * What a returning user sees when this server no longer holds the chat's
 * earlier messages (evicted from memory, or lost in a restart). The claim
 * about progress is true because the bot keeps its state in SQLite, keyed by
 * conversation id, apart from these logs.
 */
export function expiryNotice(botId: string, timestamp: string): WireActivity {
  return {
    type: 'message',
    from: { id: botId, name: botId, role: 'bot' },
    text:
      "This chat's earlier messages have expired here, so they can't be shown again. " +
      'Your progress is saved: just carry on where you left off.',
    channelData: { notice: EXPIRY_NOTICE },
    timestamp,
  };
}
