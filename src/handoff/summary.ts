import type { JournalFix } from '../dialogs';
import type { Nlu } from '../nlu/types';
import type { HandoffSummary, TranscriptLine } from './types';

/** How many of the user's last messages the summary quotes. */
const LAST_MESSAGES = 5;

/**
 * What an agent needs first: the fixes tried (each step's prompt and how it
 * was answered, from the fix journal), sizes and devices the user mentioned
 * (read from their messages with the bot's own NLU), their first message and
 * their latest ones.
 */
export function buildSummary(journal: readonly JournalFix[], lines: readonly TranscriptLine[], nlu: Nlu, channel: string): HandoffSummary {
  const said = lines.filter((l) => l.from === 'user').map((l) => l.text);
  const sizes = new Set<string>();
  const devices = new Set<string>();
  for (const text of said) {
    for (const entity of nlu.parse(text.slice(0, 2000)).entities) {
      if (entity.entity === 'size') sizes.add(entity.role ? `${entity.text} (${entity.role})` : entity.text);
      else devices.add(entity.text);
    }
  }
  return {
    fixesTried: journal.map((f) => ({ fix: f.fix, title: f.title, steps: f.steps.map((s) => ({ ...s })), outcome: f.outcome || 'not finished' })),
    sizes: [...sizes],
    devices: [...devices],
    firstMessage: said[0] ?? '',
    lastUserMessages: said.slice(-LAST_MESSAGES),
    channel,
  };
}
