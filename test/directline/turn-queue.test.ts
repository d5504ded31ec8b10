import { RetryLaterError } from '../../src/channels/directline/retry-later-error';
import { createTurnQueue } from '../../src/channels/directline/turn-queue';

/** A job the test finishes by hand. */
function gate(): { job: () => Promise<string>; open: (value?: string) => void; started: () => boolean } {
  let release: (value: string) => void = () => undefined;
  let started = false;
  const promise = new Promise<string>((resolve) => (release = resolve));
  return {
    job: () => {
      started = true;
      return promise;
    },
    open: (value = 'done') => release(value),
    started: () => started,
  };
}

const code = (fn: () => unknown): string | undefined => {
  try {
    fn();
    return undefined;
  } catch (error) {
    return (error as RetryLaterError).code;
  }
};

it('runs at most `concurrency` turns at once, the rest in arrival order', async () => {
  const queue = createTurnQueue({ concurrency: 2, capacity: 10 });
  const gates = [gate(), gate(), gate(), gate()];
  const done = gates.map((g) => queue.submit('message', g.job));
  expect(gates.map((g) => g.started())).toEqual([true, true, false, false]);
  expect(queue.stats()).toEqual({ running: 2, waiting: 2 });
  gates[1]!.open();
  await done[1];
  expect(gates.map((g) => g.started())).toEqual([true, true, true, false]);
  for (const g of gates) g.open();
  await expect(Promise.all(done)).resolves.toEqual(['done', 'done', 'done', 'done']);
  expect(queue.stats()).toEqual({ running: 0, waiting: 0 });
});

it('refuses with 429 and a Retry-After once the queue is full, and takes turns again when it drains', async () => {
  const queue = createTurnQueue({ concurrency: 1, capacity: 2 });
  const gates = [gate(), gate(), gate()];
  const done = gates.map((g) => queue.submit('message', g.job));
  let refusal: unknown;
  try {
    void queue.submit('message', async () => 'never');
  } catch (error) {
    refusal = error;
  }
  expect(refusal).toBeInstanceOf(RetryLaterError);
  expect(refusal).toMatchObject({ code: 'DL_BUSY', status: 429 });
  expect((refusal as RetryLaterError).retryAfterSeconds).toBeGreaterThanOrEqual(1);
  for (const g of gates) g.open();
  await Promise.all(done);
  await expect(queue.submit('message', async () => 'again')).resolves.toBe('again');
});

it('keeps part of the queue for conversations already under way: new starts are refused first', async () => {
  const queue = createTurnQueue({ concurrency: 1, capacity: 4, startShare: 0.5 });
  const g = gate();
  const done = [queue.submit('start', g.job), queue.submit('start', async () => 1), queue.submit('start', async () => 2)];
  expect(code(() => queue.ensureRoom('start'))).toBe('DL_BUSY');
  expect(code(() => queue.ensureRoom('message'))).toBeUndefined();
  done.push(queue.submit('message', async () => 3), queue.submit('message', async () => 4));
  expect(code(() => queue.ensureRoom('message'))).toBe('DL_BUSY');
  g.open();
  await Promise.all(done);
});

it('a failing turn frees its slot and reports its own error', async () => {
  const queue = createTurnQueue({ concurrency: 1, capacity: 1 });
  await expect(queue.submit('message', async () => Promise.reject(new Error('bot down')))).rejects.toThrow('bot down');
  await expect(queue.submit('message', async () => 'next')).resolves.toBe('next');
});

describe('close', () => {
  it('refuses new turns with 503 at once and waits for queued and running ones', async () => {
    const queue = createTurnQueue({ concurrency: 1, capacity: 5 });
    const gates = [gate(), gate()];
    const done = gates.map((g) => queue.submit('message', g.job));
    const closed = queue.close(60_000);
    expect(queue.closing).toBe(true);
    expect(code(() => queue.ensureRoom('message'))).toBe('DL_SHUTTING_DOWN');
    gates[0]!.open('first');
    await done[0];
    expect(gates[1]!.started()).toBe(true);
    gates[1]!.open('second');
    await expect(closed).resolves.toEqual({ abandoned: 0, refused: 0 });
    await expect(Promise.all(done)).resolves.toEqual(['first', 'second']);
  });

  it('gives up after the grace period: turns never started are refused with 503', async () => {
    const queue = createTurnQueue({ concurrency: 1, capacity: 5 });
    const stuck = gate();
    void queue.submit('message', stuck.job);
    const waiting = queue.submit('message', async () => 'never');
    await expect(queue.close(20)).resolves.toEqual({ abandoned: 1, refused: 1 });
    await expect(waiting).rejects.toMatchObject({ code: 'DL_SHUTTING_DOWN', status: 503 });
    stuck.open();
  });
});
