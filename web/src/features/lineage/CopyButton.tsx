import { useEffect, useState } from 'react';

type CopyState = 'idle' | 'copied' | 'failed';

/** Copies an id (trace, span, event) to the clipboard and says so; where the browser refuses, says to select it. */
export function CopyButton({ text, what }: { text: string; what: string }) {
  const [state, setState] = useState<CopyState>('idle');

  useEffect(() => {
    if (state === 'idle') return;
    const timer = window.setTimeout(() => setState('idle'), 2_000);
    return () => window.clearTimeout(timer);
  }, [state]);

  const copy = async () => {
    try {
      await navigator.clipboard.writeText(text);
      setState('copied');
    } catch {
      // Plain http on a non-local host has no clipboard API: the id stays on screen to select by hand.
      setState('failed');
    }
  };

  return (
    <>
      <button type="button" className="lx-copy" onClick={() => void copy()} title={`Copy the ${what}`}>
        {state === 'copied' ? 'Copied' : state === 'failed' ? 'Select to copy' : 'Copy'}
        <span className="visually-hidden"> {what}</span>
      </button>
      <span className="visually-hidden" role="status">
        {state === 'copied' ? `${what} copied` : state === 'failed' ? `Could not copy: select the ${what} and copy it` : ''}
      </span>
    </>
  );
}
