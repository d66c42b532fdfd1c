import type { DashboardView } from './api/contracts';
import { SessionMenu } from './auth/SessionMenu';
import { useCurrentSession } from './auth/useSession';
import { ViewNav } from './dashboards/ViewNav';
import { viewsFor } from './dashboards/viewAccess';
import { ViewScreen } from './dashboards/ViewScreen';
import { useDashboards } from './dashboards/useDashboards';
import { AlertBanner } from './features/alerts/AlertBanner';
import { LiveIndicator } from './live/LiveIndicator';
import { LiveStatusContext } from './live/liveStatus';
import { useLiveThroughput } from './live/useLiveThroughput';
import { LoadFailed } from './ui/LoadFailed';
import { urlWithParam, useUrlParam } from './url/useUrlParam';

/**
 * The dashboard: one screen per view file of `dashboards/views/`, chosen by `?view=` (the first view when none is
 * named), each a link to paste into an incident channel. `?wall=1` shows the home view for a TV — dark, large
 * type, no chrome. Under the header of every screen (and atop the wall), the alert banner says when alerts are
 * firing and nobody has acknowledged them. Only someone signed in gets here (auth/AuthGate.tsx); the header says
 * who, and the menu leaves out screens their role cannot use (a link to one still opens it, saying why not).
 */
export function App() {
  const live = useLiveThroughput();
  const dashboards = useDashboards();
  const session = useCurrentSession();
  const [viewId, setViewId] = useUrlParam('view');
  const [wall, setWall] = useUrlParam('wall');
  const views = dashboards.data?.views ?? [];
  const view = views.find((v) => v.id === viewId) ?? views[0];
  const unknownView = viewId !== '' && dashboards.data !== undefined && view?.id !== viewId;

  if (wall === '1') {
    return (
      <LiveStatusContext.Provider value={live}>
        <div className="wall" data-testid="wall">
          <AlertBanner />
          <main className="app-main">
            <Screen view={views[0]} query={dashboards} showHeader={false} />
            <p className="muted wall-toggle">
              <a href={urlWithParam('wall', '')} onClick={(e) => {
                e.preventDefault();
                setWall('');
              }}>
                Leave wall mode
              </a>
            </p>
          </main>
        </div>
      </LiveStatusContext.Provider>
    );
  }
  return (
    <LiveStatusContext.Provider value={live}>
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <header className="app-header">
        <div className="app-header-inner">
          <p className="brand">
            Flowlens <span className="brand-tagline">retail integration flows</span>
          </p>
          <div className="app-header-tools">
            <a className="wall-toggle" href={urlWithParam('wall', '1')} onClick={(e) => {
                e.preventDefault();
                setWall('1');
              }}>
              Wall mode
            </a>
            <LiveIndicator status={live} />
            {session !== undefined && <SessionMenu session={session} />}
          </div>
          <ViewNav views={viewsFor(views, session)} current={view?.id} />
        </div>
      </header>
      <AlertBanner />
      <main className="app-main" id="main" tabIndex={-1}>
        {unknownView && view !== undefined && (
          <p className="inline-notice" role="status">
            There is no view “{viewId}”; showing {view.title}.{' '}
            <button type="button" className="link-button" onClick={() => setViewId(view.id)}>
              Fix the link
            </button>
          </p>
        )}
        <Screen view={view} query={dashboards} showHeader />
      </main>
    </LiveStatusContext.Provider>
  );
}

function Screen({ view, query, showHeader }: { view: DashboardView | undefined; query: ReturnType<typeof useDashboards>; showHeader: boolean }) {
  if (view !== undefined) return <ViewScreen key={view.id} view={view} showHeader={showHeader} />;
  if (query.isError) {
    return <LoadFailed what="the dashboard's views" error={query.error} onRetry={() => void query.refetch()} className="panel state-message state-message-error" />;
  }
  if (query.data !== undefined) {
    return (
      <p className="panel state-message" data-testid="no-views">
        This Flowlens has no views. Add one file per screen to <code>dashboards/views/</code> (see <code>dashboards/README.md</code>) and restart
        the server.
      </p>
    );
  }
  return (
    <p className="state-message" role="status">
      Loading the dashboard…
    </p>
  );
}
