import type { ChatwootOutbox } from '../../../src/handoff/desks/chatwoot/outbox';

/**
 * What every Chatwoot outbox must do (SQLite for one instance, Redis for
 * several). `fresh()` gives an empty one; `twin(outbox)` another instance's
 * handle on the same data, or the same outbox.
 */
export function describeChatwootOutboxContract(fresh: () => Promise<ChatwootOutbox>, twin: (outbox: ChatwootOutbox) => Promise<ChatwootOutbox> = async (o) => o): void {
  let outbox: ChatwootOutbox;
  beforeEach(async () => {
    outbox = await fresh();
  });

  it('keeps each hand-off\'s items in order until delivered, and lists the hand-offs with something pending, oldest first', async () => {
    const other = await twin(outbox);
    await outbox.add('h1', 'open', '{"handoffId":"h1"}');
    await other.add('h2', 'incoming', 'hello');
    await outbox.add('h1', 'note', 'summary');
    await other.add('h1', 'incoming', 'my line');
    expect((await other.pending('h1')).map((i) => [i.handoffId, i.kind, i.content, i.attempts])).toEqual([
      ['h1', 'open', '{"handoffId":"h1"}', 0],
      ['h1', 'note', 'summary', 0],
      ['h1', 'incoming', 'my line', 0],
    ]);
    expect(await outbox.withPending()).toEqual(['h1', 'h2']);
    const [first, second] = await outbox.pending('h1');
    await outbox.failed(first!, 'Chatwoot 503');
    expect((await other.pending('h1'))[0]!.attempts).toBe(1);
    await other.delivered(first!);
    await other.delivered(second!);
    expect((await outbox.pending('h1')).map((i) => i.content)).toEqual(['my line']);
    await outbox.delivered((await outbox.pending('h1'))[0]!);
    expect(await outbox.pending('h1')).toEqual([]);
    expect(await other.withPending()).toEqual(['h2']);
    expect(await outbox.pending('nothing')).toEqual([]);
  });

  it('links a hand-off to its Chatwoot contact and conversation, both ways', async () => {
    const other = await twin(outbox);
    expect(await outbox.link('h1')).toEqual({ handoffId: 'h1' });
    await outbox.setContact('h1', 17);
    expect(await other.link('h1')).toEqual({ handoffId: 'h1', contactId: 17 });
    await other.setConversation('h1', 42);
    expect(await outbox.link('h1')).toEqual({ handoffId: 'h1', contactId: 17, conversationId: 42 });
    expect(await outbox.handoffFor(42)).toBe('h1');
    expect(await other.handoffFor(43)).toBeUndefined();
  });

  it('relays a Chatwoot message id once, whichever instance sees it', async () => {
    const other = await twin(outbox);
    expect(await outbox.firstSight(1001)).toBe(true);
    expect(await other.firstSight(1001)).toBe(false);
    expect(await outbox.firstSight(1001)).toBe(false);
    expect(await other.firstSight(1002)).toBe(true);
  });

  it('grants a hold on a hand-off\'s deliveries again once released', async () => {
    const release = await outbox.hold('h1', 0);
    expect(release).toBeDefined();
    await release!();
    const again = await outbox.hold('h1', 0);
    expect(again).toBeDefined();
    await again!();
  });
}
