import { MESSAGE_KEYS } from '../content/types';
import type { MessageKey } from '../content/types';
import { ActivityTypes, CardFactory, TurnContext } from 'botbuilder-core';
import type { Activity, Attachment, ConversationReference, ConversationState, Middleware, Storage } from 'botbuilder-core';
import { ADAPTIVE_CARD_VERSION } from '../channels/teams/adaptive-choice-card';
import { isTeams, teamsConversationType } from '../channels/teams/teams-activity';
import { fill } from '../dialogs/text';
import type { Logger } from '../log';
import { HandoffConflictError, HandoffForbiddenError, HandoffNotFoundError } from './errors';
import type { AgentDeskService, AgentIdentity, HandoffFeedEvent, HandoffView } from './types';

/** What the bot says to agents in Teams: the `agent_*` messages of dialogs/messages.yaml. */
export type TeamsAgentTextKey = Extract<MessageKey, `agent_${string}`>;
export const TEAMS_AGENT_TEXT_KEYS = MESSAGE_KEYS.filter((key): key is TeamsAgentTextKey => key.startsWith('agent_'));

/** The Action.Submit data of a request card's Accept button (no `choice`/`text` field: CardSubmitMiddleware leaves it alone). */
export const ACCEPT_ACTION = 'accept';
interface AcceptSubmit {
  handoffAction: typeof ACCEPT_ACTION;
  handoffId: string;
}

/** Agents' conversation references, in the bot's storage so proactive messages still reach them after a restart. */
const STORAGE_KEY = 'teams-agents/references';
interface StoredAgent {
  key: string;
  name: string;
  reference: Partial<ConversationReference>;
}

export interface TeamsAgentsOptions {
  desk: AgentDeskService;
  /** TEAMS_AGENT_IDS: Teams user ids (29:…) or Entra object ids of the agents. */
  agentIds: readonly string[];
  /** The app's adapter: proactive messages go through it. */
  adapter: { continueConversationAsync(botAppId: string, reference: Partial<ConversationReference>, logic: (context: TurnContext) => Promise<void>): Promise<void> };
  /** MicrosoftAppId, or '' with auth off. */
  botAppId: string;
  storage: Storage;
  /** Saved when an agent's turn ends here, so a retried activity is still recognised (TurnOrderMiddleware). */
  conversationState: ConversationState;
  text: Readonly<Record<TeamsAgentTextKey, string>>;
  log: Logger;
}

export interface TeamsAgents {
  /** Install after de-duplication and Teams' reshaping, before understanding and the dialogs. */
  middleware: Middleware;
  /** Stops listening to the desk (before the storage closes). */
  close(): void;
  /** Resolves once every proactive message queued so far has been sent (or failed). */
  idle(): Promise<void>;
}

/**
 * Agents in Teams. Allow-listed users get, in their 1:1 chat with the bot, a
 * card per new request; `queue`, `accept <n>` and `end` work as typed
 * commands; while they hold a hand-off everything they type goes to the user
 * and the user's words come back to them. Anyone else is an ordinary user.
 */
export function createTeamsAgents(options: TeamsAgentsOptions): TeamsAgents {
  const { desk, adapter, botAppId, storage, conversationState, text, log } = options;
  for (const [name, value] of Object.entries({ desk, adapter, storage, conversationState, text, log })) {
    if (!value) throw new Error(`createTeamsAgents: missing ${name}`);
  }
  for (const key of TEAMS_AGENT_TEXT_KEYS) {
    if (typeof text[key] !== 'string') throw new Error(`createTeamsAgents: missing message ${key}`);
  }
  const allowed = new Set(options.agentIds.map((id) => id.trim()).filter(Boolean));
  const agents = new Map<string, StoredAgent>();
  let loaded: Promise<void> | undefined;
  const load = () =>
    (loaded ??= storage.read([STORAGE_KEY]).then((items) => {
      const stored = (items[STORAGE_KEY] as { agents?: StoredAgent[] } | undefined)?.agents ?? [];
      for (const a of stored) if (!agents.has(a.key)) agents.set(a.key, a);
    }));

  // Proactive sends run one after another per agent (order kept) and are never awaited by the desk's emitter:
  // a turn waiting on a send queued behind that same turn would never end.
  const chains = new Map<string, Promise<void>>();
  const pending = new Set<Promise<unknown>>();
  const track = (p: Promise<unknown>): void => {
    pending.add(p);
    void p.finally(() => pending.delete(p));
  };
  /** Runs `step` in this agent's 1:1 chat, after everything queued for them before. */
  const inAgentChat = (key: string, step: (context: TurnContext) => Promise<void>): void => {
    const previous = chains.get(key) ?? Promise.resolve();
    const next = previous.then(async () => {
      await load();
      const agent = agents.get(key);
      if (!agent) return;
      await adapter.continueConversationAsync(botAppId, agent.reference, step);
    });
    const settled = next.catch((error: unknown) => log.error('a message to a Teams agent failed', { agent: key, error: String(error) }));
    chains.set(key, settled);
    track(settled);
  };
  const sendTo = (key: string, activity: Partial<Activity>, sent?: (activityId: string) => void): void =>
    inAgentChat(key, async (context) => {
      const response = await context.sendActivity(activity);
      if (response?.id) sent?.(response.id);
    });

  /**
   * The request cards sent, by hand-off, while it waits: once it is taken or gone they are redrawn without the
   * Accept button (Teams keeps old cards clickable). Lost on a restart; a late press is then answered "taken".
   */
  const openCards = new Map<string, { view: HandoffView; ids: Map<string, string> }>();
  const closeCards = (handoff: HandoffView): void => {
    const open = openCards.get(handoff.id);
    if (!open) return;
    openCards.delete(handoff.id);
    const taker = teamsAgentKey(handoff.agent?.id);
    for (const key of agents.keys()) {
      const note = handoff.state === 'active' ? (key === taker ? '' : text.agent_taken) : fill(text.agent_user_gone, { name: handoff.userName });
      inAgentChat(key, async (context) => {
        const id = open.ids.get(key); // read when this runs: the card's own send is queued before it
        if (id) await context.updateActivity({ id, type: ActivityTypes.Message, attachments: [requestCard(open.view, note)] });
      });
    }
  };

  // Only this instance's events: with several instances each announcement and relay is sent once, by the instance where it happened.
  const unsubscribe = desk.subscribe((event) => onFeed(event), 'here');
  /** Hand-offs an agent ended with `end` here: they already got the answer, not the "user is gone" line. */
  const endedHere = new Set<string>();
  /** User lines relayed so far, in order. */
  let relays: Promise<void> = Promise.resolve();

  function onFeed(event: HandoffFeedEvent): void {
    if (event.type === 'queue') {
      // Announced once, when it joins the queue (not again at each change, nor after a restart).
      const fresh = event.waiting.filter((v) => event.added?.includes(v.id));
      if (fresh.length === 0) return;
      track(
        load().then(() => {
          for (const v of fresh) {
            const ids = new Map<string, string>();
            openCards.set(v.id, { view: v, ids });
            for (const key of agents.keys()) sendTo(key, { type: ActivityTypes.Message, attachments: [requestCard(v)] }, (id) => ids.set(key, id));
          }
        }).catch((error: unknown) => log.warn('Teams agents: stored references unreadable', { error: String(error) })),
      );
      return;
    }
    if (event.type === 'message' || event.type === 'typing') {
      const from = event.type === 'message' ? event.line.from : event.from;
      if (from !== 'user') return;
      // Looked up when it runs, in this event's place in line (the agent's chat chain keeps the order).
      relayToAgent(event);
      return;
    }
    const { handoff } = event;
    if (handoff.state !== 'waiting') closeCards(handoff);
    const key = teamsAgentKey(handoff.agent?.id);
    if (!key || handoff.state === 'active' || handoff.state === 'waiting') return;
    if (endedHere.delete(handoff.id)) return;
    sendTo(key, { type: ActivityTypes.Message, text: fill(text.agent_user_gone, { name: handoff.userName }) });
  }

  /** A user's line or typing, to the Teams agent holding their hand-off (if one does). */
  function relayToAgent(event: Extract<HandoffFeedEvent, { type: 'message' | 'typing' }>): void {
    const looked = desk.get(event.handoffId);
    const order = relays.then(async () => {
      const handoff = await looked;
      const key = teamsAgentKey(handoff?.agent?.id);
      if (!handoff || !key) return;
      if (event.type === 'typing') sendTo(key, { type: ActivityTypes.Typing });
      else sendTo(key, { type: ActivityTypes.Message, text: `${handoff.userName}: ${event.line.text}`, textFormat: 'plain' });
    });
    relays = order.catch((error: unknown) => log.warn('Teams agents: could not relay a user line', { error: String(error) }));
    track(relays);
  }

  /** The card for a waiting request; with `closed` (a line, possibly empty) it has no Accept button any more. */
  function requestCard(v: HandoffView, closed?: string): Attachment {
    const s = v.summary;
    const fixes = s.fixesTried
      .map((f) => `${f.title}${f.outcome ? ` (${f.outcome})` : ''}: ${f.steps.map((st) => `${st.step} → ${st.answer}`).join('; ')}`)
      .join('\n');
    const facts = [
      { title: text.agent_card_asked, value: s.firstMessage },
      { title: text.agent_card_fixes, value: fixes },
      { title: text.agent_card_sizes, value: s.sizes.join(', ') },
      { title: text.agent_card_devices, value: s.devices.join(', ') },
    ].filter((f) => f.value);
    const submit: AcceptSubmit = { handoffAction: ACCEPT_ACTION, handoffId: v.id };
    return CardFactory.adaptiveCard({
      type: 'AdaptiveCard',
      $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
      version: ADAPTIVE_CARD_VERSION,
      body: [
        { type: 'TextBlock', text: fill(text.agent_card_heading, { name: v.userName, channel: channelName(v.channel), position: v.position ?? '' }), weight: 'Bolder', wrap: true },
        { type: 'FactSet', facts },
        ...(closed ? [{ type: 'TextBlock', text: closed, isSubtle: true, wrap: true }] : []),
      ],
      ...(closed === undefined ? { actions: [{ type: 'Action.Submit', title: text.agent_card_accept, data: submit }] } : {}),
    });
  }

  async function remember(context: TurnContext, key: string): Promise<void> {
    await load();
    const reference = TurnContext.getConversationReference(context.activity);
    const known = agents.get(key);
    const name = context.activity.from?.name ?? known?.name ?? '';
    if (known && known.reference.conversation?.id === reference.conversation?.id && known.reference.serviceUrl === reference.serviceUrl && known.name === name) return;
    agents.set(key, { key, name, reference });
    await storage.write({ [STORAGE_KEY]: { agents: [...agents.values()], eTag: '*' } });
  }

  async function accept(context: TurnContext, agent: AgentIdentity, handoffId: string | undefined, position?: number): Promise<void> {
    const held = (await desk.mine(agent.id))[0];
    if (held) return void (await context.sendActivity(fill(text.agent_busy, { name: held.userName })));
    const id = handoffId ?? (await desk.waiting()).find((v) => v.position === (position ?? 1))?.id;
    if (!id) return void (await context.sendActivity(fill(text.agent_no_such, { n: position ?? 1 })));
    try {
      const view = await desk.accept(id, agent);
      await context.sendActivity(fill(text.agent_accepted, { name: view.userName }));
    } catch (error) {
      if (error instanceof HandoffConflictError || error instanceof HandoffNotFoundError) return void (await context.sendActivity(text.agent_taken));
      throw error;
    }
  }

  async function queue(context: TurnContext): Promise<void> {
    const waiting = await desk.waiting();
    if (waiting.length === 0) return void (await context.sendActivity(text.agent_queue_empty));
    const lines = waiting.map((v) => `${v.position ?? ''}. ${v.userName} (${channelName(v.channel)}, ${waitText(v.waitSeconds)}): ${v.summary.firstMessage}`);
    await context.sendActivity({ type: ActivityTypes.Message, text: [fill(text.agent_queue_heading, { count: waiting.length }), ...lines].join('\n\n') });
  }

  async function end(context: TurnContext, agent: AgentIdentity): Promise<void> {
    const held = (await desk.mine(agent.id))[0];
    if (!held) return void (await context.sendActivity(text.agent_nothing_to_end));
    endedHere.add(held.id);
    try {
      await desk.end(held.id, agent);
    } catch (error) {
      endedHere.delete(held.id);
      throw error;
    }
    await context.sendActivity(fill(text.agent_ended, { name: held.userName }));
  }

  /** The agent's turn, or false when it is not one of theirs (then the bot carries on as for anyone). */
  async function handle(context: TurnContext, agent: AgentIdentity): Promise<boolean> {
    const { activity } = context;
    const held = async () => (await desk.mine(agent.id))[0];
    if (activity.type === ActivityTypes.Typing) {
      const h = await held();
      if (h) await desk.typing(h.id, agent);
      return true;
    }
    if (activity.type !== ActivityTypes.Message) return false;
    const submit = acceptSubmit(activity.value);
    if (submit) return accept(context, agent, submit.handoffId).then(() => true);
    const typed = (activity.text ?? '').trim();
    const command = typed.toLowerCase().replace(/\s+/g, ' ');
    if (command === 'queue') return queue(context).then(() => true);
    if (command === 'end') return end(context, agent).then(() => true);
    const acceptN = /^accept(?: #?(\d{1,4}))?$/.exec(command);
    if (acceptN) return accept(context, agent, undefined, acceptN[1] ? Number(acceptN[1]) : 1).then(() => true);
    const h = await held();
    if (!h || !typed) return false;
    try {
      await desk.sendToUser(h.id, agent, typed);
    } catch (error) {
      // Ended or taken between the look-up and the send: say so rather than fail the turn.
      if (error instanceof HandoffForbiddenError || error instanceof HandoffConflictError || error instanceof HandoffNotFoundError) {
        await context.sendActivity(text.agent_nothing_to_end);
        return true;
      }
      throw error;
    }
    return true;
  }

  const middleware: Middleware = {
    async onTurn(context, next) {
      const key = agentKey(context.activity, allowed);
      if (!key || context.activity.name === 'ContinueConversation') return next();
      await remember(context, key);
      const agent: AgentIdentity = { id: `teams:${key}`, name: context.activity.from?.name || 'Agent', role: 'agent', via: 'teams' };
      if (!(await handle(context, agent))) return next();
      // The dialogs did not run, so nothing else saves this turn's state (the de-duplication ids among it).
      await conversationState.saveChanges(context, false);
    },
  };

  return {
    middleware,
    close: unsubscribe,
    async idle() {
      // Announcing queues sends once the references are loaded: wait until nothing new appears.
      while (pending.size > 0) await Promise.all([...pending]);
    },
  };
}

/** The allow-list entry this activity's sender matches, for a personal Teams chat; undefined for anyone else. */
function agentKey(activity: Partial<Activity>, allowed: ReadonlySet<string>): string | undefined {
  if (!activity.channelId || !activity.conversation || !isTeams(activity as Activity)) return undefined;
  if (teamsConversationType(activity as Activity) !== 'personal') return undefined;
  const from = activity.from;
  if (!from) return undefined;
  if (from.aadObjectId && allowed.has(from.aadObjectId)) return from.aadObjectId;
  if (from.id && allowed.has(from.id)) return from.id;
  return undefined;
}

function teamsAgentKey(agentId: string | undefined): string | undefined {
  return agentId?.startsWith('teams:') ? agentId.slice('teams:'.length) : undefined;
}

function acceptSubmit(value: unknown): AcceptSubmit | undefined {
  if (value === null || typeof value !== 'object') return undefined;
  const data = value as Record<string, unknown>;
  if (data.handoffAction !== ACCEPT_ACTION || typeof data.handoffId !== 'string' || !data.handoffId) return undefined;
  return { handoffAction: ACCEPT_ACTION, handoffId: data.handoffId };
}

function channelName(channel: string): string {
  return channel === 'msteams' ? 'Teams' : channel === 'directline' || channel === 'webchat' ? 'Web Chat' : channel;
}

function waitText(seconds: number): string {
  const s = Math.max(0, Math.floor(seconds));
  return s < 60 ? `${s} s` : `${Math.floor(s / 60)} min`;
}
