import type { AlertDetail } from '../../api/contracts';
import { formatDuration } from '../../format/duration';
import { notificationLines, transitionsByEpisode } from './shapeAlertDetail';
import { lastNotifications } from './shapeAlerts';

/** The alert's record: where it is routed, its lifecycle episode by episode, and every notification sent. */
export function AlertTimeline({ detail }: { detail: AlertDetail }) {
  const episodes = transitionsByEpisode(detail);
  const notifications = notificationLines(detail);
  const receivers = lastNotifications(detail);
  return (
    <>
      <section className="work-section" aria-labelledby="alert-receivers-title">
        <h4 id="alert-receivers-title">Routed to</h4>
        {receivers.length === 0 ? (
          <p className="muted">No route in dashboards/alerts/routes.yaml matches it: it is shown and recorded here, never sent.</p>
        ) : (
          <ul className="alert-receivers alert-receivers-detail">
            {receivers.map((s) => {
              const r = detail.receivers.find((x) => x.id === s.receiver);
              return (
                <li key={s.receiver} className={`alert-receiver alert-receiver-${s.tone}`}>
                  <span className="alert-receiver-name">{s.receiver}</span>
                  {r !== undefined && ` (${r.type}${r.configured ? `, reminds every ${formatDuration(r.renotify_ms)}` : ''})`}: {s.text}
                </li>
              );
            })}
          </ul>
        )}
      </section>
      <section className="work-section" aria-labelledby="alert-lifecycle-title">
        <h4 id="alert-lifecycle-title">Lifecycle</h4>
        {episodes.map((e) => (
          <div key={e.episode} className="alert-episode">
            <p className="alert-episode-title">
              Episode {e.episode}
              {e.current ? ' (latest)' : ''}
            </p>
            <ol className="work-history alert-history" data-testid={e.current ? 'alert-transitions' : undefined}>
              {e.lines.map((line) => (
                <li key={line.key} data-testid="alert-transition">
                  <span>
                    <span className={`work-badge alert-state-${line.state}`}>{line.stateLabel}</span> <strong>{line.actor}</strong>
                  </span>
                  <time className="work-history-when" dateTime={new Date(line.at).toISOString()}>
                    {line.time}
                  </time>
                  {line.note !== '' && <p className="work-history-note">{line.note}</p>}
                </li>
              ))}
            </ol>
          </div>
        ))}
      </section>
      <section className="work-section" aria-labelledby="alert-notifications-title">
        <h4 id="alert-notifications-title">Notifications</h4>
        {notifications.length === 0 ? (
          <p className="muted">Nothing sent yet{detail.alert.fired_at === null ? ': notifications go out once it fires' : ''}.</p>
        ) : (
          <div className="table-scroll">
            <table className="figures-table alert-notifications" data-testid="alert-notifications">
              <thead>
                <tr>
                  <th scope="col">At</th>
                  <th scope="col">Receiver</th>
                  <th scope="col">Sent</th>
                  <th scope="col">Outcome</th>
                  <th scope="col">Attempt</th>
                  <th scope="col">Answer</th>
                </tr>
              </thead>
              <tbody>
                {notifications.map((n) => (
                  <tr key={n.key}>
                    <td>{n.time}</td>
                    <td>{n.receiver}</td>
                    <td>{n.action}</td>
                    <td>{n.status}</td>
                    <td>{n.attempt}</td>
                    <td className="cell-cut" title={n.response}>
                      {n.response}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>
    </>
  );
}
