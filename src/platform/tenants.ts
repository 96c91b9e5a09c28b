// Tenants: the isolation boundary. Every API key belongs to one tenant; every company, connection, setting and
// record is reached only through its tenant id.
import type { Kysely } from 'kysely';
import type { Database } from '../store/schema.ts';
import { type Clock, newId, systemClock } from './ids.ts';

export interface Tenant {
  id: string;
  name: string;
  createdAt: string;
}

export async function createTenant(db: Kysely<Database>, name: string, clock: Clock = systemClock): Promise<Tenant> {
  const row = { id: newId(), name, created_at: clock().toISOString() };
  await db.insertInto('tenants').values(row).execute();
  return { id: row.id, name: row.name, createdAt: row.created_at };
}

export async function getTenant(db: Kysely<Database>, id: string): Promise<Tenant | undefined> {
  const row = await db.selectFrom('tenants').selectAll().where('id', '=', id).executeTakeFirst();
  return row && { id: row.id, name: row.name, createdAt: row.created_at };
}

export async function listTenants(db: Kysely<Database>): Promise<Tenant[]> {
  const rows = await db.selectFrom('tenants').selectAll().orderBy('created_at').execute();
  return rows.map((r) => ({ id: r.id, name: r.name, createdAt: r.created_at }));
}
