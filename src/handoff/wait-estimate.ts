/** With no hand-off accepted yet, a wait of this many seconds per person ahead is assumed. */
export const DEFAULT_WAIT_SECONDS = 180;
/** How many recent hand-offs the estimate reads. */
export const RECENT_HANDOFFS = 20;

/**
 * "Usual wait about N minutes" for the person at `position`: the median wait
 * of recent accepted hand-offs, times the position (each person ahead takes
 * about one usual wait), in seconds.
 */
export function estimateWaitSeconds(recentWaits: readonly number[], position: number): number {
  const sorted = [...recentWaits].sort((a, b) => a - b);
  const median = sorted.length === 0 ? DEFAULT_WAIT_SECONDS : sorted[Math.floor((sorted.length - 1) / 2)]!;
  return Math.round(Math.max(60, median) * Math.max(1, position));
}
