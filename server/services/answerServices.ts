import type { ClickHouseClient } from '@clickhouse/client';
import { inventoryMilestones, ownerOf, type Catalog } from '../catalog/catalog.js';
import type { Config } from '../config/config.js';
import type { Throughput } from '../contracts/api.js';
import type { Schema } from '../store/schema.js';
import { createExceptionService, type ExceptionService } from './exceptionService.js';
import { createInventoryService, type InventoryService } from './inventoryService.js';
import { createLineageService, type LineageService } from './lineageService.js';
import { mismatchExceptions } from './mismatchExceptions.js';
import { OVERVIEW_MAX_AGE_MS, createOverviewService, type OverviewService } from './overviewService.js';
import { createReconciliationService, type ReconciliationService } from './reconciliationService.js';
import { createSlaService, type SlaService } from './slaService.js';

export type AnswerServices = {
  lineage: LineageService;
  inventory: InventoryService;
  exceptions: ExceptionService;
  slas: SlaService;
  reconciliation: ReconciliationService;
  overview: OverviewService;
  /** New data was loaded (a flush): shared answers are computed afresh for the next caller. */
  invalidate(): void;
  /**
   * New data was loaded: shared answers are computed afresh as soon as that keeps the engine busy at most a
   * fifth of the time (sharedResult `changed`), so screens show it at their next refresh while answers are cheap.
   */
  dataLoaded(): void;
};

type AnswerConfig = Pick<
  Config,
  'answerMaxAgeMs' | 'lagSnapshotIntervalMs' | 'reconciliationToleranceMinor' | 'reconciliationCurrencyTolerances' | 'reconciliationBankAccounts' | 'reconciliationFeeAccounts' | 'reconciliationReceivableAccounts' | 'reconciliationTaxAccounts'
>;

/**
 * Every answer of the API, composed once from the store, the flow catalog and the configuration: what the
 * server mounts, and what the benchmark times in-process to tell the API's own overhead apart.
 */
export function createAnswerServices(client: ClickHouseClient, schema: Schema, catalog: Catalog, config: AnswerConfig, throughput: (windowSeconds: number) => Promise<Throughput>): AnswerServices {
  const owner = (facts: Parameters<typeof ownerOf>[1]) => ownerOf(catalog, facts);
  // A snapshot that missed two rebuilds (its server stopped rebuilding it) is not read.
  const inventory = createInventoryService(client, schema, inventoryMilestones(catalog), {
    snapshotMaxAgeMs: config.lagSnapshotIntervalMs > 0 ? 2 * config.lagSnapshotIntervalMs + 60_000 : 0,
    maxAgeMs: config.answerMaxAgeMs,
  });
  const slas = createSlaService(client, schema, catalog, { maxAgeMs: config.answerMaxAgeMs });
  const reconciliation = createReconciliationService(client, schema, {
    ownerOf: owner,
    rules: { toleranceMinor: config.reconciliationToleranceMinor, currencyToleranceMinor: config.reconciliationCurrencyTolerances },
    accounts: { bank: config.reconciliationBankAccounts, fee: config.reconciliationFeeAccounts, receivable: config.reconciliationReceivableAccounts, tax: config.reconciliationTaxAccounts },
  });
  const exceptions = createExceptionService(client, schema, owner, {
    missingSteps: () => slas.missingStepExceptions(),
    mismatches: mismatchExceptions(reconciliation),
    ownerById: (id) => catalog.owners.teams.get(id),
  }, { maxAgeMs: config.answerMaxAgeMs });
  const overview = createOverviewService({ client, schema, throughput, inventory, exceptions, slas }, { maxAgeMs: Math.min(OVERVIEW_MAX_AGE_MS, config.answerMaxAgeMs) });
  return {
    lineage: createLineageService(client, schema, catalog),
    inventory,
    exceptions,
    slas,
    reconciliation,
    overview,
    invalidate() {
      inventory.invalidate();
      slas.invalidate();
      exceptions.invalidate();
      overview.invalidate();
    },
    dataLoaded() {
      inventory.changed();
      slas.changed();
      exceptions.changed();
      overview.changed();
    },
  };
}
