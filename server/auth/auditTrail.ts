import type { Request, RequestHandler, Response } from 'express';
import type { AuditEntry } from '../services/auditService.js';
import type { AuditResult } from '../store/queries/audit.js';
import { ANONYMOUS, type Identity } from './authenticator.js';
import { isMutating, requirementFor } from './policy.js';

/**
 * Records every mutating request once its answer is sent: who (the identity the auth middleware found), what (the
 * policy table's action name), the target (the route's id), when, from where, the status and the result — refused
 * attempts (401, 403, 415, 429) included. Never the request's body, query string or credentials. Ingest traffic
 * and socket.io polling carry no action and are not recorded. Mount it first, before the auth middleware.
 *
 * A handler can refine its row through `res.locals.audit` ({@link AuditNote}), e.g. the exception action taken.
 */

/** What a route may add to its audit row. */
export type AuditNote = { action?: string; target?: string; detail?: string };

export type AuditRecorder = { record(entry: AuditEntry): void };

export type AuditTrailOptions = {
  /** The client's address; default `req.ip`. Pass the authenticator's `addressOf` so FLOWLENS_TRUST_PROXY decides. */
  addressOf?: (req: Request) => string;
  now?: () => number;
};

const MAX_TEXT = 512;

export function auditTrail(recorder: AuditRecorder, options: AuditTrailOptions = {}): RequestHandler {
  const addressOf = options.addressOf ?? ((req: Request) => req.ip ?? '');
  const now = options.now ?? Date.now;
  return (req, res, next) => {
    const { rule, params } = requirementFor(req.method, req.path);
    if (!isMutating(req.method) || rule.action === undefined) {
      next();
      return;
    }
    const at = now();
    const method = req.method.toUpperCase();
    const path = req.path;
    const fromIp = addressOf(req);
    const errorCode = captureErrorCode(res);
    let written = false;
    const write = () => {
      if (written) return;
      written = true;
      const identity = (res.locals.identity as Identity | undefined) ?? ANONYMOUS;
      const note = (res.locals.audit as AuditNote | undefined) ?? {};
      const finished = res.writableFinished;
      const status = finished ? res.statusCode : 0;
      const refusal = res.locals.auditDetail as string | undefined;
      const outcome = refusal ?? (finished ? (errorCode.value ?? '') : 'the client went away before the answer');
      const detail = [note.detail ?? '', outcome].filter((part) => part !== '').join('; ');
      recorder.record({
        at,
        actor: identity.name,
        actor_kind: identity.kind,
        action: clip(note.action ?? rule.action ?? 'unlisted'),
        target: clip(note.target ?? params.id ?? params.settlementId ?? ''),
        method,
        path: clip(path),
        from_ip: fromIp,
        status,
        result: resultOf(status, refusal !== undefined),
        detail: clip(detail),
      });
    };
    res.once('finish', write);
    res.once('close', write);
    next();
  };
}

/** ok below 400; denied when access control refused it (or sign-in limits); failed otherwise. */
export function resultOf(status: number, refusedByAccessControl: boolean): AuditResult {
  if (status === 0) return 'failed';
  if (status < 400) return 'ok';
  if (refusedByAccessControl || status === 401 || status === 403 || status === 429) return 'denied';
  return 'failed';
}

/** The `error.code` of a JSON error answer (the error middleware's shape), for the row's detail. */
function captureErrorCode(res: Response): { value?: string } {
  const captured: { value?: string } = {};
  const json = res.json.bind(res);
  res.json = (body: unknown) => {
    const code = (body as { error?: { code?: unknown } } | null)?.error?.code;
    if (typeof code === 'string') captured.value = code;
    return json(body);
  };
  return captured;
}

function clip(text: string): string {
  return text.length > MAX_TEXT ? `${text.slice(0, MAX_TEXT)}…` : text;
}
