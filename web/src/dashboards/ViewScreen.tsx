import type { DashboardView, RelativeRange } from '../api/contracts';
import { TimeRangePicker } from '../ui/TimeRangePicker';
import type { TimeRange } from '../url/timeRange';
import { useTimeRange } from '../url/useTimeRange';
import { PanelFrame } from './PanelFrame';

/** One screen: its title and description, its time range picker when it has one, its panels in file order. */
export function ViewScreen({ view, showHeader = true }: { view: DashboardView; showHeader?: boolean }) {
  return view.defaultRange === undefined ? (
    <ViewLayout view={view} range={undefined} showHeader={showHeader} />
  ) : (
    <RangedView view={view} defaultRange={view.defaultRange} showHeader={showHeader} />
  );
}

function RangedView({ view, defaultRange, showHeader }: { view: DashboardView; defaultRange: RelativeRange; showHeader: boolean }) {
  const { range, problem, setRange } = useTimeRange(defaultRange);
  return (
    <ViewLayout view={view} range={range} showHeader={showHeader}>
      <TimeRangePicker range={range} onChange={setRange} />
      {problem !== undefined && (
        <p className="inline-notice view-notice" role="status">
          {problem}
        </p>
      )}
    </ViewLayout>
  );
}

function ViewLayout({ view, range, showHeader, children }: { view: DashboardView; range: TimeRange | undefined; showHeader: boolean; children?: React.ReactNode }) {
  return (
    <>
      {showHeader && (
        <div className="view-header">
          <div className="view-heading">
            <h1 className="view-title">{view.title}</h1>
            <p className="view-description">{view.description}</p>
          </div>
          {children}
        </div>
      )}
      <div className="view-grid" data-view={view.id}>
        {view.panels.map((panel) => (
          <PanelFrame key={panel.id} panel={panel} range={range} />
        ))}
      </div>
    </>
  );
}
