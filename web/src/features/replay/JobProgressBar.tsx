import type { ReplayJob } from '../../api/contracts';
import { progressSegments, progressText } from './shapeJobs';

/** A job's items by state as one bar of fixed height (so a push never moves anything), and the same in words. */
export function JobProgressBar({ job }: { job: Pick<ReplayJob, 'counts' | 'item_count'> }) {
  const text = progressText(job);
  return (
    <div className="replay-progress" data-testid="job-progress">
      <div className="replay-bar" aria-hidden="true">
        {progressSegments(job).map((s) => (
          <span key={s.state} className={`replay-bar-part replay-tone-${s.tone}`} style={{ width: `${s.percent}%` }} title={`${s.count} ${s.label}`} />
        ))}
      </div>
      <p className="replay-progress-text" data-testid="job-progress-text">
        {text}
      </p>
    </div>
  );
}
