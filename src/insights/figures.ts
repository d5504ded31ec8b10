import { OUTCOME_KINDS } from './insights-store';
import type { InsightsStore, OutcomeKind, Period, StoredEvent } from './insights-store';

/** One row of a fix's funnel: a step, how many conversations reached it, said they could not find it, stopped there. */
export interface StepFigures {
  step: string;
  reached: number;
  cantFind: number;
  abandoned: number;
}

export interface FixFigures {
  fix: string;
  started: number;
  solved: number;
  /** The fix was walked to its end and did not help. */
  failed: number;
  abandoned: number;
  steps: StepFigures[];
}

export interface InsightsFigures {
  period: Period;
  conversations: number;
  /** Each conversation counted once, by its last outcome in the period. */
  outcomes: Record<OutcomeKind, number>;
  /** Conversations with no outcome yet (still running, or idle less than the abandon time). */
  open: number;
  resolvedByFix: { fix: string; resolved: number }[];
  fixes: FixFigures[];
  csat: { answers: number; mean: number | null; distribution: [number, number, number, number, number] };
}

/**
 * The figures of a period, computed from the stored events (so the dashboard,
 * the terminal report and the CSV always agree with the events, whichever
 * store holds them). `stepOrder`
 * lists each fix's steps in the order the fix walks them; steps it does not
 * name follow in the order first seen.
 */
export async function computeFigures(store: InsightsStore, period: Period, stepOrder: ReadonlyMap<string, readonly string[]> = new Map()): Promise<InsightsFigures> {
  const [events, csat] = await Promise.all([store.eventsIn(period), store.csatIn(period)]);
  const lastOutcome = new Map<string, OutcomeKind>();
  const conversations = new Set<string>();
  const fixes = new Map<string, { started: number; solved: number; failed: number; abandoned: number; steps: Map<string, StepFigures> }>();
  const fixOf = (fix: string) => {
    let f = fixes.get(fix);
    if (!f) {
      f = { started: 0, solved: 0, failed: 0, abandoned: 0, steps: new Map((stepOrder.get(fix) ?? []).map((step) => [step, { step, reached: 0, cantFind: 0, abandoned: 0 }])) };
      fixes.set(fix, f);
    }
    return f;
  };
  const stepOf = (e: StoredEvent): StepFigures | undefined => {
    if (!e.fix || !e.step) return undefined;
    const steps = fixOf(e.fix).steps;
    let s = steps.get(e.step);
    if (!s) {
      s = { step: e.step, reached: 0, cantFind: 0, abandoned: 0 };
      steps.set(e.step, s);
    }
    return s;
  };
  const resolvedByFix = new Map<string, number>();

  for (const e of events) {
    conversations.add(e.conversation);
    if ((OUTCOME_KINDS as readonly string[]).includes(e.kind)) lastOutcome.set(e.conversation, e.kind as OutcomeKind);
    switch (e.kind) {
      case 'fix_started':
        if (e.fix) fixOf(e.fix).started++;
        break;
      case 'step_reached': {
        const s = stepOf(e);
        if (s) s.reached++;
        break;
      }
      case 'cant_find': {
        const s = stepOf(e);
        if (s) s.cantFind++;
        break;
      }
      case 'fix_failed':
        if (e.fix) fixOf(e.fix).failed++;
        break;
      case 'resolved':
        if (e.fix) {
          fixOf(e.fix).solved++;
          resolvedByFix.set(e.fix, (resolvedByFix.get(e.fix) ?? 0) + 1);
        }
        break;
      case 'abandoned': {
        if (e.fix) fixOf(e.fix).abandoned++;
        const s = stepOf(e);
        if (s) s.abandoned++;
        break;
      }
      default:
        break;
    }
  }

  const outcomes = Object.fromEntries(OUTCOME_KINDS.map((k) => [k, 0])) as Record<OutcomeKind, number>;
  for (const kind of lastOutcome.values()) outcomes[kind]++;
  const distribution: [number, number, number, number, number] = [0, 0, 0, 0, 0];
  for (const c of csat) distribution[c.score - 1]++;

  return {
    period,
    conversations: conversations.size,
    outcomes,
    open: conversations.size - lastOutcome.size,
    resolvedByFix: [...resolvedByFix].map(([fix, resolved]) => ({ fix, resolved })).sort((a, b) => b.resolved - a.resolved || a.fix.localeCompare(b.fix)),
    fixes: [...fixes].map(([fix, f]) => ({ fix, started: f.started, solved: f.solved, failed: f.failed, abandoned: f.abandoned, steps: [...f.steps.values()] })),
    csat: {
      answers: csat.length,
      mean: csat.length === 0 ? null : Math.round((csat.reduce((sum, c) => sum + c.score, 0) / csat.length) * 100) / 100,
      distribution,
    },
  };
}
