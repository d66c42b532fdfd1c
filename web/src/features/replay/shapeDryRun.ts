import { SKIP_REASONS, type DryRun, type PlannedItem } from '../../api/contracts';
import { formatCount } from '../../format/number';
import { formatTimestamp, type TimeFormatOptions } from '../../format/time';

type SkipReason = (typeof SKIP_REASONS)[number];

/** Why an event would be skipped, said short (the item's own message says it in full). */
export const SKIP_LABELS: Readonly<Record<SkipReason, string>> = {
  not_failed: 'not failed',
  no_payload: 'no payload to send',
  no_target: 'no replay target',
  already_applied: 'already replayed',
  in_progress: 'replay in progress',
  unknown_outcome: 'awaiting a decision',
  later_success: 'a later success',
  key_applied: 'target already has it',
};

export type DryRunSummary = {
  /** "Would send 12 of 15 events; 3 skipped." */
  headline: string;
  skipped: { reason: SkipReason; label: string; count: number }[];
  /** Set when a job of this selection waits for a second operator. */
  approval: string | undefined;
  /** Set when events name a replay target this server does not have: what to configure. */
  noTarget: string | undefined;
};

/** What a dry run found, as the screen says it above the items. */
export function dryRunSummary(answer: DryRun): DryRunSummary {
  const skippedCount = answer.total - answer.send;
  const events = (n: number) => `${formatCount(n)} ${n === 1 ? 'event' : 'events'}`;
  const headline =
    answer.total === 0
      ? 'No failed or dead-lettered events match this selection.'
      : `Would send ${formatCount(answer.send)} of ${events(answer.total)}${skippedCount > 0 ? `; ${formatCount(skippedCount)} skipped` : ''}. Nothing has been sent.`;
  const skipped = SKIP_REASONS.filter((r) => (answer.skipped[r] ?? 0) > 0).map((reason) => ({ reason, label: SKIP_LABELS[reason], count: answer.skipped[reason] ?? 0 }));
  const noTargets = answer.skipped.no_target ?? 0;
  const noTarget =
    noTargets === 0
      ? undefined
      : noTargets === answer.total
        ? 'No replay target is configured for these events: set FLOWLENS_REPLAY_TARGETS (a JSON object keyed by target name, e.g. {"erp": {"url": "https://erp.example.com/v1/postings"}}) and restart Flowlens. See docs/configuration.md.'
        : `${events(noTargets)} ${noTargets === 1 ? 'names' : 'name'} a replay target that is not configured: add it to FLOWLENS_REPLAY_TARGETS and restart Flowlens to replay ${noTargets === 1 ? 'it' : 'them'} too.`;
  const approval =
    answer.approval_flows.length === 0
      ? undefined
      : `A job of this selection waits for a second operator's approval before anything is sent (four eyes for ${answer.approval_flows.join(', ')}).`;
  return { headline, skipped, approval, noTarget };
}

export type PreviewItem = {
  key: string;
  eventId: string;
  step: string;
  flow: string;
  correlationId: string;
  occurred: string;
  target: string;
  action: PlannedItem['action'];
  /** Why it is skipped; '' when it would be sent. */
  reason: string;
  request: PlannedItem['request'];
  /** The body as it would be sent, JSON indented for reading (the bytes sent are the API's `body`). */
  body: string;
};

export function previewItem(item: PlannedItem, options: TimeFormatOptions = {}): PreviewItem {
  return {
    key: `${item.event_id}|${item.target ?? ''}`,
    eventId: item.event_id,
    step: item.step,
    flow: item.flow,
    correlationId: item.correlation_id,
    occurred: formatTimestamp(item.occurred_at, options),
    target: item.target ?? '–',
    action: item.action,
    reason: item.skip?.message ?? '',
    request: item.request,
    body: item.request === null ? '' : readableBody(item.request.body, item.request.body_format),
  };
}

/** JSON indented two spaces; text (or JSON that does not parse) exactly as it is. */
export function readableBody(body: string, format: 'json' | 'text'): string {
  if (format !== 'json') return body;
  try {
    return JSON.stringify(JSON.parse(body), null, 2);
  } catch {
    return body;
  }
}

/** "51–100 of 240". */
export function itemsRange(answer: Pick<DryRun, 'offset' | 'total' | 'items'>): string {
  if (answer.total === 0) return 'none';
  const first = answer.offset + 1;
  const last = answer.offset + answer.items.length;
  return first === 1 && last === answer.total ? formatCount(answer.total) : `${formatCount(first)}–${formatCount(last)} of ${formatCount(answer.total)}`;
}
