import { migration0001 } from './0001_business_events.js';
import { migration0002 } from './0002_business_key_lookup.js';
import { migration0003 } from './0003_flow_state.js';
import { migration0004 } from './0004_otel_traces.js';
import { migration0005 } from './0005_flow_milestones.js';
import { migration0006 } from './0006_exceptions.js';
import { migration0007 } from './0007_source_freshness.js';
import { migration0008 } from './0008_inventory_movements.js';
import { migration0009 } from './0009_drop_flow_state.js';
import { migration0010 } from './0010_lineage_events.js';
import { migration0011 } from './0011_replay.js';
import { migration0012 } from './0012_alerts.js';
import { migration0013 } from './0013_sku_location_key.js';
import { migration0014 } from './0014_audit.js';
import { migration0015 } from './0015_session_revocations.js';
import { migration0016 } from './0016_notification_claim_order.js';
import { migration0017 } from './0017_replay_leases.js';
import type { Migration } from './migration.js';

/** Every migration, in order. A new migration is a new numbered file added here. */
export const MIGRATIONS: readonly Migration[] = [migration0001, migration0002, migration0003, migration0004, migration0005, migration0006, migration0007, migration0008, migration0009, migration0010, migration0011, migration0012, migration0013, migration0014, migration0015, migration0016, migration0017];
