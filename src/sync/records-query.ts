// Reading the visible records for the data endpoints: paged, queried and ordered with the shared query language
// over real columns (id, modifiedDate, sourceModifiedDate, metadata.isDeleted) and the JSON document.
import { sql } from 'kysely';
import { ApiError } from '../http/errors.ts';
import { type ListQuery, runPagedQuery } from '../query/paging.ts';
import type { Dialect } from '../store/json.ts';
import { lastComplete } from './datasets.ts';
import { parseContent, toApiRecord } from './records-store.ts';
import type { Db } from './tables.ts';

export const RECORD_COLUMNS = {
  id: 'record_id',
  modifiedDate: 'modified_date',
  sourceModifiedDate: 'source_modified_date',
  'metadata.isDeleted': { expr: sql.ref('is_deleted'), type: 'boolean' as const },
};

/** 409 when a data type was never synced successfully for the company (Codat's behaviour). */
export async function requireSynced(db: Db, companyId: string, dataType: string): Promise<void> {
  if (await lastComplete(db, companyId, dataType)) return;
  const inFlight = await db
    .selectFrom('datasets')
    .select(['id', 'status'])
    .where('company_id', '=', companyId)
    .where('data_type', '=', dataType)
    .orderBy('requested', 'desc')
    .executeTakeFirst();
  const hint = inFlight
    ? `its latest sync ${inFlight.id} is ${inFlight.status}`
    : `queue it with POST /companies/${companyId}/data/queue/${dataType}`;
  throw new ApiError(409, `${dataType} data has not been synced for this company yet: ${hint}.`, {
    detailedErrorCode: 409002,
  });
}

export interface RecordFilter {
  companyId: string;
  dataType: string;
  connectionId?: string;
  /** extra equality filters on JSON properties (e.g. bank transactions of one account) */
  jsonEquals?: Record<string, string>;
}

export async function listRecords(db: Db, dialect: Dialect, f: RecordFilter, list: ListQuery) {
  let qb = db
    .selectFrom('records')
    .select(['content', 'modified_date', 'is_deleted'])
    .where('company_id', '=', f.companyId)
    .where('data_type', '=', f.dataType);
  if (f.connectionId) qb = qb.where('connection_id', '=', f.connectionId);
  for (const [k, v] of Object.entries(f.jsonEquals ?? {})) {
    qb = qb.where(
      dialect === 'sqlite'
        ? sql<boolean>`json_extract(content, ${`$.${k}`}) = ${v}`
        : sql<boolean>`(content ->> ${k}) = ${v}`,
    );
  }
  const { rows, total } = await runPagedQuery(qb, list, {
    dialect,
    columns: RECORD_COLUMNS,
    jsonColumn: 'content',
    defaultOrder: [{ expr: sql`record_id`, direction: 'asc' }],
  });
  return { results: rows.map(toApiRecord), total };
}

export async function getRecord(db: Db, f: RecordFilter, recordId: string) {
  let qb = db
    .selectFrom('records')
    .select(['content', 'modified_date', 'is_deleted'])
    .where('company_id', '=', f.companyId)
    .where('data_type', '=', f.dataType)
    .where('record_id', '=', recordId);
  if (f.connectionId) qb = qb.where('connection_id', '=', f.connectionId);
  const row = await qb.executeTakeFirst();
  return row ? toApiRecord(row) : undefined;
}

/** Every live record of a type (reports: monthly statements, aged-report inputs). */
export async function allRecords(db: Db, companyId: string, dataType: string): Promise<Record<string, unknown>[]> {
  const rows = await db
    .selectFrom('records')
    .select('content')
    .where('company_id', '=', companyId)
    .where('data_type', '=', dataType)
    .where('is_deleted', '=', 0)
    .orderBy('record_id')
    .execute();
  return rows.map((r) => parseContent(r.content));
}
