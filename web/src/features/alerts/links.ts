import type { MouseEvent } from 'react';
import { setUrlParams } from '../../url/useUrlParam';

/**
 * The link of the current screen with some parameters changed (`''` removes one), as an href: a link that can be
 * opened in a new tab or copied. Reads the address when there is one (not while rendering on a server, in tests).
 */
export function hrefWith(updates: Readonly<Record<string, string>>): string {
  const search = new URLSearchParams(globalThis.location?.search ?? '');
  for (const [name, value] of Object.entries(updates)) {
    if (value === '') search.delete(name);
    else search.set(name, value);
  }
  const query = search.toString();
  return query === '' ? '?' : `?${query}`;
}

/** A plain click changes the URL in place; a modified one (new tab, new window) is left to the browser. */
export function followInPlace(updates: Readonly<Record<string, string>>, keepOnly?: readonly string[]) {
  return (event: MouseEvent<HTMLAnchorElement>) => {
    if (event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
    event.preventDefault();
    setUrlParams(updates, keepOnly);
  };
}
