import { HttpError } from '../../server/http-error';

export interface AzureTokenClientOptions {
  /** Azure Direct Line base URL, e.g. https://directline.botframework.com/v3/directline */
  endpoint: string;
  secret: string;
  timeoutMs?: number;
}

export interface IssuedConversationToken {
  token: string;
  conversationId: string;
  expires_in: number;
}

export type AzureTokenClient = (userId: string) => Promise<IssuedConversationToken>;

/** Exchanges the Direct Line secret (server side only) for a user-bound token, as Azure documents. */
export function createAzureTokenClient({ endpoint, secret, timeoutMs = 5000 }: AzureTokenClientOptions): AzureTokenClient {
  if (!/^https?:\/\//.test(endpoint)) throw new Error('createAzureTokenClient needs an http(s) endpoint');
  if (!secret) throw new Error('createAzureTokenClient needs a secret');
  return async (userId) => {
    let response: Response;
    try {
      response = await fetch(`${endpoint}/tokens/generate`, {
        method: 'POST',
        headers: { authorization: `Bearer ${secret}`, 'content-type': 'application/json' },
        body: JSON.stringify({ user: { id: userId } }),
        signal: AbortSignal.timeout(timeoutMs),
      });
    } catch (error) {
      throw new HttpError('DL_AZURE_FAILED', 'Azure did not answer.', { cause: error });
    }
    const text = await response.text();
    // Never echo Azure's body: it may describe the secret's problem to a public caller.
    if (!response.ok) throw new HttpError('DL_AZURE_FAILED', `Azure answered ${response.status}.`);
    let body: Partial<IssuedConversationToken>;
    try {
      body = JSON.parse(text) as Partial<IssuedConversationToken>;
    } catch {
      throw new HttpError('DL_AZURE_FAILED', 'Unexpected answer.');
    }
    if (typeof body.token !== 'string' || typeof body.conversationId !== 'string') throw new HttpError('DL_AZURE_FAILED', 'Unexpected answer.');
    return { token: body.token, conversationId: body.conversationId, expires_in: Number(body.expires_in ?? 3600) };
  };
}
