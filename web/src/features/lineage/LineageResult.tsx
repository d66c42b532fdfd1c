import { useMemo } from 'react';
import type { LineageResponse } from '../../api/contracts';
import { formatClock, parseApiTime } from '../../format/time';
import { ChainGraph } from './ChainGraph';
import { ExportLinks } from './ExportLinks';
import { timelineEntries } from './formatEvent';
import { KeyChipList } from './KeyChips';
import { LineageTimeline } from './LineageTimeline';
import { inventoryHref, parseSkuLocation } from './searchHints';
import { type MismatchView, type MissingGroup, shapeChain } from './shapeChain';

export type Selection = { correlation: string; step: string; system: string };

type Props = {
  lineage: LineageResponse;
  depth: number;
  selection: Selection;
  /** The last refresh failed while this answer stays on screen. */
  refreshError: Error | null;
  onSelectKey: (key: string) => void;
  onSelectStep: (correlation: string, step: string) => void;
  onSystem: (system: string) => void;
};

/** One search's answer: what is wrong with the chain, the graph across systems, the timeline, the evidence. */
export function LineageResult({ lineage, depth, selection, refreshError, onSelectKey, onSelectStep, onSystem }: Props) {
  const chain = useMemo(() => shapeChain(lineage), [lineage]);
  const entries = useMemo(() => timelineEntries(lineage), [lineage]);
  const stock = parseSkuLocation(lineage.key);
  const searchedAs = [...new Set(lineage.correlations.filter((c) => c.depth === 0).flatMap((c) => c.linked_by.map((k) => k.name)))];

  return (
    <div className="lx-result">
      <div className="lx-result-header">
        <div>
          <h3 data-testid="lineage-title">
            {searchedAs.length > 0 && <span className="lx-key-name">{searchedAs.join(', ')}</span>} <code>{lineage.key}</code>
          </h3>
          <p className="muted" data-testid="lineage-headline">
            {chain.headline} · as of {formatClock(parseApiTime(lineage.at))}
          </p>
        </div>
        <ExportLinks keyValue={lineage.key} depth={depth} />
      </div>
      <p className={`lx-verdict tone-${chain.verdict.tone}`} data-testid="lineage-verdict">
        {chain.verdict.text}
      </p>

      {refreshError !== null && (
        <p className="inline-notice" role="status">
          Showing the answer of {formatClock(parseApiTime(lineage.at))}; the last refresh failed: {refreshError.message}
        </p>
      )}
      {lineage.latest_only && (
        <p className="inline-notice" role="status" data-testid="lineage-latest-only">
          <code>{lineage.key}</code> names more movements than a search follows: these are the latest{' '}
          {lineage.correlations.filter((c) => c.depth === 0).length}.
          {stock !== undefined && (
            <>
              {' '}
              <a href={inventoryHref(stock)}>
                Open {stock.sku} at {stock.location} on Inventory
              </a>{' '}
              for its lag over time and every movement behind it.
            </>
          )}
        </p>
      )}
      {lineage.truncated && (
        <p className="inline-notice" role="status">
          The search stopped after {lineage.correlations.length} correlations and {lineage.events.length} events, so some linked flows are
          not shown. Search a more specific key (a refund or settlement id), or follow fewer linked keys.
        </p>
      )}

      {chain.missingByCorrelation.length > 0 && <MissingList groups={chain.missingByCorrelation} />}
      {chain.mismatches.length > 0 && <MismatchList mismatches={chain.mismatches} />}

      <h4>Business keys in this chain</h4>
      <KeyChipList chips={chain.keys} onSelectKey={onSelectKey} label="Business keys in this chain: search one" limit={24} />

      <h4>Across systems</h4>
      <ChainGraph key={`${lineage.key}:${depth}`} response={lineage} correlations={chain.correlations} selected={selection} onSelectStep={onSelectStep} onSelectKey={onSelectKey} />

      <h4>Timeline</h4>
      <LineageTimeline entries={entries} missing={chain.missing} system={selection.system} onSystem={onSystem} selected={selection} onSelectKey={onSelectKey} />
    </div>
  );
}

function MissingList({ groups }: { groups: readonly MissingGroup[] }) {
  return (
    <section className="lx-missing" aria-labelledby="lx-missing-title">
      <h4 id="lx-missing-title">Missing steps</h4>
      <ul>
        {groups.map((g) => (
          <li key={g.correlationId} className={g.overdue ? 'lx-missing-group tone-bad' : 'lx-missing-group tone-warn'}>
            <p className="lx-missing-facts">
              <span>
                {g.flow} <code>{g.correlationId}</code>
                {g.searched && ' (the one you searched)'}
              </span>
              <span>
                last moved {g.waitingSince}, waiting {g.age}
              </span>
            </p>
            <ul>
              {g.steps.map((m) => (
                <li key={m.label} className="lx-missing-item" data-testid="lineage-missing" data-step={m.step} data-correlation={m.correlationId}>
                  <code className="lx-missing-step">{m.label}</code> from {m.systems} — {m.progress}, waiting <strong data-testid="lineage-missing-age">{m.age}</strong>
                  {m.slas.map((s) => (
                    <span key={s.policy} className={s.overdue ? 'lx-missing-sla lx-sla-overdue' : 'lx-missing-sla'} data-testid="lineage-missing-sla">
                      {s.overdue ? 'Breaches' : 'Under'} SLA “{s.name}”: {s.verdict} (deadline {s.deadline})
                    </span>
                  ))}
                </li>
              ))}
            </ul>
          </li>
        ))}
      </ul>
    </section>
  );
}

function MismatchList({ mismatches }: { mismatches: readonly MismatchView[] }) {
  return (
    <section className="lx-mismatches" aria-labelledby="lx-mismatch-title">
      <h4 id="lx-mismatch-title">Amounts that changed on the way</h4>
      <ul>
        {mismatches.map((m) => (
          <li key={`${m.correlationId}:${m.to}`} className="lx-missing-group tone-bad" data-testid="lineage-mismatch">
            <code>{m.to}</code> carries <strong>{m.after}</strong> where the steps before it said {m.before} ({m.difference}), in{' '}
            <code>{m.correlationId}</code>
          </li>
        ))}
      </ul>
    </section>
  );
}
