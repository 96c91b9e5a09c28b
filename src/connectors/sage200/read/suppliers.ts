import type { StandardRecord } from '../../connector.ts';
import type { Lookups } from '../mapping/lookups.ts';
import { pagedRead, type Reader } from './common.ts';
import { loadLookups } from './lookups.ts';
import { mapParty, PARTY_EXPAND } from './parties.ts';

export const mapSupplier = (row: Record<string, unknown>, lk: Lookups): StandardRecord => mapParty('supplier', row, lk);

export const readSuppliers: Reader = async function* (client, options) {
  const lk = await loadLookups(client, []);
  yield* pagedRead(client, options, {
    resource: 'suppliers',
    expand: PARTY_EXPAND,
    map: (r) => mapSupplier(r, lk),
  });
};
