import { describe, expect, it } from 'vitest';
import type { EventRow } from '../../server/store/eventRows.js';
import type { EventSink, WriteResult } from '../../server/store/rowSink.js';
import { type CommitOutcome, GroupCommitter } from './groupCommit.js';

type Deferred<T> = { promise: Promise<T>; resolve: (value: T) => void };

function deferred<T>(): Deferred<T> {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}

/** The committer only passes rows through, so a row needs no more than its id here. */
function row(eventId: string): EventRow {
  return { event_id: eventId } as EventRow;
}

function rows(...eventIds: string[]): EventRow[] {
  return eventIds.map(row);
}

type Write = { ids: string[]; token: string };

/** A sink whose writes stay in flight until the test answers them. */
function heldSink() {
  const writes: (Write & { answer: Deferred<WriteResult> })[] = [];
  const sink: EventSink = {
    write(batch, token) {
      const answer = deferred<WriteResult>();
      writes.push({ ids: batch.map((r) => r.event_id), token, answer });
      return answer.promise;
    },
  };
  return { sink, writes };
}

/** A sink that answers every write at once with `decide`. */
function answeringSink(decide: (ids: string[], attempt: number) => WriteResult = () => ({ ok: true })) {
  const writes: Write[] = [];
  const sink: EventSink = {
    async write(batch, token) {
      const ids = batch.map((r) => r.event_id);
      writes.push({ ids, token });
      return decide(ids, writes.length);
    },
  };
  return { sink, writes };
}

const OK: WriteResult = { ok: true };
const retryable = (message = 'socket hang up'): WriteResult => ({ ok: false, retryable: true, error: new Error(message) });
const rejectedByStore = (message = 'Cannot parse input'): WriteResult => ({ ok: false, retryable: false, error: new Error(message) });

/** Let every queued promise callback run. */
function settle(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

function track(outcome: Promise<CommitOutcome>): { result: CommitOutcome | undefined } {
  const state: { result: CommitOutcome | undefined } = { result: undefined };
  void outcome.then((o) => (state.result = o));
  return state;
}

const FAST_RETRY = { attempts: 3, baseDelayMs: 1 };

describe('GroupCommitter', () => {
  it('resolves a submit only after the store has committed its rows', async () => {
    const { sink, writes } = heldSink();
    const committer = new GroupCommitter(sink, { maxBatchRows: 100, maxPendingRows: 1000 });

    const outcome = track(committer.submit(rows('a1', 'a2')));
    await settle();

    expect(writes.map((w) => w.ids)).toEqual([['a1', 'a2']]);
    expect(outcome.result).toBeUndefined();
    expect(committer.pendingRows).toBe(2);

    writes[0]!.answer.resolve(OK);
    await settle();

    expect(outcome.result).toEqual({ ok: true });
    expect(committer.pendingRows).toBe(0);
  });

  it('answers an empty submit at once without writing', async () => {
    const { sink, writes } = answeringSink();
    const committer = new GroupCommitter(sink, { maxBatchRows: 100, maxPendingRows: 1000 });

    expect(await committer.submit([])).toEqual({ ok: true });
    expect(writes).toEqual([]);
  });

  it('writes requests submitted in the same tick together', async () => {
    const { sink, writes } = answeringSink();
    const committer = new GroupCommitter(sink, { maxBatchRows: 100, maxPendingRows: 1000 });

    const outcomes = await Promise.all([committer.submit(rows('a')), committer.submit(rows('b', 'c'))]);

    expect(outcomes).toEqual([{ ok: true }, { ok: true }]);
    expect(writes.map((w) => w.ids)).toEqual([['a', 'b', 'c']]);
  });

  it('commits requests that arrive while a write is in flight together in one next write', async () => {
    const { sink, writes } = heldSink();
    const committer = new GroupCommitter(sink, { maxBatchRows: 100, maxPendingRows: 1000 });
    const first = track(committer.submit(rows('a')));
    await settle();

    const second = track(committer.submit(rows('b1', 'b2')));
    await settle();
    const third = track(committer.submit(rows('c')));
    await settle();

    expect(writes).toHaveLength(1);
    expect(committer.pendingRows).toBe(4);

    writes[0]!.answer.resolve(OK);
    await settle();

    expect(first.result).toEqual({ ok: true });
    expect(second.result).toBeUndefined();
    expect(writes.map((w) => w.ids)).toEqual([['a'], ['b1', 'b2', 'c']]);

    writes[1]!.answer.resolve(OK);
    await settle();

    expect(second.result).toEqual({ ok: true });
    expect(third.result).toEqual({ ok: true });
    expect(committer.pendingRows).toBe(0);
  });

  it('fills each write up to maxBatchRows across requests', async () => {
    const { sink, writes } = answeringSink();
    const committer = new GroupCommitter(sink, { maxBatchRows: 3, maxPendingRows: 1000 });

    await Promise.all(['a', 'b', 'c', 'd', 'e'].map((id) => committer.submit(rows(id))));

    expect(writes.map((w) => w.ids)).toEqual([['a', 'b', 'c'], ['d', 'e']]);
  });

  it('never splits a request across writes, even one larger than maxBatchRows', async () => {
    const { sink, writes } = answeringSink();
    const committer = new GroupCommitter(sink, { maxBatchRows: 3, maxPendingRows: 1000 });

    const outcomes = await Promise.all([
      committer.submit(rows('a1', 'a2')),
      committer.submit(rows('b1', 'b2')),
      committer.submit(rows('c1', 'c2', 'c3', 'c4', 'c5')),
      committer.submit(rows('d1')),
    ]);

    expect(outcomes.every((o) => o.ok)).toBe(true);
    expect(writes.map((w) => w.ids)).toEqual([['a1', 'a2'], ['b1', 'b2'], ['c1', 'c2', 'c3', 'c4', 'c5'], ['d1']]);
  });

  it('refuses a submit at once as overloaded once maxPendingRows would be passed, and never writes it', async () => {
    const { sink, writes } = heldSink();
    const committer = new GroupCommitter(sink, { maxBatchRows: 100, maxPendingRows: 3 });
    const waiting = track(committer.submit(rows('a1', 'a2')));
    await settle();

    const refused = await committer.submit(rows('x1', 'x2'));

    expect(refused).toMatchObject({ ok: false, reason: 'overloaded', message: expect.stringContaining('queue is full') });
    if (refused.ok) return;
    expect(refused.retryAfterSeconds).toBeGreaterThanOrEqual(1);
    expect(committer.pendingRows).toBe(2);

    writes[0]!.answer.resolve(OK);
    await committer.drain();

    expect(waiting.result).toEqual({ ok: true });
    expect(writes.flatMap((w) => w.ids)).not.toContain('x1');
  });

  it('accepts work again once the queue has drained', async () => {
    const { sink, writes } = heldSink();
    const committer = new GroupCommitter(sink, { maxBatchRows: 100, maxPendingRows: 3 });
    void committer.submit(rows('a1', 'a2', 'a3'));
    await settle();
    expect(await committer.submit(rows('b'))).toMatchObject({ reason: 'overloaded' });

    writes[0]!.answer.resolve(OK);
    await committer.drain();
    const later = track(committer.submit(rows('c')));
    await settle();
    writes[1]!.answer.resolve(OK);
    await committer.drain();

    expect(later.result).toEqual({ ok: true });
    expect(writes.map((w) => w.ids)).toEqual([['a1', 'a2', 'a3'], ['c']]);
  });

  it('accepts a single request larger than maxPendingRows when nothing else is waiting', async () => {
    const { sink, writes } = answeringSink();
    const committer = new GroupCommitter(sink, { maxBatchRows: 100, maxPendingRows: 2 });

    expect(await committer.submit(rows('a', 'b', 'c'))).toEqual({ ok: true });
    expect(writes.map((w) => w.ids)).toEqual([['a', 'b', 'c']]);
  });

  it('retries a retryable failure with the same token until it succeeds', async () => {
    const { sink, writes } = answeringSink((_ids, attempt) => (attempt < 3 ? retryable() : OK));
    const committer = new GroupCommitter(sink, { maxBatchRows: 100, maxPendingRows: 1000, retry: FAST_RETRY });

    const outcome = await committer.submit(rows('a', 'b'));

    expect(outcome).toEqual({ ok: true });
    expect(writes).toHaveLength(3);
    expect(writes.map((w) => w.ids)).toEqual([['a', 'b'], ['a', 'b'], ['a', 'b']]);
    expect(new Set(writes.map((w) => w.token)).size).toBe(1);
  });

  it('uses a fresh token for each new batch', async () => {
    const { sink, writes } = answeringSink();
    const committer = new GroupCommitter(sink, { maxBatchRows: 100, maxPendingRows: 1000 });

    await committer.submit(rows('a'));
    await settle();
    await committer.submit(rows('b'));

    expect(writes).toHaveLength(2);
    expect(writes[0]!.token).not.toBe(writes[1]!.token);
  });

  it('reports the store as unavailable, with a Retry-After, once retries are exhausted', async () => {
    const { sink, writes } = answeringSink(() => retryable('ECONNREFUSED 127.0.0.1:8123'));
    const failures: number[] = [];
    const committer = new GroupCommitter(sink, {
      maxBatchRows: 100,
      maxPendingRows: 1000,
      retry: FAST_RETRY,
      onFailure: (_error, count) => failures.push(count),
    });

    const outcome = await committer.submit(rows('a'));

    expect(outcome).toMatchObject({ ok: false, reason: 'unavailable', message: expect.stringContaining('ECONNREFUSED') });
    if (outcome.ok) return;
    expect(outcome.retryAfterSeconds).toBeGreaterThanOrEqual(1);
    expect(writes).toHaveLength(FAST_RETRY.attempts);
    expect(failures).toEqual([1, 1, 1]);
    expect(committer.pendingRows).toBe(0);
  });

  it('does not retry a request the store refused as bad data', async () => {
    const { sink, writes } = answeringSink(() => rejectedByStore());
    const committer = new GroupCommitter(sink, { maxBatchRows: 100, maxPendingRows: 1000, retry: FAST_RETRY });

    const outcome = await committer.submit(rows('a'));

    expect(outcome).toMatchObject({ ok: false, reason: 'rejected', message: expect.stringContaining('Cannot parse input') });
    expect(writes).toHaveLength(1);
  });

  it('writes the requests of a refused batch one by one, so only the bad request fails', async () => {
    const { sink, writes } = answeringSink((ids) => (ids.includes('poison') ? rejectedByStore('poison row') : OK));
    const committer = new GroupCommitter(sink, { maxBatchRows: 100, maxPendingRows: 1000, retry: FAST_RETRY });

    const [good1, bad, good2] = await Promise.all([
      committer.submit(rows('a1', 'a2')),
      committer.submit(rows('b1', 'poison')),
      committer.submit(rows('c1')),
    ]);

    expect(good1).toEqual({ ok: true });
    expect(good2).toEqual({ ok: true });
    expect(bad).toMatchObject({ ok: false, reason: 'rejected', message: expect.stringContaining('poison row') });
    expect(writes.map((w) => w.ids)).toEqual([['a1', 'a2', 'b1', 'poison', 'c1'], ['a1', 'a2'], ['b1', 'poison'], ['c1']]);
    expect(committer.pendingRows).toBe(0);
  });

  it('reports commits with their row counts', async () => {
    const commits: number[] = [];
    const { sink } = answeringSink();
    const committer = new GroupCommitter(sink, { maxBatchRows: 100, maxPendingRows: 1000, onCommit: (count) => commits.push(count) });

    await Promise.all([committer.submit(rows('a', 'b')), committer.submit(rows('c'))]);

    expect(commits).toEqual([3]);
  });

  it('drain() waits until everything submitted has settled', async () => {
    const sink: EventSink = {
      write: () => new Promise((resolve) => setTimeout(() => resolve(OK), 2)),
    };
    const committer = new GroupCommitter(sink, { maxBatchRows: 2, maxPendingRows: 1000 });
    const outcomes = ['a', 'b', 'c', 'd', 'e'].map((id) => track(committer.submit(rows(id))));

    await committer.drain();

    expect(outcomes.map((o) => o.result)).toEqual(Array.from({ length: 5 }, () => ({ ok: true })));
    expect(committer.pendingRows).toBe(0);
  });

  it('drain() returns at once when nothing is waiting', async () => {
    const committer = new GroupCommitter(answeringSink().sink, { maxBatchRows: 2, maxPendingRows: 1000 });

    await expect(committer.drain()).resolves.toBeUndefined();
  });
});

describe('GroupCommitter: a caller that submits again as soon as its first submit resolved', () => {
  it('gets its second request written too (no request waits on a finished flush)', async () => {
    const { sink, writes } = answeringSink();
    const committer = new GroupCommitter(sink, { maxBatchRows: 100, maxPendingRows: 1_000 });
    expect(await committer.submit(rows('first'))).toEqual({ ok: true });
    const second = committer.submit(rows('second'));
    const result = await Promise.race([second, new Promise((resolve) => setTimeout(() => resolve('stuck'), 200))]);
    expect(result).toEqual({ ok: true });
    expect(writes).toHaveLength(2);
    expect(committer.pendingRows).toBe(0);
  });

  it('settles every request even when the sink throws instead of answering', async () => {
    const sink: EventSink = { write: () => Promise.reject(new Error('socket closed')) };
    const committer = new GroupCommitter(sink, { maxBatchRows: 100, maxPendingRows: 1_000, retry: { attempts: 2, baseDelayMs: 1 } });
    expect(await committer.submit(rows('x'))).toMatchObject({ ok: false, reason: 'unavailable', message: expect.stringContaining('socket closed') });
    expect(committer.pendingRows).toBe(0);
  });
});
