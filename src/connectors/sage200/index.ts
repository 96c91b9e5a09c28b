// The Sage 200cloud (Sage 200 Standard, UK) connector: Sage ID auth and discovery from this folder, readers from
// ./read, writers from ./write. The core only sees the Connector interface.
import {
  type Connector,
  ConnectorError,
  DATA_TYPES,
  type DataType,
  type DataTypeSupport,
  type SnapshotStore,
} from '../connector.ts';
import { createSageAuth } from './auth.ts';
import { Sage200Client } from './client.ts';
import { ID_PAGE_SIZE, LISTABLE, listIds } from './read/ids.ts';
import { readers } from './read/index.ts';
import { lookupCacheFor } from './read/lookup-cache.ts';
import { listCompanies } from './sites.ts';
import { pushers, WRITE_OPERATIONS } from './write/index.ts';

export const SAGE200_PLATFORM_KEY = 'jcrp';
export const SAGE200_NAME = 'Sage 200cloud';

/** Aged debtor/creditor reports are computed by the API from the synced documents (src/model/aged.ts). */
const COMPUTED: ReadonlySet<DataType> = new Set(['agedDebtor', 'agedCreditor']);
/** Data types read from Sage 200 (codat-model.md 5.4): those with a reader in ./read, plus the computed reports. */
const READ: ReadonlySet<DataType> = new Set(DATA_TYPES.filter((t) => readers[t] || COMPUTED.has(t)));

/** Writes supported through ./write (push helper); keep in step with its `pushers`. */
const WRITE: Partial<Record<DataType, Array<'create' | 'update' | 'delete'>>> = WRITE_OPERATIONS;

export const sage200DataTypes: DataTypeSupport[] = DATA_TYPES.map((dataType) => ({
  dataType,
  read: READ.has(dataType),
  create: WRITE[dataType]?.includes('create') ?? false,
  update: WRITE[dataType]?.includes('update') ?? false,
  delete: WRITE[dataType]?.includes('delete') ?? false,
}));

const auth = createSageAuth();

/** A connection's snapshots, under the Sage company they were read from (a relink may choose another). */
function scopedSnapshots(store: SnapshotStore, prefix: string): SnapshotStore {
  return {
    load: (piece, newerThan) => store.load(prefix + piece, newerThan),
    save: (piece, stamp, payload) => store.save(prefix + piece, stamp, payload),
    exclusive: store.exclusive && ((piece, fn, waitMs) => store.exclusive!(prefix + piece, fn, waitMs)),
  };
}

export const sage200Connector: Connector = {
  platformKey: SAGE200_PLATFORM_KEY,
  name: SAGE200_NAME,
  sourceType: 'Accounting',
  dataTypes: sage200DataTypes,
  auth: {
    authorizeUrl: auth.authorizeUrl,
    exchangeCode: auth.exchangeCode,
    refresh: auth.refresh,
    listCompanies: (credentials, accessToken) => listCompanies(credentials, accessToken),
  },
  async *read(ctx, dataType, options) {
    const reader = readers[dataType];
    if (!reader) throw new ConnectorError('NotSupported', `Sage 200cloud does not support reading ${dataType}`);
    const client = new Sage200Client(ctx, { pageSize: options.pageSize });
    const lookupCache = lookupCacheFor(`${ctx.connectionId}|${ctx.source.siteId}|${ctx.source.companyId}`);
    const snapshots = ctx.snapshots && scopedSnapshots(ctx.snapshots, `${ctx.source.siteId}|${ctx.source.companyId}|`);
    yield* reader({ get: client.get.bind(client), pages: client.pages.bind(client), lookupCache, snapshots }, options);
  },
  async *listIds(ctx, dataType, options = {}) {
    const client = new Sage200Client(ctx, { pageSize: ID_PAGE_SIZE });
    const ids = listIds(client, dataType, options);
    if (!ids) throw new ConnectorError('NotSupported', `Sage 200cloud has no id listing for ${dataType}`);
    yield* ids;
  },
  canListIds: (dataType) => LISTABLE.has(dataType),
  push: pushers.push,
  pushOptions: pushers.pushOptions,
};

export { createSageAuth } from './auth.ts';
export { Sage200Client } from './client.ts';
export { listCompanies } from './sites.ts';
