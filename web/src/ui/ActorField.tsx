import { useActor } from '../features/exceptions/actor';

type Props = {
  /** The input's id: a refused action moves focus here. */
  id: string;
  /** The screen's class for the field's layout. */
  className: string;
  /** What the name is recorded with, e.g. "every action". */
  recordedWith: string;
};

/** "Acting as": the name sent with every action, typed once and remembered in this browser (the same on every screen). */
export function ActorField({ id, className, recordedWith }: Props) {
  const [actor, setActor] = useActor();
  return (
    <div className={className}>
      <label htmlFor={id}>Acting as</label>
      <input
        id={id}
        type="text"
        value={actor}
        onChange={(e) => setActor(e.target.value)}
        placeholder="Your name"
        autoComplete="name"
        maxLength={128}
        aria-describedby={`${id}-hint`}
      />
      <span id={`${id}-hint`} className="field-hint">
        Recorded with {recordedWith}; remembered in this browser.
      </span>
    </div>
  );
}
