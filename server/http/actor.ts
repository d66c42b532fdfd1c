import type { Request } from 'express';
import { AppError } from '../errors.js';

/**
 * Who is acting on a request: the signed-in user or the API token's name, never a field of the body (the auth
 * middleware's `actorOf` in the app; a fixed name in tests that mount one router).
 */
export type ActorOf = (req: Request) => string;

/**
 * A body that still names an `actor` is refused (400 naming the field) rather than silently recorded as someone
 * else: an action is recorded as whoever sends it.
 */
export function refuseActorField(body: unknown): void {
  if (body === null || typeof body !== 'object' || !Object.hasOwn(body, 'actor')) return;
  const message = 'is not taken: an action is recorded as the signed-in user or the API token that sends it';
  throw new AppError(400, 'invalid_body', `actor: ${message}`, { details: [{ field: 'actor', message }] });
}
