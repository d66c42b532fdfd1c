import { useId, useState } from 'react';
import { RELATIVE_RANGES, type RelativeRange } from '../api/contracts';
import { MAX_RANGE_MS, RANGE_LABELS, describeTimeRange, resolveTimeRange, type TimeRange } from '../url/timeRange';

/**
 * The view's time range: a relative range that moves with now, or a fixed one entered as local times (kept in the
 * URL in UTC, so the link shows the same minutes to whoever opens it).
 */
export function TimeRangePicker({ range, onChange }: { range: TimeRange; onChange: (next: TimeRange) => void }) {
  const id = useId();
  const [custom, setCustom] = useState<{ from: string; to: string } | undefined>(undefined);
  const [problem, setProblem] = useState('');
  const value = custom !== undefined || range.kind === 'absolute' ? 'custom' : range.range;

  const choose = (next: string) => {
    setProblem('');
    if (next === 'custom') {
      const { from, to } = resolveTimeRange(range, Date.now());
      setCustom({ from: toLocalInput(from), to: toLocalInput(to) });
      return;
    }
    setCustom(undefined);
    onChange({ kind: 'relative', range: next as RelativeRange });
  };

  const apply = (event: React.FormEvent) => {
    event.preventDefault();
    if (custom === undefined) return;
    const from = Date.parse(custom.from);
    const to = Date.parse(custom.to);
    const reason =
      !Number.isFinite(from) ? 'Enter when the range starts.' :
      !Number.isFinite(to) ? 'Enter when the range ends.' :
      from >= to ? 'The start must be before the end.' :
      to - from > MAX_RANGE_MS ? 'A range can be at most 7 days long.' : '';
    setProblem(reason);
    if (reason !== '') return;
    setCustom(undefined);
    onChange({ kind: 'absolute', from, to });
  };

  return (
    <form className="range-picker" onSubmit={apply} aria-label="Time range">
      <label htmlFor={`${id}-range`} className="range-label">
        Time range
      </label>
      <select id={`${id}-range`} value={value} onChange={(e) => choose(e.target.value)} data-testid="range-select">
        {RELATIVE_RANGES.map((r) => (
          <option key={r} value={r}>
            {RANGE_LABELS[r]}
          </option>
        ))}
        <option value="custom">{range.kind === 'absolute' && custom === undefined ? describeTimeRange(range) : 'Fixed range…'}</option>
      </select>
      {custom !== undefined && (
        <>
          <label className="range-field">
            From <input type="datetime-local" value={custom.from} onChange={(e) => setCustom({ ...custom, from: e.target.value })} required />
          </label>
          <label className="range-field">
            To <input type="datetime-local" value={custom.to} onChange={(e) => setCustom({ ...custom, to: e.target.value })} required />
          </label>
          <button type="submit">Apply</button>
          <button type="button" className="link-button" onClick={() => { setCustom(undefined); setProblem(''); }}>
            Cancel
          </button>
        </>
      )}
      {problem !== '' && (
        <p className="field-hint field-hint-warning" role="alert">
          {problem}
        </p>
      )}
    </form>
  );
}

/** `datetime-local` wants local wall-clock time without a zone: "2026-11-27T10:00". */
function toLocalInput(epochMs: number): string {
  const d = new Date(epochMs);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}
