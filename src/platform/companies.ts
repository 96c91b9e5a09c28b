// Companies: one per customer whose books are shared. Codat's rules: name pattern (forbidden characters stripped
// on create), tags (at most 10; key 1-27 characters; value at most 100), redirect = the hosted Link URL.
import type { Kysely } from 'kysely';
import { ApiError } from '../http/errors.ts';
import { companyLinkUrl } from '../link/urls.ts';
import { type CompileOptions, compileOrderBy } from '../query/compile.ts';
import { type ListQuery, runPagedQuery, whereFromQuery } from '../query/paging.ts';
import { dialectOf, fromJson, toJson } from '../store/json.ts';
import type { CompaniesTable, Database } from '../store/schema.ts';
import { type ConnectionView, connectionRowsOf, connectionViews } from './connections.ts';
import { type Clock, newId, systemClock } from './ids.ts';

export const COMPANY_NAME_PATTERN = /^[A-Za-z0-9\s\-',&@.,?!]+$/;
export const COMPANY_NAME_MAX = 255;

/** Create: characters outside Codat's pattern are removed (Codat strips them); nothing left is a 400. */
export function stripCompanyName(name: string): string {
  return name
    .replace(/[^A-Za-z0-9\s\-',&@.,?!]/g, '')
    .replace(/\s+/g, ' ')
    .trim();
}

export interface CompanyView {
  id: string;
  name: string;
  description: string | null;
  redirect: string;
  lastSync: string | null;
  created: string;
  createdByUserName: string | null;
  products: string[];
  tags: Record<string, string>;
  referenceParentCompany: null;
  referenceSubsidiaryCompanies: never[];
  dataConnections: ConnectionView[];
}

export async function companyViews(
  db: Kysely<Database>,
  tenantId: string,
  rows: CompaniesTable[],
  publicUrl: string,
): Promise<CompanyView[]> {
  const connectionRows = await connectionRowsOf(
    db,
    tenantId,
    rows.map((r) => r.id),
  );
  // connectionViews keeps the order of its rows, so views pair with rows by index.
  const views = await connectionViews(db, connectionRows, publicUrl);
  const byCompany = new Map<string, ConnectionView[]>();
  connectionRows.forEach((c, i) => {
    byCompany.set(c.company_id, [...(byCompany.get(c.company_id) ?? []), views[i]]);
  });
  return rows.map((r) => ({
    id: r.id,
    name: r.name,
    description: r.description,
    redirect: companyLinkUrl(publicUrl, r.id),
    lastSync: r.last_sync,
    created: r.created,
    createdByUserName: r.created_by_user_name,
    products: fromJson<string[]>(r.products, []),
    tags: fromJson<Record<string, string>>(r.tags, {}),
    referenceParentCompany: null,
    referenceSubsidiaryCompanies: [],
    dataConnections: byCompany.get(r.id) ?? [],
  }));
}

export async function getCompanyRow(
  db: Kysely<Database>,
  tenantId: string,
  companyId: string,
): Promise<CompaniesTable | undefined> {
  return db
    .selectFrom('companies')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .where('id', '=', companyId)
    .executeTakeFirst();
}

/** The company, or a 404 (also for another tenant's company: never reveal it exists). */
export async function requireCompany(
  db: Kysely<Database>,
  tenantId: string,
  companyId: string,
): Promise<CompaniesTable> {
  const row = await getCompanyRow(db, tenantId, companyId);
  if (!row) throw ApiError.notFound(`Company ${companyId} not found`);
  return row;
}

export async function createCompany(
  db: Kysely<Database>,
  tenantId: string,
  input: { name: string; description?: string | null; tags?: Record<string, string> },
  createdBy: string | null,
  clock: Clock = systemClock,
): Promise<CompaniesTable> {
  const name = stripCompanyName(input.name);
  if (!name) {
    throw ApiError.badRequest('Company name must contain letters or digits', [
      {
        itemId: 'name',
        message: "Company name may use letters, digits, spaces and - ' , & @ . ? !",
        validatorName: 'Pattern',
      },
    ]);
  }
  const row: CompaniesTable = {
    id: newId(),
    tenant_id: tenantId,
    name,
    description: input.description ?? null,
    created: clock().toISOString(),
    created_by_user_name: createdBy,
    last_sync: null,
    products: toJson([]),
    tags: toJson(input.tags ?? {}),
  };
  await db.insertInto('companies').values(row).execute();
  return row;
}

/** PUT replaces name, description and tags; PATCH changes only the fields given. */
export async function updateCompany(
  db: Kysely<Database>,
  tenantId: string,
  companyId: string,
  patch: { name?: string; description?: string | null; tags?: Record<string, string> },
  mode: 'put' | 'patch',
): Promise<CompaniesTable> {
  const existing = await requireCompany(db, tenantId, companyId);
  const set: Partial<CompaniesTable> = {};
  if (patch.name !== undefined) set.name = patch.name.trim();
  if (mode === 'put' || patch.description !== undefined) set.description = patch.description ?? null;
  if (mode === 'put' || patch.tags !== undefined) set.tags = toJson(patch.tags ?? {});
  if (Object.keys(set).length > 0) {
    await db.updateTable('companies').set(set).where('tenant_id', '=', tenantId).where('id', '=', companyId).execute();
  }
  return { ...existing, ...set };
}

/** Removes the company and everything of it (connections, tokens, datasets, records: by foreign-key cascade). */
export async function deleteCompany(db: Kysely<Database>, tenantId: string, companyId: string): Promise<boolean> {
  const res = await db
    .deleteFrom('companies')
    .where('tenant_id', '=', tenantId)
    .where('id', '=', companyId)
    .executeTakeFirst();
  return Number(res.numDeletedRows) > 0;
}

export async function listCompanies(
  db: Kysely<Database>,
  tenantId: string,
  list: ListQuery & { tags?: string },
): Promise<{ rows: CompaniesTable[]; total: number }> {
  const dialect = dialectOf(db);
  const options: CompileOptions = {
    dialect,
    columns: {
      id: 'id',
      name: 'name',
      description: 'description',
      created: 'created',
      lastSync: 'last_sync',
      createdByUserName: 'created_by_user_name',
    },
    jsonColumns: { tags: 'tags' },
  };
  let qb = db.selectFrom('companies').selectAll().where('tenant_id', '=', tenantId);
  // `tags` is a query over the tags object alone: tags=region=uk && team=finance
  const tagsWhere = whereFromQuery(list.tags, { dialect, jsonColumn: 'tags' }, 'tags');
  if (tagsWhere) qb = qb.where(tagsWhere);
  return runPagedQuery(qb, list, { ...options, defaultOrder: compileOrderBy('created,id', options) });
}
