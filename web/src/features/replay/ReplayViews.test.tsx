import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import type { ReactNode } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import type { DashboardPanel } from '../../api/contracts';
import { replayJobListKey } from '../../api/queryKeys';
import { dryRunKey } from './api';
import { DryRunPreview } from './DryRunPreview';
import { ReplayJobsPanel } from './ReplayJobsPanel';
import { ReplaySelectionPanel } from './ReplaySelectionPanel';
import { dryRun, plannedItem, replayJob, T0 } from './replayFixtures';
import { sessionQueryKey } from '../../auth/api';

const signedIn = (name: string, role: 'viewer' | 'operator') => (c: QueryClient) => c.setQueryData(sessionQueryKey(), { session: { name, role, via: 'session', expires_at: T0 + 3_600_000 } });

function render(node: ReactNode, seed: (client: QueryClient) => void = () => {}): string {
  const client = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  seed(client);
  return renderToStaticMarkup(<QueryClientProvider client={client}>{node}</QueryClientProvider>);
}

const selection = { kind: 'exception', exception_id: '0123456789abcdef' } as const;
const jobsPanel = { id: 'jobs', kind: 'replayJobs', title: 'Jobs', width: 'full', options: { pageSize: 20 } } as Extract<DashboardPanel, { kind: 'replayJobs' }>;
const selectionPanel = { id: 'selection', kind: 'replaySelection', title: 'Select', width: 'full', options: { pageSize: 50 } } as Extract<DashboardPanel, { kind: 'replaySelection' }>;

describe('the replay selection', () => {
  it('asks what to replay before previewing anything', () => {
    const html = render(<ReplaySelectionPanel panel={selectionPanel} range={{ kind: 'relative', range: '1h' }} />);
    expect(html).toContain('data-testid="replay-pick"');
    expect(html).toContain('Dry run</button>');
    // Who acts is the signed-in person: there is no name to type.
    expect(html).not.toContain('Acting as');
  });
});

describe('a dry run', () => {
  it('shows each event sent or skipped with why, exactly what would be sent (secrets as the API gives them), and the run form', () => {
    const skipped = plannedItem({ event_id: 'evt-2', action: 'skip', skip: { reason: 'already_applied', message: 'already replayed by job rpl-1', job_id: 'rpl-1' }, request: null });
    const html = render(<DryRunPreview selection={selection} pageSize={50} onAgain={() => {}} />, (c) =>
      c.setQueryData(dryRunKey(JSON.stringify(selection), 0), { selection, answer: dryRun([plannedItem(), skipped], { approval_flows: ['order_to_cash'] }) }),
    );
    expect(html).toContain('Would send 1 of 2 events; 1 skipped. Nothing has been sent.');
    expect(html).toContain('four eyes for order_to_cash');
    const items = [...html.matchAll(/data-testid="dry-run-item" data-action="(\w+)" data-event="([\w-]+)"/g)].map((m) => [m[1], m[2]]);
    expect(items).toEqual([
      ['send', 'evt-erp-1'],
      ['skip', 'evt-2'],
    ]);
    expect(html).toContain('<strong>POST</strong> <code>http://127.0.0.1:9000/erp/v1/postings</code>');
    expect(html).toContain('<th scope="row">Authorization</th><td><code>•••</code><span class="muted"> (secret, not shown)</span></td>');
    expect(html).toContain('already replayed by job rpl-1');
    expect(html).toContain('Run: send 1 event</button>');
  });

  it('says nothing would be sent, and why, when every event is skipped', () => {
    const noTarget = plannedItem({ action: 'skip', skip: { reason: 'no_target', message: 'no replay target "erp" is configured (FLOWLENS_REPLAY_TARGETS)', job_id: null }, request: null });
    const html = render(<DryRunPreview selection={selection} pageSize={50} onAgain={() => {}} />, (c) => c.setQueryData(dryRunKey(JSON.stringify(selection), 0), { selection, answer: dryRun([noTarget]) }));
    expect(html).toContain('No replay target is configured for these events: set FLOWLENS_REPLAY_TARGETS');
    expect(html).toMatch(/disabled="">Nothing to send<\/button>/);
  });
});

describe('the jobs', () => {
  it('lists jobs newest first with their state and progress; one awaiting approval offers Approve and says who may', () => {
    const waiting = replayJob({ id: 'rpl-aaaaaaaaaaaaaaaaaaaa', state: 'awaiting_approval', approval_flows: ['order_to_cash'], counts: { pending: 10 }, current: null });
    const html = render(<ReplayJobsPanel panel={jobsPanel} range={undefined} />, (c) =>
      c.setQueryData(replayJobListKey('limit=20&offset=0'), { total: 2, offset: 0, jobs: [waiting, replayJob()] }),
    );
    const jobs = [...html.matchAll(/data-testid="replay-job" data-id="([\w-]+)" data-state="(\w+)"/g)].map((m) => [m[1], m[2]]);
    expect(jobs).toEqual([
      ['rpl-aaaaaaaaaaaaaaaaaaaa', 'awaiting_approval'],
      ['rpl-0123456789abcdef0123', 'running'],
    ]);
    expect(html).toContain('data-testid="job-approve"');
    expect(html).toContain('needs a second operator (order_to_cash)');
    expect(html).toContain('5 of 10 done · 4 applied · 1 rejected by the target · 1 sending · 4 pending');
    expect(html).toContain('now: evt-erp-6 → erp (sending)');
  });

  it('keeps Approve from whoever asked for the job (four eyes) and from viewers, saying why', () => {
    const waiting = replayJob({ id: 'rpl-aaaaaaaaaaaaaaaaaaaa', state: 'awaiting_approval', approval_flows: ['order_to_cash'], requested_by: 'olga', counts: { pending: 10 }, current: null });
    const seed = (role: 'viewer' | 'operator', name: string) => (c: QueryClient) => {
      signedIn(name, role)(c);
      c.setQueryData(replayJobListKey('limit=20&offset=0'), { total: 1, offset: 0, jobs: [waiting] });
    };
    const approve = (html: string) => /<button type="button" class="action-button action-button-primary"( disabled="")? title="([^"]*)" data-testid="job-approve"/.exec(html);

    const asker = render(<ReplayJobsPanel panel={jobsPanel} range={undefined} />, seed('operator', 'olga'));
    expect(approve(asker)?.[1]).toBe(' disabled=""');
    expect(asker).toContain('You asked for this replay; a second operator must approve it');

    const second = render(<ReplayJobsPanel panel={jobsPanel} range={undefined} />, seed('operator', 'omar'));
    expect(approve(second)?.[1]).toBeUndefined();
    expect(approve(second)?.[2]).toContain('Asked for by olga; approving it as a second operator sends it');

    const viewer = render(<ReplayJobsPanel panel={jobsPanel} range={undefined} />, seed('viewer', 'vera'));
    expect(approve(viewer)?.[1]).toBe(' disabled=""');
    expect(viewer).toContain('data-testid="permission-note">Viewers can&#x27;t dry-run, run, approve or cancel replays — ask an operator');
  });

  it('says what a job is and how to start one when there is none', () => {
    const html = render(<ReplayJobsPanel panel={jobsPanel} range={undefined} />, (c) => c.setQueryData(replayJobListKey('limit=20&offset=0'), { total: 0, offset: 0, jobs: [] }));
    expect(html).toContain('No replay has been run here yet');
  });
});
