import type { MouseEvent } from 'react';
import type { ExceptionDetail } from '../../api/contracts';
import { setUrlParams } from '../../url/useUrlParam';
import { replayHref } from './shapeDetail';

/**
 * The way from a failed step to sending it again: the Replay screen with this exception selected, opening on its
 * dry run (exactly what would be sent, to which target), so nothing goes out before a person has seen it.
 */
export function ExceptionReplayLink({ detail }: { detail: ExceptionDetail }) {
  const open = (event: MouseEvent<HTMLAnchorElement>) => {
    if (event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
    event.preventDefault();
    // A view switch keeps only the time range (ViewNav); the Replay screen takes the exception.
    setUrlParams({ view: 'replay', exception: detail.id }, ['range', 'from', 'to']);
    window.scrollTo({ top: 0 });
  };
  return (
    <section className="work-section" aria-labelledby="exc-replay-title" data-testid="exception-replay">
      <div className="exc-section-head">
        <h4 id="exc-replay-title">Replay</h4>
        <a href={replayHref(detail.id)} onClick={open} data-testid="exception-replay-link">
          Replay this step
        </a>
      </div>
      <p className="muted">
        {detail.replay_target === null
          ? 'The failed event names no replay target; the Replay screen says what it would take.'
          : `Send the failed event to ${detail.replay_target} again: a dry run shows exactly what would be sent before anything is.`}
      </p>
    </section>
  );
}
