// Table shapes owned by the sync engine (migration 0200_sync.ts). Timestamps are ISO-8601 UTC strings and booleans
// are 0/1 integers on both dialects, so the same code runs on SQLite and PostgreSQL.
import type { Generated, Kysely } from 'kysely';
import type { Database } from '../store/schema.ts';

export interface RecordsTable {
  id: Generated<number>;
  company_id: string;
  data_type: string;
  record_id: string;
  connection_id: string;
  /** the standard-model record (JSON text on SQLite, jsonb on PostgreSQL), without modifiedDate/metadata */
  content: unknown;
  content_hash: string;
  source_modified_date: string | null;
  modified_date: string;
  is_deleted: number;
  dataset_id: string;
}

/** Pages of a running dataset, staged until the dataset completes (then merged into `records` in one transaction). */
export interface RecordStageTable {
  dataset_id: string;
  record_id: string;
  content: unknown;
  content_hash: string;
  source_modified_date: string | null;
}

/** Ids present in the source, listed for deletion reconciliation of an incremental sync. */
export interface RecordIdStageTable {
  dataset_id: string;
  record_id: string;
}

export interface DatasetsTable {
  id: string;
  tenant_id: string;
  company_id: string;
  connection_id: string;
  data_type: string;
  status: string;
  status_description: string | null;
  error_message: string | null;
  requested: string;
  started: string | null;
  completed: string | null;
  progress: number;
  /** `company|dataType` while queued or running, null once finished: a unique index allows one in flight */
  running_key: string | null;
  /** 1 = full read (deletions by absence), 0 = incremental */
  is_full: number;
  /** 1 = first load of the type: pages go straight into `records` (no stage, no merge); see records-store.ts */
  direct: number;
  /** first load: records added to `records` so far (recordsModified when it completes) */
  direct_written: number;
  /** incremental read of an append-only source: the `nextSync` token it started after (see ReadOptions.after) */
  after_token: string | null;
  /** the connector's latest `nextSync` token: where the next incremental read starts */
  sync_token: string | null;
  modified_since: string | null;
  from_date: string | null;
  /** connector cursor after the last staged page (checkpoint) */
  cursor: string | null;
  ids_done: number;
  pages: number;
  records_fetched: number;
  records_modified: number;
  records_deleted: number;
  /** highest sourceModifiedDate seen in this company's data type after this dataset (next incremental's start) */
  high_water: string | null;
  attempts: number;
  worker_id: string | null;
  heartbeat_at: string | null;
  run_after: string | null;
  validation: string | null;
  trigger: string;
}

export interface SyncSettingsTable {
  tenant_id: string;
  /** '' for the tenant-wide profile settings */
  company_id: string;
  data_type: string;
  settings: string;
  overrides_defaults: number;
  updated: string;
}

/** A connector's snapshot of one connection's lookup piece (migration 0202; src/sync/lookup-snapshots.ts). */
export interface LookupSnapshotsTable {
  connection_id: string;
  piece: string;
  stamp: string | null;
  payload: Uint8Array;
  saved_at: string;
}

export interface SyncTables {
  lookup_snapshots: LookupSnapshotsTable;
  records: RecordsTable;
  record_stage: RecordStageTable;
  record_id_stage: RecordIdStageTable;
  datasets: DatasetsTable;
  sync_settings: SyncSettingsTable;
}

declare module '../store/schema.ts' {
  interface Database extends SyncTables {}
}

export type Db = Kysely<Database>;
