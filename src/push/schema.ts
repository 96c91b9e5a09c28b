// Table shapes of the push module (migration 0400_push.ts), merged into the shared Database type.
declare module '../store/schema.ts' {
  interface Database {
    push_operations: PushOperationsTable;
    push_idempotency_keys: PushIdempotencyKeysTable;
  }
}

export interface PushOperationsTable {
  push_operation_key: string;
  tenant_id: string;
  company_id: string;
  connection_id: string;
  data_type: string;
  operation: string;
  record_id: string | null;
  status: string;
  status_code: number;
  error_message: string | null;
  requested_on_utc: string;
  completed_on_utc: string | null;
  timeout_in_minutes: number | null;
  /** requested + timeoutInMinutes; a Pending push past it becomes TimedOut */
  expires_at: string | null;
  validation: unknown;
  changes: unknown;
  /** the request body, kept so a crashed push can be resumed exactly as asked */
  body: unknown;
  force_update: number;
  expected_source_modified: string | null;
  /** tries that may have reached the source; >0 on resume means "look before posting again" */
  attempts: number;
  last_attempt_at: string | null;
  /** a worker owns the push until then; another process may take it over afterwards (crash recovery) */
  lease_until: string | null;
  /** workflow step results (e.g. the receipt posted before its allocation) */
  progress: unknown;
  /** the written record as the read mapper gives it (Codat's deprecated `data`); null until Success */
  data?: unknown;
  updated_at: string;
}

export interface PushIdempotencyKeysTable {
  tenant_id: string;
  idempotency_key: string;
  request_hash: string;
  push_operation_key: string;
  /** 1 while the request that created it has not answered yet */
  in_flight: number;
  created_at: string;
  expires_at: string;
}
