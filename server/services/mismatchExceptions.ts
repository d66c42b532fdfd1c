import { exceptionId } from '../domain/exceptions.js';
import type { ExceptionRow } from '../store/queries/exceptions.js';
import type { ReconciliationService } from './reconciliationService.js';

/** Settlements reconciled within this long count as exceptions when they do not match. */
const MISMATCH_LOOKBACK_MS = 7 * 86_400_000;

/**
 * Settlements that do not reconcile, as exceptions of kind `mismatch`: finance's to explain (the ownership
 * rules route a business problem of settlement_to_ledger to them), dated when the ERP posted the settlement.
 */
export function mismatchExceptions(reconciliation: ReconciliationService): (now: number) => Promise<ExceptionRow[]> {
  return async (now) => {
    const list = await reconciliation.list({ from: now - MISMATCH_LOOKBACK_MS, to: now, statuses: ['mismatched'], limit: 500, offset: 0 });
    return list.settlements.map((s) => {
      const at = s.erp_posted_at ?? s.reported_at ?? now;
      return {
        exception_id: exceptionId('settlement_to_ledger', s.correlation_id, 'reconciliation'),
        kind: 'mismatch' as const,
        flow: 'settlement_to_ledger',
        correlation_id: s.correlation_id,
        step: 'reconciliation',
        first_failed_at: at,
        last_failed_at: at,
        attempts: 0,
        last_status: 'mismatched',
        system: s.source ?? '',
        target_system: 'erp',
        channel: '',
        error_code: `SETTLEMENT_${(s.reason ?? 'unknown').toUpperCase()}_MISMATCH`,
        error_class: 'business',
        error_message: s.explanation ?? `reported ${s.reported_net ?? '?'} vs ERP ${s.erp_net ?? '?'} ${s.currency ?? ''}`.trim(),
        replay_target: '',
        recovered_at: 0,
      };
    });
  };
}
