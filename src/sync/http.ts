// Helpers shared by the sync/data route files: the tenant's company (404 otherwise), the sync service of this
// process (or a queue-only one: any worker picks the queued row up), and error mapping.
import type { FastifyInstance } from 'fastify';
import { ApiError } from '../http/errors.ts';
import { DatasetInProgressError } from './datasets.ts';
import type { SyncEngine } from './engine.ts';
import { createSyncService, SyncRequestError, type SyncService } from './service.ts';
import type { Db } from './tables.ts';

export async function companyOr404(db: Db, tenantId: string, companyId: string) {
  const c = await db
    .selectFrom('companies')
    .select(['id', 'name', 'tenant_id'])
    .where('id', '=', companyId)
    .where('tenant_id', '=', tenantId)
    .executeTakeFirst();
  if (!c) throw ApiError.notFound(`Company ${companyId} not found. List your companies with GET /companies.`);
  return c;
}

export function syncServiceOf(app: FastifyInstance): SyncService {
  const engine = app.deps.services.sync as SyncEngine | undefined;
  if (engine?.service) return engine.service;
  // No engine in this process: queue only; the embedded executor polls for it and pg-boss workers re-send
  // queued rows they find, so the dataset still runs.
  return createSyncService({ db: app.deps.db, executor: { notify: async () => {} }, clock: app.deps.clock });
}

export function toApiError(err: unknown): unknown {
  if (err instanceof DatasetInProgressError) {
    return new ApiError(409, `DatasetAlreadyInProgressException: ${err.message}`, { detailedErrorCode: 409001 });
  }
  if (err instanceof SyncRequestError) return new ApiError(err.statusCode, err.message);
  return err;
}
