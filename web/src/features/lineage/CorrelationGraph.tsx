import { useId, type MouseEvent } from 'react';
import { GRAPH_METRICS as M, type GraphLayout, type LaidEdge, type LaidNode } from './layoutGraph';
import { isPlainClick, stepHref } from './lineageLinks';

type Props = {
  layout: GraphLayout;
  correlationId: string;
  label: string;
  selectedStep: string;
  onSelectStep: (correlation: string, step: string) => void;
};

const MARKERS = ['hop', 'changed', 'missing'] as const;

/**
 * One correlation's swimlane graph: a column per system, its steps down the page in time order, hops as arrows
 * labelled with duration and amount (a changed amount in the "bad" colour), missing steps dashed. Each step is a
 * link that opens its events and spans below.
 */
export function CorrelationGraph({ layout, correlationId, label, selectedStep, onSelectStep }: Props) {
  const uid = useId().replace(/:/g, '');
  const marker = (kind: (typeof MARKERS)[number]) => `url(#${uid}-${kind})`;
  return (
    <div className="lx-graph-scroll">
      <svg className="lx-graph" width={layout.width} height={layout.height} viewBox={`0 0 ${layout.width} ${layout.height}`} role="group" aria-label={label} data-testid="lineage-graph">
        <defs>
          {MARKERS.map((kind) => (
            <marker key={kind} id={`${uid}-${kind}`} className={`lx-arrow lx-arrow-${kind}`} viewBox="0 0 10 10" refX="9" refY="5" markerUnits="userSpaceOnUse" markerWidth="9" markerHeight="9" orient="auto-start-reverse">
              <path d="M 0 0 L 10 5 L 0 10 z" />
            </marker>
          ))}
        </defs>
        {layout.columns.map((c, i) => (
          <g key={c.system} aria-hidden="true">
            {i % 2 === 1 && <rect className="lx-lane-band" x={c.x - M.column / 2} y={0} width={M.column} height={layout.height} />}
            <text className="lx-lane-label" x={c.x} y={18} textAnchor="middle">
              {c.label}
            </text>
          </g>
        ))}
        {layout.rows.map((r, i) => (
          <text key={i} className="lx-row-label" x={M.gutter - 10} y={r.y + 4} textAnchor="end" aria-hidden="true">
            <title>{r.title}</title>
            {r.label}
          </text>
        ))}
        {layout.edges.map((e) => (
          <EdgePath key={e.id} edge={e} marker={marker(e.changed ? 'changed' : e.kind)} />
        ))}
        {layout.nodes.map((n) =>
          n.kind === 'step' ? (
            <StepNode key={n.id} node={n} href={stepHref(correlationId, n.stepId!)} selected={n.stepId === selectedStep} onSelect={() => onSelectStep(correlationId, n.stepId!)} />
          ) : (
            <g key={n.id} role="img" aria-label={n.description} data-testid="lineage-graph-missing" data-step={n.lines[0]}>
              <title>{n.description}</title>
              <NodeBox node={n} />
            </g>
          ),
        )}
      </svg>
    </div>
  );
}

function EdgePath({ edge, marker }: { edge: LaidEdge; marker: string }) {
  const cls = `lx-edge lx-edge-${edge.kind}${edge.changed ? ' lx-edge-changed' : ''}`;
  return (
    <g className={cls} aria-hidden="true">
      <path d={edge.path} markerEnd={marker} />
      {edge.label !== null && (
        <g className="lx-edge-label">
          <rect x={edge.label.anchor === 'middle' ? edge.label.x - edge.label.width / 2 : edge.label.x - 4} y={edge.label.y} width={edge.label.width} height={edge.label.height} rx={4} />
          {edge.label.lines.map((line, i) => (
            <text key={i} x={edge.label!.anchor === 'middle' ? edge.label!.x : edge.label!.x + 2} y={edge.label!.y + 12 + i * 13} textAnchor={edge.label!.anchor}>
              {line}
            </text>
          ))}
        </g>
      )}
    </g>
  );
}

function StepNode({ node, href, selected, onSelect }: { node: LaidNode; href: string; selected: boolean; onSelect: () => void }) {
  const click = (event: MouseEvent) => {
    if (!isPlainClick(event)) return;
    event.preventDefault();
    onSelect();
  };
  return (
    <a href={href} onClick={click} className="lx-node-link" aria-label={`${node.description}. Show its events and spans`} aria-current={selected ? 'true' : undefined} data-testid="lineage-graph-step" data-step={node.stepId ?? ''}>
      <title>{node.description}</title>
      <NodeBox node={node} selected={selected} />
    </a>
  );
}

function NodeBox({ node, selected = false }: { node: LaidNode; selected?: boolean }) {
  const x = node.x + M.padding;
  return (
    <g className={`lx-node lx-node-${node.tone}${selected ? ' lx-node-selected' : ''}`}>
      <rect className="lx-node-box" x={node.x} y={node.y} width={node.width} height={node.height} rx={6} />
      <rect className="lx-node-stripe" x={node.x} y={node.y} width={4} height={node.height} rx={2} />
      <text className="lx-node-step" x={x} y={node.y + 17}>
        {node.lines[0]}
      </text>
      <text className="lx-node-status" x={x} y={node.y + 17 + M.lineHeight}>
        {node.lines[1]}
      </text>
      <text className="lx-node-extra" x={x} y={node.y + 17 + 2 * M.lineHeight}>
        {node.lines[2]}
      </text>
    </g>
  );
}
