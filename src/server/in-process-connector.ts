import type { ConfigurationBotFrameworkAuthentication } from 'botbuilder';

type ConnectorFactory = ReturnType<ConfigurationBotFrameworkAuthentication['createConnectorFactory']>;
export type ConnectorClient = Awaited<ReturnType<ConnectorFactory['create']>>;

/** A channel served by this very process (the built-in Direct Line): the bot's replies reach it as calls, not HTTP. */
export interface InProcessChannel {
  /** The serviceUrl the channel gives its activities; undefined until known (after listen()). */
  serviceUrl(): string | undefined;
  /** Takes one of the bot's activities, as its connector route would; resolves to the id it got. */
  receive(conversationId: string, activity: Record<string, unknown>, replyToId?: string): Promise<{ id: string }>;
}

/**
 * The part of a ConnectorClient that CloudAdapter uses to send (reply and
 * send to conversation), wired straight to an in-process channel. Each
 * activity is handed over as the HTTP client would put it on the wire, a
 * JSON copy. What the channel's connector route does not offer (update,
 * delete, new conversations, members) fails here as it would there.
 */
export function inProcessConnectorClient(channel: InProcessChannel): ConnectorClient {
  const wire = (activity: unknown) => JSON.parse(JSON.stringify(activity)) as Record<string, unknown>;
  const unsupported = (operation: string) => async () => {
    throw new Error(`the built-in Direct Line does not support ${operation}`);
  };
  const conversations = {
    replyToActivity: (conversationId: string, replyToId: string, activity: unknown) => channel.receive(conversationId, wire(activity), replyToId),
    sendToConversation: (conversationId: string, activity: unknown) => channel.receive(conversationId, wire(activity)),
    updateActivity: unsupported('updating an activity'),
    deleteActivity: unsupported('deleting an activity'),
    createConversation: unsupported('starting a conversation'),
    getConversationMembers: unsupported('listing members'),
    getConversationMember: unsupported('listing members'),
    getConversationPagedMembers: unsupported('listing members'),
    getActivityMembers: unsupported('listing members'),
    sendConversationHistory: unsupported('conversation history'),
    uploadAttachment: unsupported('uploads'),
  };
  return { conversations } as unknown as ConnectorClient;
}

/** Whether `serviceUrl` names the channel (trailing slashes aside, as botbuilder adds or drops them). */
export function servesUrl(channel: InProcessChannel, serviceUrl: string): boolean {
  const own = channel.serviceUrl();
  return own !== undefined && serviceUrl.replace(/\/+$/, '') === own.replace(/\/+$/, '');
}
