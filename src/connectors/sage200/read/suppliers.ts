import type { StandardRecord } from '../../connector.ts';
import type { Lookups } from '../mapping/lookups.ts';
import { pagedRead, type Reader } from './common.ts';
import { loadLookups } from './lookups.ts';
import { mapParty, PARTY_EXPAND, PARTY_SELECT } from './parties.ts';

export const mapSupplier = (row: Record<string, unknown>, lk: Lookups): StandardRecord => mapParty('supplier', row, lk);

export const readSuppliers: Reader = (client, options) =>
  pagedRead(client, options, {
    context: loadLookups(client, []),
    resource: 'suppliers',
    expand: PARTY_EXPAND,
    select: PARTY_SELECT,
    map: (r, lk) => mapSupplier(r, lk),
  });
