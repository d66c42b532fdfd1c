import { useMemo } from 'react';
import type { MouseEvent } from 'react';
import type { LineageResponse } from '../../api/contracts';
import { urlWithParam } from '../../url/useUrlParam';
import { correlationSummaries, lineageHeadline, timelineEntries } from './formatEvent';
import type { KeyChip, TimelineEntry } from './formatEvent';

type Props = {
  lineage: LineageResponse;
  /** Follow a key shown in the timeline, as if it had been searched. */
  onSelectKey: (key: string) => void;
};

export function LineageTimeline({ lineage, onSelectKey }: Props) {
  const entries = useMemo(() => timelineEntries(lineage), [lineage]);
  const correlations = useMemo(() => correlationSummaries(lineage), [lineage]);

  return (
    <div className="lineage-result">
      <div className="lineage-result-header">
        <h3 id="lineage-result-title">
          Lineage for <code>{lineage.key}</code>
        </h3>
        <p className="muted" data-testid="lineage-headline">{lineageHeadline(lineage)}</p>
      </div>

      {lineage.truncated && (
        <p className="inline-notice" role="status">
          The search stopped after {correlations.length} correlations, so some linked flows are not shown. Search a
          more specific key (a refund or settlement id) to see the rest.
        </p>
      )}

      <h4>Correlations</h4>
      <div className="table-scroll">
        <table className="correlations" data-testid="lineage-correlations">
          <thead>
            <tr>
              <th scope="col">Correlation</th>
              <th scope="col">Flows</th>
              <th scope="col">Linked by</th>
              <th scope="col">Events</th>
              <th scope="col">First event</th>
              <th scope="col">Running for</th>
            </tr>
          </thead>
          <tbody>
            {correlations.map((c) => (
              <tr key={c.correlationId}>
                <td>
                  <code>{c.correlationId}</code>
                </td>
                <td>{c.flows}</td>
                <td data-testid="lineage-linked-by">{c.linkedBy}</td>
                <td className="numeric">{c.events}</td>
                <td>{c.firstAt}</td>
                <td className="numeric">{c.duration}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>

      <h4>Events in time order</h4>
      <ol className="timeline" data-testid="lineage-events">
        {entries.map((entry) => (
          <TimelineItem key={entry.eventId} entry={entry} onSelectKey={onSelectKey} />
        ))}
      </ol>
    </div>
  );
}

function TimelineItem({ entry, onSelectKey }: { entry: TimelineEntry; onSelectKey: (key: string) => void }) {
  return (
    <li className={`timeline-item status-${entry.status}`} data-testid="lineage-event" data-step={entry.step}>
      <div className="timeline-when">
        <time dateTime={new Date(entry.at).toISOString()}>{entry.time}</time>
        <span className="timeline-offset">{entry.offset}</span>
      </div>
      <div className="timeline-what">
        <div className="timeline-title">
          <span className={`status-badge status-badge-${entry.status}`}>{entry.statusLabel}</span>
          <span className="timeline-step">{entry.step}</span>
          <span className="timeline-flow">{entry.flow}</span>
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
          {entry.replayOf !== null && (
            <span className="muted">
              replay of <code>{entry.replayOf}</code>
            </span>
          )}
        </div>
        {entry.error !== null && <p className="timeline-error">{entry.error}</p>}
        {entry.keys.length > 0 && (
          <ul className="key-chips" aria-label="Business keys">
            {entry.keys.map((chip) => (
              <li key={chip.name}>
                <KeyLink chip={chip} onSelectKey={onSelectKey} />
              </li>
            ))}
          </ul>
        )}
      </div>
    </li>
  );
}

/** A real link (opens in a new tab with a modifier key), followed in place on a plain click. */
function KeyLink({ chip, onSelectKey }: { chip: KeyChip; onSelectKey: (key: string) => void }) {
  const follow = (event: MouseEvent<HTMLAnchorElement>) => {
    if (event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
    event.preventDefault();
    onSelectKey(chip.value);
  };
  return (
    <a
      className={chip.isSearched ? 'key-chip key-chip-searched' : 'key-chip'}
      href={urlWithParam('key', chip.value)}
      onClick={follow}
      title={`Trace ${chip.name} ${chip.value}`}
      aria-current={chip.isSearched ? 'true' : undefined}
    >
      <span className="key-chip-name">{chip.name}</span> {chip.value}
    </a>
  );
}
