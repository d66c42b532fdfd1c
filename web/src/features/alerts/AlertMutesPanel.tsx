import type { PanelProps } from '../../dashboards/panelProps';
import { formatClock } from '../../format/time';
import { LoadFailed } from '../../ui/LoadFailed';
import { PermissionNote } from '../../ui/PermissionNote';
import { ActionFeedback } from './ActionFeedback';
import { deleteMute } from './api';
import { hrefWith, followInPlace } from './links';
import { muteLine, sortMutes } from './muteForm';
import { useAlertActions } from './useAlertActions';
import { useMutes } from './useAlertQueries';
import './alerts.css';

/**
 * Mutes in force, scheduled, or ended within the last day: what each holds back, until when, who set it and why;
 * one in force can be ended here, by an operator (recorded as the signed-in person).
 */
export function AlertMutesPanel(_props: PanelProps<'alertMutes'>) {
  const query = useMutes();
  const actions = useAlertActions('end mutes');
  const list = query.data;
  if (list === undefined) {
    return query.isError ? (
      <LoadFailed what="the mutes" error={query.error} onRetry={() => void query.refetch()} className="state-message state-message-error" />
    ) : (
      <p className="state-message" role="status">
        Loading mutes…
      </p>
    );
  }
  const lines = sortMutes(list.mutes, list.at).map((m) => muteLine(m, list.at));
  return (
    <div className="alert-mutes" data-testid="alert-mutes">
      <p className="panel-summary">
        {lines.filter((l) => l.status === 'active').length} in force · as of {formatClock(list.at)}
        {query.isError ? ` · the last refresh failed: ${query.error.message}` : ''}
      </p>
      {lines.length === 0 ? (
        <div className="state-message" data-testid="mutes-empty">
          <p>
            <strong>No mutes in force or ended in the last day</strong>
          </p>
          <p>Open an alert above and mute it (or its policy, rule or owner) during planned work: its notifications are held back, it still shows here.</p>
        </div>
      ) : (
        <ul className="alert-mute-list">
          {lines.map((line) => (
            <li key={line.id} className={`alert-mute alert-mute-${line.status}`} data-testid="mute" data-status={line.status}>
              <span className={`work-badge alert-mute-status-${line.status}`}>{line.statusLabel}</span>
              <span className="alert-mute-what">
                {line.alertId !== undefined ? (
                  <a href={hrefWith({ alert: line.alertId })} onClick={followInPlace({ alert: line.alertId })}>
                    {line.what}
                  </a>
                ) : (
                  line.what
                )}{' '}
                <span className="muted">{line.when}</span>
              </span>
              <span className="alert-mute-why">
                {line.by}: {line.reason}
              </span>
              {line.canEnd && (
                <button
                  type="button"
                  className="action-button"
                  disabled={actions.pending || !actions.permit.allowed}
                  title={actions.permit.reason}
                  onClick={() => void actions.run(() => deleteMute(line.id), `Ended the mute of ${line.what}`)}
                >
                  End mute
                </button>
              )}
            </li>
          ))}
        </ul>
      )}
      {lines.some((l) => l.canEnd) && <PermissionNote permit={actions.permit} />}
      <ActionFeedback feedback={actions.feedback} testId="mutes-feedback" />
    </div>
  );
}
