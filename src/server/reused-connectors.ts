import { ConfigurationBotFrameworkAuthentication } from 'botbuilder';
import type { Dispatcher } from 'undici';
import { inProcessConnectorClient, servesUrl } from './in-process-connector';
import { channelDispatcher, withLeanSends } from './lean-connector';
import type { InProcessChannel } from './in-process-connector';

type Auth = ConfigurationBotFrameworkAuthentication;
type ClaimsIdentity = Parameters<Auth['createConnectorFactory']>[0];
type ConnectorFactory = ReturnType<Auth['createConnectorFactory']>;
type ConnectorClient = Awaited<ReturnType<ConnectorFactory['create']>>;
type UserTokenClient = Awaited<ReturnType<Auth['createUserTokenClient']>>;

/** Clients kept at most (one per bot app id, serviceUrl and audience; a bot talks to a handful). */
const MAX_CLIENTS = 64;

/**
 * Bot Framework authentication from configuration that hands out one
 * connector client per (app id, serviceUrl, audience) and one user-token
 * client per app id, instead of new ones every turn: botbuilder builds both,
 * each with its whole HTTP pipeline, for every activity. The clients hold no
 * per-turn state; their credentials cache and renew their own tokens.
 * Replies to a channel this process serves itself (the built-in Direct
 * Line) are handed to it directly instead of over HTTP; replies to others go
 * out as plain requests on kept-alive connections (src/server/lean-connector.ts).
 */
export class ReusingBotFrameworkAuthentication extends ConfigurationBotFrameworkAuthentication {
  private readonly connectors = new Map<string, Promise<ConnectorClient>>();
  private readonly userTokens = new Map<string, Promise<UserTokenClient>>();
  private readonly inProcess: Array<{ channel: InProcessChannel; client: ConnectorClient }> = [];
  private dispatcher: Dispatcher | undefined;

  /** From now on, replies to `channel`'s serviceUrl go to it in this process. */
  addInProcessChannel(channel: InProcessChannel): void {
    this.inProcess.push({ channel, client: inProcessConnectorClient(channel) });
  }

  /** Drops the connections to channels: at shutdown, after the turns in flight had their time to reply. */
  async close(): Promise<void> {
    const dispatcher = this.dispatcher;
    this.dispatcher = undefined;
    await dispatcher?.destroy();
  }

  override async authenticateRequest(...args: Parameters<Auth['authenticateRequest']>): ReturnType<Auth['authenticateRequest']> {
    const result = await super.authenticateRequest(...args);
    return result.connectorFactory ? { ...result, connectorFactory: this.reusing(result.connectorFactory, result.claimsIdentity) } : result;
  }

  override createConnectorFactory(claimsIdentity: ClaimsIdentity): ConnectorFactory {
    return this.reusing(super.createConnectorFactory(claimsIdentity), claimsIdentity);
  }

  override createUserTokenClient(claimsIdentity: ClaimsIdentity): Promise<UserTokenClient> {
    return cached(this.userTokens, appIdOf(claimsIdentity), () => super.createUserTokenClient(claimsIdentity));
  }

  private reusing(factory: ConnectorFactory, claimsIdentity: ClaimsIdentity): ConnectorFactory {
    const appId = appIdOf(claimsIdentity);
    const { connectors, inProcess } = this;
    const dispatcher = () => (this.dispatcher ??= channelDispatcher());
    return {
      create: (serviceUrl: string, audience?: string) => {
        const local = inProcess.find((l) => servesUrl(l.channel, serviceUrl));
        if (local) return Promise.resolve(local.client);
        return cached(connectors, `${appId}\n${serviceUrl}\n${audience ?? ''}`, async () =>
          withLeanSends(await factory.create(serviceUrl, audience), serviceUrl, { dispatcher: dispatcher() }),
        );
      },
    };
  }
}

/** The caller's app id: in 'appid' (v1 tokens) or 'azp' (v2); empty when auth is off. */
function appIdOf(claimsIdentity: ClaimsIdentity): string {
  return claimsIdentity.claims
    .filter((c) => c.type === 'appid' || c.type === 'azp')
    .map((c) => `${c.type}=${c.value}`)
    .join(' ');
}

/** The value made for `key`, made once; a failure is forgotten (the next call tries again); oldest out beyond MAX_CLIENTS. */
function cached<T>(map: Map<string, Promise<T>>, key: string, make: () => Promise<T>): Promise<T> {
  const found = map.get(key);
  if (found) {
    map.delete(key); // most recently used last
    map.set(key, found);
    return found;
  }
  const made = make();
  made.catch(() => map.delete(key));
  map.set(key, made);
  if (map.size > MAX_CLIENTS) map.delete(map.keys().next().value!);
  return made;
}
