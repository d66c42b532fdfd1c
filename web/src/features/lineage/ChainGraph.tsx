import { useMemo, useState } from 'react';
import type { LineageResponse } from '../../api/contracts';
import { parseApiTime } from '../../format/time';
import { CorrelationGraph } from './CorrelationGraph';
import { KeyChipList } from './KeyChips';
import { graphColumns, layoutGraph } from './layoutGraph';
import type { CorrelationView } from './shapeChain';
import { StepDetail } from './StepDetail';

type Props = {
  response: LineageResponse;
  correlations: readonly CorrelationView[];
  selected: { correlation: string; step: string };
  onSelectStep: (correlation: string, step: string) => void;
  onSelectKey: (key: string) => void;
};

/** Correlations listed before "Show all": a settlement can link a hundred orders. */
const FIRST_SHOWN = 12;

/**
 * The chain across systems: each correlation in the order it started, its swimlane graph open when it matters
 * (the one searched, any that failed, breached an SLA or changed an amount), the others a click away. Every open
 * graph shares the same system columns, so a system keeps its place from one to the next.
 */
export function ChainGraph({ response, correlations, selected, onSelectStep, onSelectKey }: Props) {
  const [open, setOpen] = useState<ReadonlySet<string>>(() => new Set(correlations.filter((c) => c.open || c.id === selected.correlation).map((c) => c.id)));
  const [showAll, setShowAll] = useState(() => correlations.findIndex((c) => c.id === selected.correlation) >= FIRST_SHOWN);
  const nodes = useMemo(() => new Map(response.graph.nodes.map((n) => [n.correlation_id, n])), [response]);
  const at = parseApiTime(response.at);
  const columns = useMemo(() => {
    const drawn = [...open].flatMap((id) => nodes.get(id) ?? []);
    return graphColumns(drawn, response.missing.filter((m) => open.has(m.correlation_id)));
  }, [open, nodes, response.missing]);
  const shown = showAll ? correlations : correlations.slice(0, FIRST_SHOWN);

  const toggle = (id: string) =>
    setOpen((current) => {
      const next = new Set(current);
      if (!next.delete(id)) next.add(id);
      return next;
    });

  return (
    <ol className="lx-chain" data-testid="lineage-chain">
      {shown.map((c) => {
        const node = nodes.get(c.id);
        const isOpen = open.has(c.id) && node !== undefined;
        const bodyId = `lx-corr-${c.id}`.replace(/[^A-Za-z0-9_-]/g, '_');
        const selectedStep = selected.correlation === c.id ? node?.lanes.flatMap((l) => l.steps).find((s) => s.id === selected.step) : undefined;
        return (
          <li key={c.id} className={`lx-correlation lx-tone-${c.tone}`} data-testid="lineage-correlation" data-correlation={c.id}>
            <div className="lx-correlation-header">
              <div className="lx-correlation-title">
                <span className="lx-flow">{c.flow}</span>
                <span className={`lx-state lx-state-${c.state}`}>{c.stateLabel}</span>
                {c.searched && <span className="lx-searched">matches your search</span>}
                <code className="lx-correlation-id">{c.id}</code>
                {node !== undefined && (
                  <button type="button" className="link-button lx-toggle" aria-expanded={isOpen} aria-controls={bodyId} onClick={() => toggle(c.id)}>
                    {isOpen ? 'Hide its steps' : 'Show its steps'}
                  </button>
                )}
              </div>
              <div className="lx-correlation-facts">
                {c.problems.map((p) => (
                  <span key={p} className="lx-problem">
                    {p}
                  </span>
                ))}
                {c.variant !== null && <span>{c.variant}</span>}
                <span>from {c.firstAt}</span>
                <span>over {c.span}</span>
                <span>{c.events}</span>
                <span className="lx-correlation-links">
                  {c.searched ? 'found by' : 'linked by'}
                  <KeyChipList chips={c.linkedBy} onSelectKey={onSelectKey} label={`Keys linking ${c.id}`} limit={2} />
                </span>
              </div>
            </div>
            <div id={bodyId} hidden={!isOpen}>
              {isOpen && (
                <>
                  <CorrelationGraph
                    layout={layoutGraph({ node, missing: response.missing.filter((m) => m.correlation_id === c.id), columns, at })}
                    correlationId={c.id}
                    label={`Steps of ${c.flow} ${c.id} across systems, in time order`}
                    selectedStep={selected.correlation === c.id ? selected.step : ''}
                    onSelectStep={onSelectStep}
                  />
                  {selectedStep !== undefined && <StepDetail correlationId={c.id} step={selectedStep} onClose={() => onSelectStep('', '')} />}
                </>
              )}
            </div>
          </li>
        );
      })}
      {shown.length < correlations.length && (
        <li className="lx-chain-more">
          <button type="button" className="link-button" onClick={() => setShowAll(true)}>
            Show all {correlations.length} correlations
          </button>
        </li>
      )}
    </ol>
  );
}
