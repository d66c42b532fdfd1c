import type { DashboardView } from '../api/contracts';
import { setUrlParams } from '../url/useUrlParam';

/** Parameters a view switch keeps: the time range follows you from screen to screen, filters do not. */
const KEPT_ACROSS_VIEWS = ['range', 'from', 'to'];

/** The screens, as links (middle-click opens one in a new tab); the current one is marked for screen readers. */
export function ViewNav({ views, current }: { views: readonly DashboardView[]; current: string | undefined }) {
  if (views.length === 0) return null;
  return (
    <nav className="view-nav" aria-label="Screens">
      <ul>
        {views.map((v, i) => (
          <li key={v.id}>
            <a
              href={viewHref(i === 0 ? '' : v.id)}
              aria-current={v.id === current ? 'page' : undefined}
              title={v.description}
              onClick={(e) => {
                if (e.metaKey || e.ctrlKey || e.shiftKey || e.button !== 0) return;
                e.preventDefault();
                setUrlParams({ view: i === 0 ? '' : v.id }, KEPT_ACROSS_VIEWS);
                window.scrollTo({ top: 0 });
              }}
            >
              {v.title}
            </a>
          </li>
        ))}
      </ul>
    </nav>
  );
}

function viewHref(view: string): string {
  const current = new URLSearchParams(window.location.search);
  const next = new URLSearchParams();
  if (view !== '') next.set('view', view);
  for (const name of KEPT_ACROSS_VIEWS) {
    const value = current.get(name);
    if (value !== null) next.set(name, value);
  }
  const query = next.toString();
  return `${window.location.pathname}${query === '' ? '' : `?${query}`}`;
}
