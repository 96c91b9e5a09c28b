// Codat webhook payload pieces built from platform rows.
import { fromJson } from '../store/json.ts';
import type { Db } from './tables.ts';

export interface CompanyReference {
  id: string;
  name: string;
  description?: string;
  links: { portal: string };
  tags: Record<string, string>;
}

export async function toApiCompanyRef(db: Db, companyId: string, publicUrl = ''): Promise<CompanyReference | null> {
  const c = await db
    .selectFrom('companies')
    .select(['id', 'name', 'description', 'tags'])
    .where('id', '=', companyId)
    .executeTakeFirst();
  if (!c) return null;
  return {
    id: c.id,
    name: c.name,
    ...(c.description ? { description: c.description } : {}),
    links: { portal: `${publicUrl}/portal/companies/${c.id}` },
    tags: fromJson<Record<string, string>>(c.tags, {}),
  };
}
