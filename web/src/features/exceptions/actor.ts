import { useCallback, useSyncExternalStore } from 'react';

/**
 * Who is acting on exceptions, until sign-in arrives (the access-control issue): the name a person typed once,
 * remembered in this browser and sent as `actor` with every workflow action.
 */
const STORAGE_KEY = 'flowlens.actor';
const CHANGE_EVENT = 'flowlens:actorchange';

function readActor(): string {
  try {
    return window.localStorage.getItem(STORAGE_KEY) ?? '';
  } catch {
    // Storage refused (private mode, a policy): the name lasts as long as the page.
    return memory;
  }
}

let memory = '';

function writeActor(name: string): void {
  // Kept as typed (a space between first and last name is typed before the last name); trimmed when sent.
  memory = name;
  try {
    if (memory.trim() === '') window.localStorage.removeItem(STORAGE_KEY);
    else window.localStorage.setItem(STORAGE_KEY, memory);
  } catch {
    // Kept in memory only; see readActor.
  }
  window.dispatchEvent(new Event(CHANGE_EVENT));
}

function subscribe(onChange: () => void): () => void {
  // `storage` fires when another tab changes the name.
  window.addEventListener('storage', onChange);
  window.addEventListener(CHANGE_EVENT, onChange);
  return () => {
    window.removeEventListener('storage', onChange);
    window.removeEventListener(CHANGE_EVENT, onChange);
  };
}

/** The remembered name as typed (trim it to send) and a setter; every form of the inbox shares it. */
export function useActor(): [string, (name: string) => void] {
  const actor = useSyncExternalStore(subscribe, readActor, () => '');
  return [actor, useCallback(writeActor, [])];
}
