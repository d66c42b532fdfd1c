import { useEffect } from 'react';
import type { PanelProps } from '../../dashboards/panelProps';
import { setUrlParams, useUrlParam } from '../../url/useUrlParam';
import { LineageResult } from './LineageResult';
import { LineageSearch } from './LineageSearch';
import { LineageFailed, LineageIntro, LineageSearching } from './LineageStates';
import { SELECTION_PARAMS } from './lineageLinks';
import { parseDepth } from './searchHints';
import { useLineageQuery } from './useLineageQuery';
import './lineage.css';

/**
 * The lineage explorer (issue 6, screen 5): search any key and see its chain across systems — a graph with hop
 * durations and amounts, the steps missing with their age and SLA, a timeline with retries, replays and spans —
 * and export it as evidence. Everything it shows is in the link: `?view=lineage&key=…&depth=…&correlation=…&step=…&system=…`.
 */
export function LineageExplorerPanel({ panel }: PanelProps<'lineageExplorer'>) {
  const [key] = useUrlParam('key');
  const [depthParam] = useUrlParam('depth');
  const [correlation] = useUrlParam('correlation');
  const [step] = useUrlParam('step');
  const [system] = useUrlParam('system');
  const { depth, problem } = parseDepth(depthParam, panel.options.depth);
  const query = useLineageQuery(key, depth);

  useEffect(() => {
    document.title = key === '' ? 'Lineage · Flowlens' : `${key} · Lineage · Flowlens`;
    return () => {
      document.title = 'Flowlens';
    };
  }, [key]);

  const search = (next: string) => {
    if (next === key) void query.refetch();
    else setUrlParams({ key: next, ...Object.fromEntries(SELECTION_PARAMS.map((name) => [name, ''])) });
  };
  const searchFromTop = (next: string) => {
    search(next);
    document.getElementById('lineage-key')?.scrollIntoView({ block: 'nearest' });
  };

  return (
    <>
      <LineageSearch key={key} initialValue={key} depth={depth} onSearch={search} onDepthChange={(d) => setUrlParams({ depth: d === panel.options.depth ? '' : String(d) })} />
      {problem !== undefined && (
        <p className="inline-notice" role="status">
          {problem}
        </p>
      )}

      <div className="lx-body" aria-busy={key !== '' && (query.isPending || query.isPlaceholderData)}>
        {key === '' && <LineageIntro />}
        {key !== '' && query.isPending && <LineageSearching keyValue={key} failureCount={query.failureCount} failureReason={query.failureReason} />}
        {query.isError && query.data === undefined && <LineageFailed keyValue={key} depth={depth} error={query.error} onRetry={() => void query.refetch()} />}
        {key !== '' && query.data !== undefined && (
          <LineageResult
            lineage={query.data}
            depth={depth}
            selection={{ correlation, step, system }}
            refreshError={query.isError ? query.error : null}
            onSelectKey={searchFromTop}
            onSelectStep={(c, s) => setUrlParams({ correlation: c, step: s })}
            onSystem={(s) => setUrlParams({ system: s })}
          />
        )}
      </div>
    </>
  );
}
