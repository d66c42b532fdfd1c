import type { LiveStatus } from './useLiveThroughput';

const LABELS: Record<LiveStatus, string> = {
  connecting: 'Connecting to live updates…',
  live: 'Live',
  paused: 'Live updates paused — reconnecting…',
};

export function LiveIndicator({ status }: { status: LiveStatus }) {
  return (
    <p className={`live-indicator live-indicator-${status}`} role="status" data-testid="live-indicator" data-status={status}>
      <span className="live-dot" aria-hidden="true" />
      {LABELS[status]}
    </p>
  );
}
