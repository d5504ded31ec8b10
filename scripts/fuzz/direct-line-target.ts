import type { FuzzTargets } from './cases';

/** A genuine built-in Direct Line token and started conversation, so the fuzz reaches past Direct Line's auth. */
export async function directLineTarget(baseUrl: string): Promise<FuzzTargets['directLine']> {
  const issued = await fetch(`${baseUrl}/api/directline/token`, { method: 'POST' });
  if (issued.status !== 200) return undefined; // Azure mode or off: fuzz the routes without a token
  const { token, conversationId } = (await issued.json()) as { token: string; conversationId: string };
  await fetch(`${baseUrl}/v3/directline/conversations`, { method: 'POST', headers: { authorization: `Bearer ${token}` } });
  return { token, conversationId };
}
