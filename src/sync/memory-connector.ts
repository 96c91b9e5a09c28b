// A connector over in-memory records: the engine's reference source for unit tests and the sync benchmark's
// baseline checks. It honours the Connector contract exactly (stable order, opaque cursor, modifiedSince, listIds).
import {
  type Connector,
  ConnectorError,
  type DataType,
  type ReadPage,
  type StandardRecord,
} from './../connectors/connector.ts';

export interface MemorySource {
  records: Map<string, StandardRecord[]>;
  /** pages served, per data type (to prove resume does not start over) */
  pagesServed: Map<string, number>;
  /** throw this error when serving page index n (0-based, counted per read call) */
  failAt?: { dataType: string; page: number; error: Error } | null;
  listIdsError?: Error | null;
}

export function memoryConnector(source: MemorySource, pageSize = 2): Connector {
  const types = [...source.records.keys()] as DataType[];
  return {
    platformKey: 'jcrp',
    name: 'Memory',
    sourceType: 'Accounting',
    dataTypes: types.map((dataType) => ({ dataType, read: true })),
    auth: {
      authorizeUrl: () => '',
      exchangeCode: async () => {
        throw new ConnectorError('NotSupported', 'no auth');
      },
      refresh: async () => {
        throw new ConnectorError('NotSupported', 'no auth');
      },
      listCompanies: async () => [],
    },
    async *read(_ctx, dataType, options): AsyncIterable<ReadPage> {
      const all = (source.records.get(dataType) ?? [])
        .filter(
          (r) =>
            !options.modifiedSince ||
            (typeof r.sourceModifiedDate === 'string' && new Date(`${r.sourceModifiedDate}Z`) >= options.modifiedSince),
        )
        .sort((a, b) => (a.id < b.id ? -1 : 1));
      let start = options.cursor ? Number(options.cursor) : 0;
      let served = 0;
      while (start < all.length) {
        if (source.failAt && source.failAt.dataType === dataType && source.failAt.page === served) {
          throw source.failAt.error;
        }
        const records = all.slice(start, start + (options.pageSize ?? pageSize));
        start += records.length;
        served++;
        source.pagesServed.set(dataType, (source.pagesServed.get(dataType) ?? 0) + 1);
        yield { records: structuredClone(records), cursor: String(start) };
      }
    },
    async *listIds(_ctx, dataType) {
      if (source.listIdsError) throw source.listIdsError;
      yield (source.records.get(dataType) ?? []).map((r) => r.id);
    },
  };
}
