import { ConfigurationBotFrameworkAuthentication } from 'botbuilder';

type ClaimsIdentity = Parameters<ConfigurationBotFrameworkAuthentication['createConnectorFactory']>[0];
type ConnectorFactory = ReturnType<ConfigurationBotFrameworkAuthentication['createConnectorFactory']>;
type ConnectorClient = Awaited<ReturnType<ConnectorFactory['create']>>;

/** Connector clients kept at most (one per bot app id, serviceUrl and audience; a bot talks to a handful). */
const MAX_CLIENTS = 64;

/**
 * Bot Framework authentication from configuration, whose connector factory
 * hands out one connector client per (app id, serviceUrl, audience) instead of
 * a new one per turn: botbuilder builds a fresh client, with its whole
 * HTTP pipeline, for every turn. Clients hold no per-turn state; their
 * credentials cache and renew their own tokens.
 */
export class ReusingBotFrameworkAuthentication extends ConfigurationBotFrameworkAuthentication {
  private readonly clients = new Map<string, Promise<ConnectorClient>>();

  override createConnectorFactory(claimsIdentity: ClaimsIdentity): ConnectorFactory {
    const factory = super.createConnectorFactory(claimsIdentity);
    // The caller's app id travels in 'appid' (v1 tokens) or 'azp' (v2); anonymous when auth is off.
    const appId = claimsIdentity.claims.filter((c) => c.type === 'appid' || c.type === 'azp').map((c) => `${c.type}=${c.value}`).join(' ');
    const clients = this.clients;
    return {
      create(serviceUrl: string, audience?: string): Promise<ConnectorClient> {
        const key = `${appId}\n${serviceUrl}\n${audience ?? ''}`;
        const found = clients.get(key);
        if (found) {
          // Most recently used last, so the oldest goes first when the map is full.
          clients.delete(key);
          clients.set(key, found);
          return found;
        }
        const made = factory.create(serviceUrl, audience);
        made.catch(() => clients.delete(key));
        clients.set(key, made);
        if (clients.size > MAX_CLIENTS) clients.delete(clients.keys().next().value!);
        return made;
      },
    };
  }
}
