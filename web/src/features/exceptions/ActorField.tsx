import { useActor } from './actor';
import { ACTOR_FIELD_ID } from './workflowForm';

/** "Acting as": the name sent with every action, typed once and remembered in this browser. */
export function ActorField() {
  const [actor, setActor] = useActor();
  return (
    <div className="exc-actor">
      <label htmlFor={ACTOR_FIELD_ID}>Acting as</label>
      <input
        id={ACTOR_FIELD_ID}
        type="text"
        value={actor}
        onChange={(e) => setActor(e.target.value)}
        placeholder="Your name"
        autoComplete="name"
        maxLength={128}
        aria-describedby={`${ACTOR_FIELD_ID}-hint`}
      />
      <span id={`${ACTOR_FIELD_ID}-hint`} className="field-hint">
        Recorded with every action; remembered in this browser.
      </span>
    </div>
  );
}
