// Sync end-to-end harness: the real simulator, a real Ledgerlink server with the sync engine (embedded executor),
// the Sage 200 integration configured with the demo credentials, companies linked through the real Sage ID login.
import { DEMO_CLIENT, DEMO_SUBSCRIPTION_KEY } from '../../simulator/demo.ts';
import { type Simulator, startSimulator } from '../../simulator/server.ts';
import { createLogger } from '../../src/logger.ts';
import { createEventBus } from '../../src/platform/events.ts';
import { createSyncEngine, type SyncEngine, type SyncEngineOptions } from '../../src/sync/engine.ts';
import { startTestServer, type TestServer, type TestStore } from '../helpers/index.ts';
import { type Linked, linkCompany as linkPushCompany } from '../push/harness.ts';

export interface SyncHarness {
  sim: Pick<Simulator, 'url' | 'close'>;
  server: TestServer;
  engine: SyncEngine;
  link(simCompanyId?: number): Promise<Linked>;
  /** queue one data type over the API and wait for its final status */
  syncAndWait(
    companyId: string,
    dataType: string,
    query?: string,
    timeoutMs?: number,
  ): Promise<{ id: string; status: string; errorMessage: string | null }>;
  close(): Promise<void>;
}

export async function startSyncHarness(
  o: {
    scale?: number;
    store?: TestStore;
    engine?: Partial<SyncEngineOptions>;
    startEngine?: boolean;
    /** a simulator already running elsewhere (e.g. its own process, so benchmarks measure Ledgerlink alone) */
    sim?: Pick<Simulator, 'url' | 'close'>;
  } = {},
): Promise<SyncHarness> {
  const sim = o.sim ?? (await startSimulator({ port: 0, scale: o.scale ?? 0.05 }));
  const services: Record<string, unknown> = { pushBackground: false };
  const events = createEventBus();
  services.events = events;
  const server = await startTestServer({
    store: o.store,
    services,
    config: { sage: { authBaseUrl: sim.url, apiBaseUrl: `${sim.url}/uk/sage200/accounts/v1/` } },
  });
  const res = await server.fetch('/integrations/jcrp/settings/production', {
    method: 'PUT',
    body: JSON.stringify({
      clientId: DEMO_CLIENT.clientId,
      clientSecret: DEMO_CLIENT.clientSecret,
      subscriptionKey: DEMO_SUBSCRIPTION_KEY,
    }),
  });
  if (!res.ok) throw new Error(`integration settings: ${res.status} ${await res.text()}`);
  const engine = await createSyncEngine({
    config: server.config,
    db: server.store.db,
    dialect: server.store.dialect,
    keyring: server.keyring,
    logger: createLogger({ level: 'silent' }),
    events,
    role: 'embedded',
    worker: { pollMs: 100, staleAfterMs: 10_000, concurrency: 2 },
    webhooks: { pollMs: 100 },
    ...o.engine,
    // tests check deletions on every incremental unless they say otherwise (production: every 12 h)
    pipeline: { deletionCheckAfterMs: 0, ...o.engine?.pipeline },
  });
  services.sync = engine;
  if (o.startEngine !== false) await engine.start();

  const h: SyncHarness = {
    sim,
    server,
    engine,
    link: (simCompanyId = 1) => linkPushCompany({ sim, server, close: async () => {} }, simCompanyId),
    async syncAndWait(companyId, dataType, query = '', timeoutMs?: number) {
      const r = await server.fetch(`/companies/${companyId}/data/queue/${dataType}${query}`, { method: 'POST' });
      if (r.status !== 200) throw new Error(`queue ${dataType}: ${r.status} ${await r.text()}`);
      const op = (await r.json()) as { id: string };
      return waitForDataset(server, companyId, op.id, timeoutMs);
    },
    async close() {
      await engine.stop();
      await server.close();
      await sim.close();
    },
  };
  return h;
}

export async function waitForDataset(server: TestServer, companyId: string, id: string, timeoutMs = 60_000) {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const r = await server.fetch(`/companies/${companyId}/data/history/${id}`);
    const body = (await r.json()) as { id: string; status: string; errorMessage: string | null };
    if (!['Queued', 'Fetching', 'Mapping', 'Validating', 'Processing'].includes(body.status)) return body;
    if (Date.now() > end) throw new Error(`dataset ${id} still ${body.status} after ${timeoutMs} ms`);
    await new Promise((res) => setTimeout(res, 100));
  }
}

/** Every record of a data type through the API (all pages). */
export async function allViaApi(server: TestServer, path: string, query = ''): Promise<Record<string, unknown>[]> {
  const out: Record<string, unknown>[] = [];
  for (let page = 1; ; page++) {
    const r = await server.fetch(
      `${path}?page=${page}&pageSize=5000${query ? `&query=${encodeURIComponent(query)}` : ''}`,
    );
    if (r.status !== 200) throw new Error(`GET ${path}: ${r.status} ${await r.text()}`);
    const body = (await r.json()) as { results: Record<string, unknown>[]; totalResults: number };
    out.push(...body.results);
    if (out.length >= body.totalResults || body.results.length === 0) return out;
  }
}

type SageRow = Record<string, unknown>;
/** A call on the simulator's Sage API as some test's linked company. */
export type SageCall = (method: string, path: string, body?: unknown) => Promise<SageRow | SageRow[]>;

/** Posts a 100.00 + 20% VAT sales invoice to `customerId` through Sage's API (first sales nominal code); its URN. */
export async function postSalesInvoice(
  sage: SageCall,
  o: { customerId: unknown; reference: string; date: string; narrative: string },
): Promise<SageRow> {
  const standard = ((await sage('GET', '/tax_codes')) as SageRow[]).find((t) => t.tax_rate === 20)!;
  const [nominal] = (await sage('GET', "/nominal_codes?$filter=startswith(reference,'4')&$top=1")) as SageRow[];
  return (await sage('POST', '/sales_invoices', {
    customer_id: o.customerId,
    transaction_date: o.date,
    reference: o.reference,
    document_goods_value: 100,
    document_tax_value: 20,
    tax_analysis_items: [{ id: standard.id, goods_amount: 100, tax_amount: 20 }],
    nominal_analysis_items: [
      {
        code: nominal!.reference,
        cost_centre: nominal!.cost_centre_code ?? '',
        department: nominal!.department_code ?? '',
        narrative: o.narrative,
        value: 100,
      },
    ],
  })) as SageRow;
}
