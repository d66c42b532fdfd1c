import { useState } from 'react';
import { useDashboards } from '../../dashboards/useDashboards';
import { CopyButton } from './CopyButton';
import type { TimelineEntry } from './formatEvent';
import { timelineSystems } from './formatEvent';
import { KeyChipList } from './KeyChips';
import type { MissingView } from './shapeChain';
import { traceHref } from './traceLink';

type Props = {
  entries: readonly TimelineEntry[];
  missing: readonly MissingView[];
  /** `?system=`: only this system's events ('' for all). */
  system: string;
  onSystem: (system: string) => void;
  selected: { correlation: string; step: string };
  onSelectKey: (key: string) => void;
};

/** Events listed before "Show all": a settlement's chain can hold thousands. */
const FIRST_SHOWN = 200;

/**
 * Every event of the chain in the order it happened — attempts, retries, replays and errors as they came —
 * optionally one system's only, then the steps still expected, with their age.
 */
export function LineageTimeline({ entries, missing, system, onSystem, selected, onSelectKey }: Props) {
  const [showAll, setShowAll] = useState(false);
  const systems = timelineSystems(entries);
  const filtered = system === '' ? entries : entries.filter((e) => e.system === system);
  const shown = showAll ? filtered : filtered.slice(0, FIRST_SHOWN);
  const expected = system === '' ? missing : missing.filter((m) => m.systems.split(' or ').includes(system));

  return (
    <div className="lx-timeline">
      <div className="lx-filter" role="group" aria-label="Show the events of">
        <button type="button" className="lx-filter-button" aria-pressed={system === ''} onClick={() => onSystem('')}>
          All systems <span className="muted">{entries.length}</span>
        </button>
        {systems.map((s) => (
          <button key={s.system} type="button" className="lx-filter-button" aria-pressed={system === s.system} onClick={() => onSystem(s.system)} data-testid="lineage-system-filter">
            {s.system} <span className="muted">{s.count}</span>
          </button>
        ))}
      </div>
      {system !== '' && !systems.some((s) => s.system === system) && (
        <p className="inline-notice" role="status">
          No event of this chain comes from “{system}”.{' '}
          <button type="button" className="link-button" onClick={() => onSystem('')}>
            Show every system
          </button>
        </p>
      )}
      <ol className="timeline" data-testid="lineage-events">
        {shown.map((entry) => (
          <TimelineItem key={entry.eventId} entry={entry} highlighted={entry.correlationId === selected.correlation && entry.stepId === selected.step} onSelectKey={onSelectKey} />
        ))}
        {expected.map((m) => (
          <li key={`${m.correlationId}:${m.label}`} className={`timeline-item lx-expected${m.overdue ? ' lx-expected-overdue' : ''}`} data-testid="lineage-timeline-missing" data-step={m.step} data-correlation={m.correlationId}>
            <div className="timeline-when">
              <span>not arrived</span>
              <span className="timeline-offset">waiting {m.age}</span>
            </div>
            <div className="timeline-what">
              <div className="timeline-title">
                <span className="status-badge lx-badge-missing">Missing</span>
                <span className="timeline-step">{m.label}</span>
                <span className="timeline-flow">{m.flow}</span>
              </div>
              <div className="timeline-facts">
                <span>expected from {m.systems}</span>
                <span>{m.progress}</span>
                {m.slas.map((s) => (
                  <span key={s.policy} className={s.overdue ? 'lx-sla-overdue' : undefined}>
                    {s.name}: {s.verdict}
                  </span>
                ))}
                <span className="muted">
                  correlation <code>{m.correlationId}</code>
                </span>
              </div>
            </div>
          </li>
        ))}
      </ol>
      {shown.length < filtered.length && (
        <p>
          <button type="button" className="link-button" onClick={() => setShowAll(true)}>
            Show all {filtered.length} events
          </button>
        </p>
      )}
    </div>
  );
}

function TimelineItem({ entry, highlighted, onSelectKey }: { entry: TimelineEntry; highlighted: boolean; onSelectKey: (key: string) => void }) {
  const template = useDashboards().data?.links.trace ?? null;
  const trace = entry.traceId === null ? null : traceHref(template, entry.traceId, entry.spanId);
  return (
    <li className={`timeline-item status-${entry.status}${highlighted ? ' lx-highlighted' : ''}`} data-testid="lineage-event" data-step={entry.step} data-correlation={entry.correlationId}>
      <div className="timeline-when">
        <time dateTime={new Date(entry.at).toISOString()}>{entry.time}</time>
        <span className="timeline-offset">{entry.offset}</span>
      </div>
      <div className="timeline-what">
        <div className="timeline-title">
          <span className={`status-badge status-badge-${entry.status}`}>{entry.statusLabel}</span>
          <span className="timeline-step">{entry.step}</span>
          <span className="timeline-flow">{entry.flow}</span>
          {entry.attempt !== null && <span className="lx-attempt">{entry.attempt}</span>}
          {entry.replayOf !== null && <span className="lx-replay">replay of <code>{entry.replayOf}</code></span>}
        </div>
        <div className="timeline-facts">
          <span className="timeline-route">{entry.route}</span>
          {entry.amount !== null && <span className="timeline-amount">{entry.amount}</span>}
          {entry.details.map((detail) => (
            <span key={detail}>{detail}</span>
          ))}
          <span className="muted">
            correlation <code>{entry.correlationId}</code>
          </span>
          {entry.traceId !== null && (
            <span className="lx-span-ids">
              trace{' '}
              {trace === null ? (
                <code title={entry.traceId}>{entry.traceId.slice(0, 8)}…</code>
              ) : (
                <a href={trace} target="_blank" rel="noreferrer" title="Open this span in the trace viewer">
                  <code>{entry.traceId.slice(0, 8)}…</code>
                </a>
              )}{' '}
              <CopyButton text={entry.traceId} what="trace id" />
              {entry.spanId !== null && (
                <>
                  {' '}span <code>{entry.spanId}</code>
                </>
              )}
            </span>
          )}
        </div>
        {entry.error !== null && <p className="timeline-error">{entry.error}</p>}
        {entry.keys.length > 0 && <KeyChipList chips={entry.keys} onSelectKey={onSelectKey} label="Business keys" />}
      </div>
    </li>
  );
}
