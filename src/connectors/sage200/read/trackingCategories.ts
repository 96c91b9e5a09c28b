// Sage cost centres and departments -> a two-level Codat tracking tree: roots __COST_CENTRES and __DEPARTMENTS.
import type { StandardRecord } from '../../connector.ts';
import { sageTimestamp } from '../mapping/dates.ts';
import { COST_CENTRES_ROOT, costCentreId, DEPARTMENTS_ROOT, departmentId } from '../mapping/refs.ts';
import { type Reader, readAll, singlePage } from './common.ts';

type Row = Record<string, unknown>;

export function mapTrackingCategories(costCentres: Row[], departments: Row[]): StandardRecord[] {
  const leaf = (r: Row, id: string, parentId: string): StandardRecord => ({
    id,
    name: String(r.name ?? r.code ?? ''),
    status: 'Active',
    parentId,
    hasChildren: false,
    metadata: { isDeleted: false },
    sourceModifiedDate: sageTimestamp(r.date_time_updated),
  });
  const root = (id: string, name: string, n: number): StandardRecord => ({
    id,
    name,
    status: 'Active',
    parentId: null,
    hasChildren: n > 0,
    metadata: { isDeleted: false },
    sourceModifiedDate: null,
  });
  return [
    root(COST_CENTRES_ROOT, 'Cost Centres', costCentres.length),
    ...costCentres.map((r) => leaf(r, costCentreId(String(r.code).trim()), COST_CENTRES_ROOT)),
    root(DEPARTMENTS_ROOT, 'Departments', departments.length),
    ...departments.map((r) => leaf(r, departmentId(String(r.code).trim()), DEPARTMENTS_ROOT)),
  ];
}

export const readTrackingCategories: Reader = (client) =>
  singlePage(async () => {
    const [cc, dept] = await Promise.all([readAll(client, 'cost_centres'), readAll(client, 'departments')]);
    return mapTrackingCategories(cc, dept);
  });
