import { HttpError } from './http-error';

/**
 * Checks the fields the adapter and the bot rely on before the activity goes
 * in, so a malformed request gets a 400 naming the field instead of a 500.
 */
export function assertActivityShape(body: unknown): void {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) throw new HttpError('BAD_ACTIVITY', 'Expected a JSON object.');
  const activity = body as Record<string, unknown>;
  const problems: string[] = [];
  const isText = (v: unknown) => typeof v === 'string' && v.length > 0;
  const hasId = (v: unknown) => v !== null && typeof v === 'object' && isText((v as Record<string, unknown>).id);
  if (!isText(activity.type)) problems.push('"type" must be a non-empty string');
  if (!isText(activity.channelId)) problems.push('"channelId" must be a non-empty string');
  if (!isText(activity.serviceUrl)) problems.push('"serviceUrl" must be a non-empty string');
  else if (!/^https?:\/\//.test(activity.serviceUrl as string)) problems.push('"serviceUrl" must be an http(s) URL');
  if (!hasId(activity.conversation)) problems.push('"conversation.id" must be a non-empty string');
  if (activity.from !== undefined && !hasId(activity.from)) problems.push('"from.id" must be a non-empty string');
  if (activity.text !== undefined && typeof activity.text !== 'string') problems.push('"text" must be a string');
  if (activity.membersAdded !== undefined && !Array.isArray(activity.membersAdded)) problems.push('"membersAdded" must be a list');
  if (problems.length > 0) throw new HttpError('BAD_ACTIVITY', problems.join('; ') + '.');
}
