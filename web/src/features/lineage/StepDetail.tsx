import type { LineageStep } from '../../api/contracts';
import { formatMoney } from '../../format/number';
import { formatTimestamp, parseApiTime } from '../../format/time';
import { useDashboards } from '../../dashboards/useDashboards';
import { CopyButton } from './CopyButton';
import { statusLabel } from './formatEvent';
import { stepStatus } from './layoutGraph';
import { traceHref } from './traceLink';

type Props = { correlationId: string; step: LineageStep; onClose: () => void };

/**
 * The events behind one step of the graph, each with the span that reported it. Flowlens stores spans in the
 * OpenTelemetry exporter's `otel_traces` layout, so the ids open the same trace in any tool reading those tables.
 */
export function StepDetail({ correlationId, step, onClose }: Props) {
  // Trace ids link to the team's trace viewer when the server was given its link (FLOWLENS_TRACE_URL).
  const traceTemplate = useDashboards().data?.links.trace ?? null;
  const headingId = `lx-step-${correlationId}-${step.id}`.replace(/[^A-Za-z0-9_-]/g, '_');
  return (
    <section className="lx-detail" aria-labelledby={headingId} data-testid="lineage-step-detail">
      <div className="lx-detail-header">
        <h4 id={headingId}>
          <code>{step.id}</code> by {step.system}
        </h4>
        <span className={`status-badge status-badge-${step.status}`}>{stepStatus(step)}</span>
        <button type="button" className="link-button lx-detail-close" onClick={onClose}>
          Close
        </button>
      </div>
      <dl className="lx-facts">
        <div>
          <dt>First event</dt>
          <dd>{formatTimestamp(parseApiTime(step.first_at))}</dd>
        </div>
        <div>
          <dt>Succeeded</dt>
          <dd>{step.ok_at === null ? 'not yet' : formatTimestamp(parseApiTime(step.ok_at))}</dd>
        </div>
        <div>
          <dt>Amount</dt>
          <dd>{step.amount === null ? '—' : formatMoney(step.amount, step.currency ?? '')}</dd>
        </div>
        {step.channel !== null && (
          <div>
            <dt>Channel</dt>
            <dd>{step.channel}</dd>
          </div>
        )}
      </dl>
      <div className="table-scroll">
        <table className="lx-events-table">
          <caption className="visually-hidden">Events and spans of {step.id}</caption>
          <thead>
            <tr>
              <th scope="col">Status</th>
              <th scope="col">When</th>
              <th scope="col">Event</th>
              <th scope="col">Trace</th>
              <th scope="col">Span</th>
            </tr>
          </thead>
          <tbody>
            {step.events.map((e) => (
              <tr key={e.event_id}>
                <td>
                  <span className={`status-badge status-badge-${e.status}`}>{statusLabel(e.status)}</span>
                  {e.replay_of !== null && <span className="lx-replay">replay of <code>{e.replay_of}</code></span>}
                </td>
                <td className="lx-nowrap">{formatTimestamp(parseApiTime(e.occurred_at))}</td>
                <td>
                  <IdWithCopy id={e.event_id} what="event id" />
                </td>
                <td data-testid="lineage-trace-id">
                  {e.trace_id === null ? <span className="muted">no span</span> : <IdWithCopy id={e.trace_id} what="trace id" href={traceHref(traceTemplate, e.trace_id, e.span_id)} />}
                </td>
                <td>{e.span_id === null ? <span className="muted">—</span> : <IdWithCopy id={e.span_id} what="span id" />}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}

function IdWithCopy({ id, what, href = null }: { id: string; what: string; href?: string | null }) {
  return (
    <span className="lx-id">
      {href === null ? (
        <code>{id}</code>
      ) : (
        <a href={href} target="_blank" rel="noreferrer" title={`Open this ${what.replace(' id', '')} in the trace viewer`} data-testid="lineage-trace-link">
          <code>{id}</code>
        </a>
      )}{' '}
      <CopyButton text={id} what={what} />
    </span>
  );
}
