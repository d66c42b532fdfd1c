import type { ReactNode } from 'react';
import { setUrlParams } from '../../url/useUrlParam';
import { lineageHref } from './shapeBreaches';

/**
 * A link to the lineage explorer for one business key: a plain click switches view in place (keeping the time
 * range); a modified click opens it in a new tab like any link.
 */
export function LineageLink({ value, className, children, label }: { value: string; className?: string; children?: ReactNode; label?: string }) {
  return (
    <a
      className={className}
      href={lineageHref(value)}
      aria-label={label}
      onClick={(e) => {
        if (e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
        e.preventDefault();
        setUrlParams({ view: 'lineage', key: value }, ['range', 'from', 'to']);
        window.scrollTo({ top: 0 });
      }}
    >
      {children ?? value}
    </a>
  );
}
