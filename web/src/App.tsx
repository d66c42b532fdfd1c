import { LineagePanel } from './features/lineage/LineagePanel';
import { ThroughputPanel } from './features/throughput/ThroughputPanel';
import { LiveIndicator } from './live/LiveIndicator';
import { useLiveThroughput } from './live/useLiveThroughput';

export function App() {
  const live = useLiveThroughput();
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
          <LiveIndicator status={live} />
        </div>
      </header>
      <main className="app-main">
        <ThroughputPanel live={live === 'live'} />
        <LineagePanel />
      </main>
    </>
  );
}
