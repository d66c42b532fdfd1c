import { useActor } from '../exceptions/actor';
import { REPLAY_ACTOR_FIELD_ID } from './useReplayQueries';

/** "Acting as": the name sent with every replay action — the one the exceptions inbox remembers in this browser. */
export function ReplayActorField() {
  const [actor, setActor] = useActor();
  return (
    <div className="replay-actor">
      <label htmlFor={REPLAY_ACTOR_FIELD_ID}>Acting as</label>
      <input
        id={REPLAY_ACTOR_FIELD_ID}
        type="text"
        value={actor}
        onChange={(e) => setActor(e.target.value)}
        placeholder="Your name"
        autoComplete="name"
        maxLength={128}
        aria-describedby={`${REPLAY_ACTOR_FIELD_ID}-hint`}
      />
      <span id={`${REPLAY_ACTOR_FIELD_ID}-hint`} className="field-hint">
        Recorded with every replay; remembered in this browser.
      </span>
    </div>
  );
}
