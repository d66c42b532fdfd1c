import { useCallback, useSyncExternalStore } from 'react';

/**
 * One query-string parameter as React state, so every view is a link you can paste into an incident channel
 * (STYLE.md). Setting it pushes a history entry, so Back returns to the previous search.
 */
export function useUrlParam(name: string): [string, (value: string) => void] {
  const value = useSyncExternalStore(subscribe, () => readParam(name), () => '');
  const setValue = useCallback((next: string) => writeParam(name, next), [name]);
  return [value, setValue];
}

/** The `?name=value` link for a parameter, keeping the rest of the current URL. */
export function urlWithParam(name: string, value: string): string {
  const url = new URL(window.location.href);
  if (value === '') url.searchParams.delete(name);
  else url.searchParams.set(name, value);
  return `${url.pathname}${url.search}${url.hash}`;
}

const CHANGE_EVENT = 'flowlens:urlchange';

function readParam(name: string): string {
  return new URLSearchParams(window.location.search).get(name)?.trim() ?? '';
}

function writeParam(name: string, value: string): void {
  setUrlParams({ [name]: value });
}

/**
 * Several parameters in one history entry (a time range is `from` and `to` together); `''` removes one. With
 * `keepOnly`, every parameter not named in `updates` or `keepOnly` is dropped (moving to another view).
 */
export function setUrlParams(updates: Readonly<Record<string, string>>, keepOnly?: readonly string[]): void {
  const url = new URL(window.location.href);
  if (keepOnly !== undefined) {
    for (const name of [...url.searchParams.keys()]) if (!keepOnly.includes(name) && !(name in updates)) url.searchParams.delete(name);
  }
  for (const [name, value] of Object.entries(updates)) {
    if (value.trim() === '') url.searchParams.delete(name);
    else url.searchParams.set(name, value.trim());
  }
  const next = `${url.pathname}${url.search}${url.hash}`;
  if (next !== `${window.location.pathname}${window.location.search}${window.location.hash}`) {
    window.history.pushState(null, '', next);
  }
  window.dispatchEvent(new Event(CHANGE_EVENT));
}

function subscribe(onChange: () => void): () => void {
  window.addEventListener('popstate', onChange);
  window.addEventListener(CHANGE_EVENT, onChange);
  return () => {
    window.removeEventListener('popstate', onChange);
    window.removeEventListener(CHANGE_EVENT, onChange);
  };
}
