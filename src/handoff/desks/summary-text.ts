import type { MessageKey } from '../../content/types';
import type { HandoffSummary, TranscriptLine } from '../types';

/** The labels an external desk's summary uses (the agent card's, from dialogs/messages.yaml). */
export type SummaryLabels = Readonly<Pick<Record<MessageKey, string>, 'agent_card_asked' | 'agent_card_fixes' | 'agent_card_sizes' | 'agent_card_devices'>>;

/** The most transcript lines a desk is given as text (the newest; Chatwoot notes and Omnichannel summaries are read by people). */
export const MAX_TRANSCRIPT_LINES = 60;

/**
 * The summary as plain text for a desk that shows text only (a Chatwoot
 * private note, the Omnichannel escalation's agent summary): what the user
 * asked, the fixes tried with their outcomes, sizes and devices; then, when
 * given, the transcript line by line.
 */
export function summaryText(summary: HandoffSummary, labels: SummaryLabels, transcript: readonly TranscriptLine[] = []): string {
  const parts: string[] = [];
  if (summary.firstMessage) parts.push(`${labels.agent_card_asked}: ${summary.firstMessage}`);
  if (summary.fixesTried.length > 0) parts.push(`${labels.agent_card_fixes}: ${summary.fixesTried.map((f) => `${f.title} (${f.outcome})`).join('; ')}`);
  if (summary.sizes.length > 0) parts.push(`${labels.agent_card_sizes}: ${summary.sizes.join(', ')}`);
  if (summary.devices.length > 0) parts.push(`${labels.agent_card_devices}: ${summary.devices.join(', ')}`);
  const lines = transcript.slice(-MAX_TRANSCRIPT_LINES);
  if (lines.length > 0) {
    parts.push('—');
    for (const line of lines) parts.push(`[${line.at.slice(11, 16)}] ${line.from === 'agent' && line.agentName ? line.agentName : line.from}: ${line.text}`);
  }
  return parts.join('\n');
}
