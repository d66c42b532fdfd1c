import { LineagePanel } from './features/lineage/LineagePanel';
import { OverviewPanels } from './features/overview/OverviewPanels';
import { ThroughputPanel } from './features/throughput/ThroughputPanel';
import { LiveIndicator } from './live/LiveIndicator';
import { useLiveThroughput } from './live/useLiveThroughput';
import { urlWithParam, useUrlParam } from './url/useUrlParam';

export function App() {
  const live = useLiveThroughput();
  // `?wall=1`: the peak-period wall for a TV — dark, large type, no chrome; a link like every other view.
  const [wall, setWall] = useUrlParam('wall');
  if (wall === '1') {
    return (
      <div className="wall" data-testid="wall">
        <main className="app-main">
          <OverviewPanels />
          <ThroughputPanel live={live === 'live'} />
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
    );
  }
  return (
    <>
      <a className="skip-link" href="#lineage-key">
        Skip to lineage search
      </a>
      <header className="app-header">
        <div className="app-header-inner">
          <h1 className="brand">
            Flowlens <span className="brand-tagline">retail integration flows</span>
          </h1>
          <a className="wall-toggle" href={urlWithParam('wall', '1')} onClick={(e) => {
              e.preventDefault();
              setWall('1');
            }}>
            Wall mode
          </a>
          <LiveIndicator status={live} />
        </div>
      </header>
      <main className="app-main">
        <OverviewPanels />
        <ThroughputPanel live={live === 'live'} />
        <LineagePanel />
      </main>
    </>
  );
}
