import { Component, Suspense, type ReactNode } from 'react';
import type { DashboardPanel } from '../api/contracts';
import type { TimeRange } from '../url/timeRange';
import { PANELS } from './panelRegistry';

/**
 * One panel of a view: its frame (title and description from the view file, width), the component of its kind,
 * and what shows while that component's code loads or if it crashes — one broken panel never blanks a screen.
 */
export function PanelFrame({ panel, range }: { panel: DashboardPanel; range: TimeRange | undefined }) {
  const titleId = `panel-${panel.id}-title`;
  return (
    <section className={`panel panel-${panel.width}`} aria-labelledby={titleId} data-panel={panel.id} data-kind={panel.kind}>
      <header className="panel-header">
        <h2 id={titleId}>{panel.title}</h2>
        {panel.description !== undefined && <p className="panel-description">{panel.description}</p>}
      </header>
      <PanelBoundary title={panel.title}>
        <Suspense fallback={<p className="state-message" role="status">Loading {panel.title.toLowerCase()}…</p>}>
          <PanelBody panel={panel} range={range} />
        </Suspense>
      </PanelBoundary>
    </section>
  );
}

function PanelBody({ panel, range }: { panel: DashboardPanel; range: TimeRange | undefined }) {
  // The registry maps each kind to the component taking that kind's props; TypeScript cannot follow the pairing.
  const Body = PANELS[panel.kind] as React.ComponentType<{ panel: DashboardPanel; range: TimeRange | undefined }> | undefined;
  if (Body === undefined) {
    return (
      <p className="state-message state-message-error" role="alert">
        This Flowlens web app has no “{panel.kind}” panel. Build the web app from the same version as the server (npm run build:web).
      </p>
    );
  }
  return <Body panel={panel} range={range} />;
}

type BoundaryState = { error: Error | undefined };

class PanelBoundary extends Component<{ title: string; children: ReactNode }, BoundaryState> {
  override state: BoundaryState = { error: undefined };

  static getDerivedStateFromError(error: unknown): BoundaryState {
    return { error: error instanceof Error ? error : new Error(String(error)) };
  }

  override render() {
    const { error } = this.state;
    if (error === undefined) return this.props.children;
    const chunk = /dynamically imported module|Failed to fetch|Importing a module script failed/i.test(error.message);
    return (
      <div className="state-message state-message-error" role="alert">
        <p>
          {chunk ? `Could not load the code of “${this.props.title}”: the server may have been upgraded.` : `“${this.props.title}” failed to show: ${error.message}`}
        </p>
        <p>
          <button type="button" className="link-button" onClick={() => (chunk ? window.location.reload() : this.setState({ error: undefined }))}>
            {chunk ? 'Reload the page' : 'Try again'}
          </button>
        </p>
      </div>
    );
  }
}
