import { useMemo, useState } from 'react';
import type { PanelProps } from '../../dashboards/panelProps';
import { describeTimeRange, type TimeRange } from '../../url/timeRange';
import { setUrlParams, useUrlParam } from '../../url/useUrlParam';
import { PermissionNote } from '../../ui/PermissionNote';
import { DryRunPreview } from './DryRunPreview';
import { SelectionForm } from './SelectionForm';
import { useReplayPermit } from './useReplayQueries';
import { formFromParams, formProblem, isAsked, paramsFromForm, selectionFromParams, selectionKey, type SelectionParams } from './selection';
import './replay.css';

/** A view without a time range still selects over one: the last hour. */
const FALLBACK_RANGE: TimeRange = { kind: 'relative', range: '1h' };

/**
 * The top of the Replay screen: what to replay (kept in the link), its dry run — every event with send or skip
 * and why, and exactly what would be sent — and the form that runs it as a job.
 */
export function ReplaySelectionPanel({ panel, range }: PanelProps<'replaySelection'>) {
  const params = useSelectionParams();
  const over = range ?? FALLBACK_RANGE;
  const key = selectionKey(params, over);
  const form = formFromParams(params);
  const asked = isAsked(params) && formProblem(form) === undefined;
  // A dry run asks the targets' lookups: an operator's tool, like running it.
  const permit = useReplayPermit();
  return (
    <div className="work-screen" data-testid="replay-selection">
      <div className="work-toolbar">
        <SelectionForm key={key} initial={form} rangeLabel={describeTimeRange(over)} onSubmit={(next) => setUrlParams({ ...paramsFromForm(next), job: '' })} />
      </div>
      {!asked && (
        <p className="state-message" data-testid="replay-pick">
          Pick what to replay and press <strong>Dry run</strong>: you see every event it holds — sent or skipped, and why — and exactly what would be
          sent, before anything is. From an exception, its <strong>Replay</strong> link brings you here with it selected.
        </p>
      )}
      {asked && permit.allowed && <Resolved key={key} params={params} range={over} pageSize={panel.options.pageSize} />}
      {asked && <PermissionNote permit={permit} className="state-message" />}
    </div>
  );
}

/** The selection resolved once (a relative range to its instants), so every page and the run are of the same events. */
function Resolved({ params, range, pageSize }: { params: SelectionParams; range: TimeRange; pageSize: number }) {
  const [asOf, setAsOf] = useState(() => Date.now());
  const selection = useMemo(() => selectionFromParams(params, range, asOf), [params, range, asOf]);
  return <DryRunPreview selection={selection} pageSize={pageSize} onAgain={() => setAsOf(Date.now())} />;
}

function useSelectionParams(): SelectionParams {
  const [select] = useUrlParam('select');
  const [event] = useUrlParam('event');
  const [exception] = useUrlParam('exception');
  const [flow] = useUrlParam('flow');
  const [step] = useUrlParam('step');
  const [system] = useUrlParam('system');
  const [error] = useUrlParam('error');
  return useMemo(() => ({ select, event, exception, flow, step, system, error }), [select, event, exception, flow, step, system, error]);
}
