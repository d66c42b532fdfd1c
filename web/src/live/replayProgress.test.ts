import { QueryClient } from '@tanstack/react-query';
import { describe, expect, it } from 'vitest';
import type { ReplayJob, ReplayJobList, ReplayProgress } from '../api/contracts';
import { replayJobKey, replayJobListKey } from '../api/queryKeys';
import { jobDetail, replayJob } from '../features/replay/replayFixtures';
import { applyReplayProgress, listWithProgress, withProgress } from './replayProgress';

const progress = (over: Partial<ReplayProgress> = {}): ReplayProgress => ({
  job_id: 'rpl-0123456789abcdef0123',
  state: 'running',
  item_count: 10,
  counts: { applied: 6, unknown: 1, sending: 1, pending: 2, rejected: 0 },
  current: { event_id: 'evt-erp-8', target: 'erp', state: 'sending' },
  at: 1,
  ...over,
});

describe('replay progress pushes', () => {
  it('give the job its new state, counts (zeros dropped), current item and items needing a decision', () => {
    expect(withProgress(replayJob(), progress())).toMatchObject({
      state: 'running',
      counts: { applied: 6, unknown: 1, sending: 1, pending: 2 },
      current: { event_id: 'evt-erp-8', target: 'erp', state: 'sending' },
      needs_decision: 1,
      reason: 'The ERP is back',
    });
    const other = replayJob({ id: 'rpl-other' });
    expect(withProgress(other, progress())).toBe(other);
  });

  it('leave a page of jobs without the job as it was', () => {
    const list: ReplayJobList = { total: 1, offset: 0, jobs: [replayJob({ id: 'rpl-other' })] };
    expect(listWithProgress(list, progress())).toBe(list);
  });

  it('write into every cached list and detail of the job; an unknown job makes the lists ask again', () => {
    const client = new QueryClient();
    const listKey = replayJobListKey('limit=20&offset=0');
    client.setQueryData(listKey, { total: 1, offset: 0, jobs: [replayJob()] });
    client.setQueryData(replayJobKey('rpl-0123456789abcdef0123', 0), jobDetail());

    applyReplayProgress(client, progress({ state: 'done', current: null, counts: { applied: 10 } }));

    expect(client.getQueryData<ReplayJobList>(listKey)?.jobs[0]).toMatchObject({ state: 'done', counts: { applied: 10 }, current: null });
    expect(client.getQueryData<ReplayJob>(replayJobKey('rpl-0123456789abcdef0123', 0))).toMatchObject({ state: 'done', counts: { applied: 10 } });
    // Ended: its items and outcomes are read again.
    expect(client.getQueryState(replayJobKey('rpl-0123456789abcdef0123', 0))?.isInvalidated).toBe(true);
    expect(client.getQueryState(listKey)?.isInvalidated).toBe(false);

    applyReplayProgress(client, progress({ job_id: 'rpl-new' }));
    expect(client.getQueryState(listKey)?.isInvalidated).toBe(true);
  });
});
