import type { Authenticator } from './authenticator.js';
import { decide } from './policy.js';
import type { RequestOrigin } from './sessions.js';

/**
 * socket.io answers `/socket.io/` before express sees it, so the auth middleware never runs there: this checks
 * the handshake instead (`io.use(socketAuth(auth))`) — the session cookie or an API token, at least a viewer, as
 * the policy table says. A refused connection gets a connect_error whose message names what is missing. The
 * identity is kept in `socket.data.identity`.
 */
export function socketAuth(auth: Authenticator): (socket: { request: RequestOrigin; data: Record<string, unknown> }, next: (err?: Error) => void) => void {
  return (socket, next) => {
    auth.identify(socket.request).then(
      ({ identity }) => {
        const decision = decide('viewer', identity.kind);
        if (!decision.allow) {
          next(new Error(decision.status === 401 ? 'unauthenticated: sign in first' : `forbidden: live updates need the viewer role; ${identity.name} is ${identity.kind}`));
          return;
        }
        socket.data.identity = identity;
        next();
      },
      (err: unknown) => next(err instanceof Error ? err : new Error(String(err))),
    );
  };
}
