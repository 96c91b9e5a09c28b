// The assembled Sage 200cloud connector: its registry entry and data-type flags, and a read through the real client.
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_SITES } from '../../simulator/demo.ts';
import { type Simulator, startSimulator } from '../../simulator/server.ts';
import { DATA_TYPES } from '../../src/connectors/connector.ts';
import { getConnector } from '../../src/connectors/registry.ts';
import { createSageAuth } from '../../src/connectors/sage200/auth.ts';
import { sage200Connector } from '../../src/connectors/sage200/index.ts';
import { failure, signInAtSage, simCredentials } from './sim-login.ts';

let sim: Simulator;
beforeAll(async () => {
  sim = await startSimulator({ port: 0, scale: 0.05 });
});
afterAll(async () => {
  await sim?.close();
});

describe('sage200Connector', () => {
  it('is registered as jcrp "Sage 200cloud" with a flag set for every Codat data type', async () => {
    expect(await getConnector('jcrp')).toBe(sage200Connector);
    expect(sage200Connector).toMatchObject({ platformKey: 'jcrp', name: 'Sage 200cloud', sourceType: 'Accounting' });
    expect(sage200Connector.dataTypes.map((d) => d.dataType)).toEqual([...DATA_TYPES]);
    expect(sage200Connector.dataTypes.every((d) => d.read)).toBe(true);
    expect(sage200Connector.dataTypes.find((d) => d.dataType === 'invoices')?.create).toBe(true);
    expect(sage200Connector.dataTypes.find((d) => d.dataType === 'balanceSheet')?.create).toBe(false);
  });

  it('reads a data type page by page through the Sage 200 client', async () => {
    const credentials = simCredentials(sim.url);
    const auth = createSageAuth();
    const redirectUri = 'http://127.0.0.1:9/oauth/callback';
    const location = await signInAtSage(auth.authorizeUrl(credentials, { state: 's', redirectUri }));
    const tokens = await auth.exchangeCode(credentials, {
      code: new URL(location).searchParams.get('code') ?? '',
      redirectUri,
    });
    const ctx = {
      connectionId: 'c1',
      credentials,
      tokens: {
        getAccessToken: async () => tokens.accessToken,
        refreshAfterUnauthorized: async () => tokens.accessToken,
      },
      source: { siteId: DEMO_SITES.hadley.siteId, companyId: '1' },
      logger: pino({ enabled: false }),
    };
    const ids: string[] = [];
    let pages = 0;
    for await (const page of sage200Connector.read(ctx, 'customers', { pageSize: 3 })) {
      pages++;
      ids.push(...page.records.map((r) => r.id));
      expect(typeof page.cursor).toBe('string');
    }
    expect(ids.length).toBeGreaterThan(3);
    expect(pages).toBeGreaterThan(1);
    expect(new Set(ids).size).toBe(ids.length);

    const other = { ...ctx, source: { siteId: DEMO_SITES.group.siteId, companyId: '5' } };
    const err = await failure(
      (async () => {
        for await (const _ of sage200Connector.read(other, 'customers', {})) break;
      })(),
    );
    expect(err.kind).toBe('NotFound'); // Professional company on the Standard base
  });
});
