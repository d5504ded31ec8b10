/**
 * The Chatwoot client against the stand-in (real HTTP on loopback): the request shapes of Chatwoot's definition
 * (see chatwoot-stand-in.ts for the endpoints, fields and the version read), both answers to "create contact",
 * and what is retried: network failures and 5xx with backoff, never a 4xx.
 */
import { ChatwootClient, ChatwootError } from '../../../src/handoff/desks/chatwoot/client';
import { ChatwootStandIn } from './chatwoot-stand-in';

const TOKEN = 'agent-access-token';
let chatwoot: ChatwootStandIn;
const client = (over: Partial<ConstructorParameters<typeof ChatwootClient>[0]> = {}) =>
  new ChatwootClient({ url: chatwoot.url, accountId: 3, apiToken: TOKEN, attempts: 3, backoffMs: 10, timeoutMs: 2000, ...over });

beforeEach(async () => {
  chatwoot = await ChatwootStandIn.start({ accountId: 3, inboxId: 9, apiToken: TOKEN });
});
afterEach(() => chatwoot.close());

test('finds or makes the contact, its contact inbox and the conversation, then posts a note, a message, labels and a status, in the definition\'s shapes', async () => {
  const api = client();
  expect(await api.searchContacts('directline:conv-1')).toEqual([]);
  const { id: contactId } = await api.createContact({ inbox_id: 9, name: 'Ann', identifier: 'directline:conv-1' });
  await api.createContactInbox(contactId, { inbox_id: 9, source_id: 'conv-1' });
  const found = await api.searchContacts('directline:conv-1');
  expect(found).toEqual([expect.objectContaining({ id: contactId, identifier: 'directline:conv-1', contact_inboxes: expect.arrayContaining([expect.objectContaining({ source_id: 'conv-1' })]) })]);
  const { id } = await api.createConversation({ source_id: 'conv-1', inbox_id: 9, contact_id: contactId, status: 'open', team_id: 4, additional_attributes: { handoff_id: 'h1' } });
  await api.createMessage(id, { content: 'Summary', message_type: 'outgoing', private: true });
  await api.createMessage(id, { content: 'still stuck at 40%', message_type: 'incoming', private: false });
  await api.addLabels(id, ['bot-handoff']);
  await api.setStatus(id, 'resolved');

  const calls = chatwoot.apiCalls().map((r) => `${r.method} ${r.path}${r.query.q ? `?q=${r.query.q}` : ''} ${r.status}`);
  expect(calls).toEqual([
    'GET /api/v1/accounts/3/contacts/search?q=directline:conv-1 200',
    'POST /api/v1/accounts/3/contacts 200',
    `POST /api/v1/accounts/3/contacts/${contactId}/contact_inboxes 200`,
    'GET /api/v1/accounts/3/contacts/search?q=directline:conv-1 200',
    'POST /api/v1/accounts/3/conversations 200',
    `POST /api/v1/accounts/3/conversations/${id}/messages 200`,
    `POST /api/v1/accounts/3/conversations/${id}/messages 200`,
    `POST /api/v1/accounts/3/conversations/${id}/labels 200`,
    `POST /api/v1/accounts/3/conversations/${id}/toggle_status 200`,
  ]);
  expect(chatwoot.apiCalls().every((r) => r.headers.api_access_token === TOKEN)).toBe(true);
  const conversation = chatwoot.conversations[0]!;
  expect(conversation).toMatchObject({ sourceId: 'conv-1', contactId, teamId: 4, labels: ['bot-handoff'], status: 'resolved', additionalAttributes: { handoff_id: 'h1' } });
  expect(conversation.messages.map((m) => [m.messageType, m.private, m.content])).toEqual([
    ['outgoing', true, 'Summary'],
    ['incoming', false, 'still stuck at 40%'],
  ]);
});

test('reads the contact id from the server\'s {payload: {contact}} answer too', async () => {
  await chatwoot.close();
  chatwoot = await ChatwootStandIn.start({ accountId: 3, inboxId: 9, apiToken: TOKEN, shape: 'server' });
  const { id } = await client().createContact({ inbox_id: 9, name: 'Ben', identifier: 'x:1' });
  expect(id).toBe(chatwoot.contacts[0]!.id);
});

test('tries a 503 again with backoff and succeeds when Chatwoot recovers', async () => {
  chatwoot.failNext(2);
  const { id } = await client().createContact({ inbox_id: 9, name: 'Cat', identifier: 'x:2' });
  expect(id).toBe(chatwoot.contacts[0]!.id);
  expect(chatwoot.apiCalls().map((r) => r.status)).toEqual([503, 503, 200]);
});

test('gives up after its tries when Chatwoot keeps failing or cannot be reached, saying it may pass', async () => {
  chatwoot.setOutage('http503');
  const failing = await client().searchContacts('x').catch((e: unknown) => e);
  expect(failing).toBeInstanceOf(ChatwootError);
  expect(failing).toMatchObject({ status: 503, passing: true });
  expect(chatwoot.apiCalls()).toHaveLength(3);

  chatwoot.setOutage('refuse');
  const refused = await client().searchContacts('x').catch((e: unknown) => e);
  expect(refused).toMatchObject({ status: undefined, passing: true });
  expect(chatwoot.apiCalls()).toHaveLength(6);
});

test('does not try a 4xx again (a wrong token will not fix itself)', async () => {
  const error = await client({ apiToken: 'wrong' }).createMessage(1, { content: 'x', message_type: 'incoming', private: false }).catch((e: unknown) => e);
  expect(error).toMatchObject({ status: 401, passing: false });
  expect(chatwoot.apiCalls()).toHaveLength(1);
});
