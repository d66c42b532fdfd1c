import { useActor } from '../exceptions/actor';
import { ALERT_ACTOR_FIELD_ID } from './useAlertActions';

/** "Acting as": the name sent with every alert action — the one the exceptions inbox remembers in this browser. */
export function AlertActorField() {
  const [actor, setActor] = useActor();
  return (
    <div className="alert-actor">
      <label htmlFor={ALERT_ACTOR_FIELD_ID}>Acting as</label>
      <input
        id={ALERT_ACTOR_FIELD_ID}
        type="text"
        value={actor}
        onChange={(e) => setActor(e.target.value)}
        placeholder="Your name"
        autoComplete="name"
        maxLength={128}
        aria-describedby={`${ALERT_ACTOR_FIELD_ID}-hint`}
      />
      <span id={`${ALERT_ACTOR_FIELD_ID}-hint`} className="field-hint">
        Recorded with every action; remembered in this browser.
      </span>
    </div>
  );
}
