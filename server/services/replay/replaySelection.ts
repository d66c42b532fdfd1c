import type { PlannedItem, ReplaySelection } from '../../contracts/replayApi.js';
import { holdOf, type ClaimView } from '../../domain/replayItems.js';
import { contentTypeOf, idempotencyKeyFor, MAX_REPLAY_ITEMS, planItem, rangeProblem, type ItemPlan, type ReplayCandidate } from '../../domain/replayPlan.js';
import { AppError } from '../../errors.js';
import { failedEventById, failedEventOfException, failedEventsMatching, lastSuccesses, replayEvents, stepKey } from '../../store/queries/replayEvents.js';
import { itemKey } from './replayClaims.js';
import type { EngineDeps } from './replayEngine.js';
import type { ReplayTarget } from './replayPorts.js';
import { renderReplayRequest } from './renderRequest.js';

/** How far back a single event or an exception is looked for (the exceptions' own longest lookback). */
export const SELECTION_LOOKBACK_MS = 90 * 86_400_000;

/** A selected event with its target, key and plan (send, or why not). */
export type Planned = { candidate: ReplayCandidate; target: ReplayTarget | undefined; key: string | null; plan: ItemPlan; claim: ClaimView | undefined };

/** The events a selection names: 404 when a single one is not found, 400 when a bulk selection is too large. */
export async function selectCandidates(deps: EngineDeps, selection: ReplaySelection): Promise<ReplayCandidate[]> {
  const now = deps.clock();
  const from = now - SELECTION_LOOKBACK_MS;
  const to = now + 86_400_000;
  if (selection.kind === 'event') {
    const found = await failedEventById(deps.client, deps.schema, selection.event_id, from, to);
    if (!found) throw notFound('event_not_found', 'selection.event_id', `no failed or dead-lettered event ${selection.event_id} in the last 90 days; only those can be replayed`);
    return [found];
  }
  if (selection.kind === 'exception') {
    const found = await failedEventOfException(deps.client, deps.schema, selection.exception_id, from, to);
    if (!found) throw notFound('exception_not_found', 'selection.exception_id', `no failed step of exception ${selection.exception_id} in the last 90 days`);
    return [found];
  }
  const problem = rangeProblem(selection.from, selection.to);
  if (problem) throw badSelection(`selection.${problem.field}`, problem.message);
  const filter = { from: selection.from, to: selection.to, flow: selection.flow, step: selection.step, system: selection.system, errorCode: selection.error_code };
  const found = await failedEventsMatching(deps.client, deps.schema, filter, MAX_REPLAY_ITEMS + 1);
  if (found.length > MAX_REPLAY_ITEMS) {
    throw new AppError(400, 'too_many_items', `the selection matches more than ${MAX_REPLAY_ITEMS.toLocaleString('en')} events; narrow the time range or add filters (flow, step, system, error_code)`, {
      details: [{ field: 'selection', message: `more than ${MAX_REPLAY_ITEMS} events` }],
    });
  }
  return found;
}

/**
 * Plan every candidate from the claims and later successes (read in bulk). `lookupFor` says which sendable
 * items to check with their target's lookup (an applied key is skipped); each lookup is one GET, rate-limited.
 */
export async function planCandidates(deps: EngineDeps, candidates: readonly ReplayCandidate[], jobId: string, lookupFor: (index: number) => boolean = () => false): Promise<Planned[]> {
  const claims = await deps.claims.current(candidates.map((c) => c.event_id));
  const successes = new Map<string, number>();
  for (let i = 0; i < candidates.length; i += 2_000) {
    for (const [key, at] of await lastSuccesses(deps.client, deps.schema, candidates.slice(i, i + 2_000))) successes.set(key, at);
  }
  const planned: Planned[] = [];
  for (const [index, candidate] of candidates.entries()) {
    const target = candidate.replay_target === '' ? undefined : deps.targets.get(candidate.replay_target);
    const key = candidate.replay_target === '' ? null : idempotencyKeyFor(candidate.event_id, candidate.replay_target, candidate.payload_key);
    const claim = claims.get(itemKey({ eventId: candidate.event_id, target: candidate.replay_target }));
    const facts = { targetConfigured: target !== undefined, hold: holdOf(claim, jobId), lastSuccessAt: successes.get(stepKey(candidate)) ?? 0 };
    let plan = planItem(candidate, facts);
    if (plan.action === 'send' && target?.lookupUrl !== undefined && key !== null && lookupFor(index)) {
      const lookup = await deps.delivery.lookup(target, key);
      plan = planItem(candidate, { ...facts, keyApplied: lookup.kind === 'applied' });
    }
    planned.push({ candidate, target, key, plan, claim });
  }
  return planned;
}

/** How a dry run shows planned items, with exactly what each sendable one would send (secrets redacted). */
export async function showPlanned(deps: EngineDeps, planned: readonly Planned[]): Promise<PlannedItem[]> {
  const sendable = planned.filter((p) => p.plan.action === 'send');
  const events = await replayEvents(deps.client, deps.schema, sendable.map((p) => p.candidate));
  return planned.map(({ candidate: c, target, key, plan }) => {
    const payload = events.get(c.event_id)?.payload;
    const rendered = plan.action === 'send' && target && key !== null && payload !== undefined ? renderReplayRequest({ target, idempotencyKey: key, contentType: contentTypeOf(payload), body: payload }) : undefined;
    return {
      event_id: c.event_id,
      flow: c.flow,
      correlation_id: c.correlation_id,
      step: c.step,
      occurred_at: c.occurred_at,
      target: c.replay_target === '' ? null : c.replay_target,
      idempotency_key: key,
      action: plan.action,
      skip: plan.action === 'skip' ? { reason: plan.reason, message: plan.message, job_id: plan.jobId ?? null } : null,
      request: rendered
        ? { method: rendered.method, url: rendered.url, headers: rendered.headers, body: rendered.body, body_format: rendered.bodyFormat, lookup: rendered.lookup ?? null }
        : null,
    };
  });
}

function notFound(code: string, field: string, message: string): AppError {
  return new AppError(404, code, message, { details: [{ field, message }] });
}

function badSelection(field: string, message: string): AppError {
  return new AppError(400, 'invalid_body', `${field}: ${message}`, { details: [{ field, message }] });
}
