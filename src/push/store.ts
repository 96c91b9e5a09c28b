// Push operations repository: the durable record of each write, written BEFORE anything is sent to the source.
import type { Kysely } from 'kysely';
import { fromJson, toJson } from '../store/json.ts';
import type { Database } from '../store/schema.ts';
import type { PushOperationsTable } from './schema.ts';
import './schema.ts';
import type { PushChange, PushOperation, PushOperationKind, PushStatus, ValidationItem } from './types.ts';

export interface NewPush {
  pushOperationKey: string;
  tenantId: string;
  companyId: string;
  connectionId: string;
  dataType: string;
  operation: PushOperationKind;
  recordId?: string | null;
  body: unknown;
  timeoutInMinutes?: number | null;
  forceUpdate?: boolean;
  expectedSourceModified?: string | null;
  now: Date;
}

export interface PushRow extends PushOperationsTable {}

/** Codat's Create/Update response: the push operation plus the (deprecated) written record. */
export function toApiWithData(row: PushRow): PushOperation & { data?: Record<string, unknown> } {
  const data = fromJson<Record<string, unknown> | null>(row.data, null);
  return data ? { ...toApi(row), data } : toApi(row);
}

export function toApi(row: PushRow): PushOperation {
  const validation = fromJson<{ errors?: ValidationItem[]; warnings?: ValidationItem[] }>(row.validation, {});
  return {
    pushOperationKey: row.push_operation_key,
    companyId: row.company_id,
    dataConnectionKey: row.connection_id,
    dataType: row.data_type,
    requestedOnUtc: row.requested_on_utc,
    completedOnUtc: row.completed_on_utc,
    timeoutInMinutes: row.timeout_in_minutes,
    status: row.status as PushStatus,
    statusCode: row.status_code,
    errorMessage: row.error_message,
    validation: { errors: validation.errors ?? [], warnings: validation.warnings ?? [] },
    changes: fromJson<PushChange[] | null>(row.changes, null),
  };
}

export class PushStore {
  constructor(private readonly db: Kysely<Database>) {}

  async insert(p: NewPush): Promise<PushRow> {
    const now = p.now.toISOString();
    const row: PushRow = {
      push_operation_key: p.pushOperationKey,
      tenant_id: p.tenantId,
      company_id: p.companyId,
      connection_id: p.connectionId,
      data_type: p.dataType,
      operation: p.operation,
      record_id: p.recordId ?? null,
      status: 'Pending',
      status_code: 202,
      error_message: null,
      requested_on_utc: now,
      completed_on_utc: null,
      timeout_in_minutes: p.timeoutInMinutes ?? null,
      expires_at: p.timeoutInMinutes ? new Date(p.now.getTime() + p.timeoutInMinutes * 60_000).toISOString() : null,
      validation: toJson({ errors: [], warnings: [] }),
      changes: null,
      body: toJson(p.body ?? null),
      force_update: p.forceUpdate ? 1 : 0,
      expected_source_modified: p.expectedSourceModified ?? null,
      attempts: 0,
      last_attempt_at: null,
      lease_until: null,
      progress: toJson({}),
      updated_at: now,
    };
    await this.db.insertInto('push_operations').values(row).execute();
    return row;
  }

  async get(pushOperationKey: string, tenantId?: string): Promise<PushRow | undefined> {
    let q = this.db.selectFrom('push_operations').selectAll().where('push_operation_key', '=', pushOperationKey);
    if (tenantId) q = q.where('tenant_id', '=', tenantId);
    return (await q.executeTakeFirst()) as PushRow | undefined;
  }

  async listForCompany(
    companyId: string,
    page: number,
    pageSize: number,
    filter: { status?: string; dataType?: string } = {},
  ): Promise<{ rows: PushRow[]; total: number }> {
    let base = this.db.selectFrom('push_operations').where('company_id', '=', companyId);
    if (filter.status) base = base.where('status', '=', filter.status);
    if (filter.dataType) base = base.where('data_type', '=', filter.dataType);
    const count = await base.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirst();
    const rows = await base
      .selectAll()
      .orderBy('requested_on_utc', 'desc')
      .orderBy('push_operation_key', 'asc')
      .limit(pageSize)
      .offset((page - 1) * pageSize)
      .execute();
    return { rows: rows as PushRow[], total: Number(count?.n ?? 0) };
  }

  /**
   * Takes the push for one try: only when still Pending and not leased by a live worker. Counts the attempt and
   * commits it BEFORE the caller sends anything, so a crash after sending is seen as "may have reached Sage".
   */
  async claim(pushOperationKey: string, now: Date, leaseMs: number): Promise<PushRow | undefined> {
    const nowIso = now.toISOString();
    const res = await this.db
      .updateTable('push_operations')
      .set((eb) => ({
        attempts: eb('attempts', '+', 1),
        last_attempt_at: nowIso,
        lease_until: new Date(now.getTime() + leaseMs).toISOString(),
        updated_at: nowIso,
      }))
      .where('push_operation_key', '=', pushOperationKey)
      .where('status', '=', 'Pending')
      .where((eb) => eb.or([eb('lease_until', 'is', null), eb('lease_until', '<', nowIso)]))
      .executeTakeFirst();
    if (Number(res.numUpdatedRows) !== 1) return undefined;
    return this.get(pushOperationKey);
  }

  /** Lets another try happen at once (e.g. after a transient failure, before the backoff). */
  async release(pushOperationKey: string, now: Date): Promise<void> {
    await this.db
      .updateTable('push_operations')
      .set({ lease_until: null, updated_at: now.toISOString() })
      .where('push_operation_key', '=', pushOperationKey)
      .execute();
  }

  async saveProgress(pushOperationKey: string, progress: Record<string, unknown>, now: Date): Promise<void> {
    await this.db
      .updateTable('push_operations')
      .set({ progress: toJson(progress), updated_at: now.toISOString() })
      .where('push_operation_key', '=', pushOperationKey)
      .execute();
  }

  /**
   * Records the outcome. A push already TimedOut keeps that status (Codat: the timeout only changes the status; the
   * write may still land) but still gets its changes, so the caller can see what was written.
   */
  async complete(
    pushOperationKey: string,
    outcome: {
      status: Exclude<PushStatus, 'Pending' | 'TimedOut'>;
      statusCode: number;
      errorMessage?: string | null;
      errors?: ValidationItem[];
      warnings?: ValidationItem[];
      changes?: PushChange[] | null;
      recordId?: string | null;
      data?: unknown;
    },
    now: Date,
  ): Promise<PushRow> {
    const nowIso = now.toISOString();
    const common = {
      validation: toJson({ errors: outcome.errors ?? [], warnings: outcome.warnings ?? [] }),
      changes: outcome.changes ? toJson(outcome.changes) : null,
      lease_until: null,
      updated_at: nowIso,
      ...(outcome.recordId ? { record_id: outcome.recordId } : {}),
      ...(outcome.data !== undefined ? { data: toJson(outcome.data) } : {}),
    };
    const res = await this.db
      .updateTable('push_operations')
      .set({
        ...common,
        status: outcome.status,
        status_code: outcome.statusCode,
        error_message: outcome.errorMessage ?? null,
        completed_on_utc: nowIso,
      })
      .where('push_operation_key', '=', pushOperationKey)
      .where('status', '=', 'Pending')
      .executeTakeFirst();
    if (Number(res.numUpdatedRows) === 0) {
      const current = await this.get(pushOperationKey);
      if (current?.status === 'TimedOut') {
        const later =
          outcome.status === 'Success'
            ? 'Later the write completed in Sage (see changes).'
            : `Later the write failed: ${outcome.errorMessage ?? 'unknown error'}`;
        await this.db
          .updateTable('push_operations')
          .set({
            changes: common.changes,
            ...(common.data !== undefined ? { data: common.data } : {}),
            lease_until: null,
            updated_at: nowIso,
            error_message: `${current.error_message ?? ''} ${later}`.trim(),
          })
          .where('push_operation_key', '=', pushOperationKey)
          .execute();
      }
    }
    return (await this.get(pushOperationKey))!;
  }

  /** Marks every Pending push past its timeout as TimedOut; returns their keys. */
  async timeOutExpired(now: Date): Promise<PushRow[]> {
    const nowIso = now.toISOString();
    const due = (await this.db
      .selectFrom('push_operations')
      .selectAll()
      .where('status', '=', 'Pending')
      .where('expires_at', 'is not', null)
      .where('expires_at', '<', nowIso)
      .execute()) as PushRow[];
    const out: PushRow[] = [];
    for (const row of due) {
      const res = await this.db
        .updateTable('push_operations')
        .set({
          status: 'TimedOut',
          status_code: 504,
          completed_on_utc: nowIso,
          error_message: `The push did not complete within ${row.timeout_in_minutes} minute(s). It may still complete in Sage; check the push operation again or sync the data type.`,
          updated_at: nowIso,
        })
        .where('push_operation_key', '=', row.push_operation_key)
        .where('status', '=', 'Pending')
        .executeTakeFirst();
      if (Number(res.numUpdatedRows) === 1) out.push((await this.get(row.push_operation_key))!);
    }
    return out;
  }

  /** Pending pushes nobody is working on (never started, or their worker's lease lapsed: a crash). */
  async resumable(now: Date, limit = 50): Promise<PushRow[]> {
    const nowIso = now.toISOString();
    return (await this.db
      .selectFrom('push_operations')
      .selectAll()
      .where('status', '=', 'Pending')
      .where((eb) => eb.or([eb('lease_until', 'is', null), eb('lease_until', '<', nowIso)]))
      .orderBy('requested_on_utc', 'asc')
      .limit(limit)
      .execute()) as PushRow[];
  }
}
