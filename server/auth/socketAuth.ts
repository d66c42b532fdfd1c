import type { Authenticator } from './authenticator.js';
import { unauthenticated, whoIs } from './authMiddleware.js';
import { decide } from './policy.js';
import type { RequestOrigin } from './sessions.js';

/**
 * socket.io answers `/socket.io/` before express sees it, so the auth middleware never runs there: this checks
 * the handshake instead (`io.use(socketAuth(auth))`) — the session cookie or an API token, at least a viewer, as
 * the policy table says. A refused connection gets a connect_error whose message names what is missing. The
 * identity is kept in `socket.data.identity`. A connection made with a session is closed when the session ends,
 * so the browser reconnects, is refused, and shows the sign-in page.
 */
export type SocketLike = {
  request: RequestOrigin;
  data: Record<string, unknown>;
  disconnect(close?: boolean): unknown;
  once(event: 'disconnect', listener: () => void): unknown;
};

export function socketAuth(auth: Authenticator, now: () => number = Date.now): (socket: SocketLike, next: (err?: Error) => void) => void {
  return (socket, next) => {
    auth.identify(socket.request).then(
      ({ identity, problem }) => {
        const decision = decide('viewer', identity.kind);
        if (!decision.allow) {
          // The same reasons the HTTP API gives, after a prefix the dashboard tells apart.
          next(new Error(decision.status === 401 ? `unauthenticated: ${unauthenticated(problem).message}` : `forbidden: live updates need the viewer role; ${whoIs(identity)}`));
          return;
        }
        socket.data.identity = identity;
        if (identity.expiresAt !== undefined) {
          // setTimeout holds at most ~24.8 days; sessions last at most 30 (FLOWLENS_SESSION_TTL_MS): clamp.
          const timer = setTimeout(() => socket.disconnect(true), Math.min(2 ** 31 - 1, Math.max(0, identity.expiresAt - now())));
          timer.unref();
          socket.once('disconnect', () => clearTimeout(timer));
        }
        next();
      },
      (err: unknown) => next(err instanceof Error ? err : new Error(String(err))),
    );
  };
}
