// The Sage lookup cache shared by the data types of one sync run must never map from stale reference data: a
// customer renamed in Sage between two reads (well inside the cache's lifetime) shows its new name on the invoices
// of the next full read. Real HTTP against the simulator; SQLite, or PostgreSQL with DATABASE_URL.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { DEMO_COMPANIES, DEMO_SUBSCRIPTION_KEY } from '../../simulator/demo.ts';
import { allViaApi, type SyncHarness, startSyncHarness } from './sage-harness.ts';

let h: SyncHarness;
beforeAll(async () => {
  h = await startSyncHarness();
});
afterAll(async () => {
  await h?.close();
});

it('a customer renamed between two invoice reads is not served from the cache', async () => {
  const l = await h.link(1);
  expect((await h.syncAndWait(l.companyId, 'invoices')).status).toBe('Complete');
  const invoices = await allViaApi(h.server, `/companies/${l.companyId}/data/invoices`);
  const ref = (invoices[0] as { customerRef: { id: string; companyName: string } }).customerRef;
  const demo = DEMO_COMPANIES.find((c) => c.companyId === 1)!;
  const put = await fetch(`${h.sim.url}/uk/sage200/accounts/v1/customers/${ref.id}`, {
    method: 'PUT',
    headers: {
      Authorization: `Bearer ${l.accessToken}`,
      'X-Site': demo.siteId,
      'X-Company': '1',
      'Ocp-Apim-Subscription-Key': DEMO_SUBSCRIPTION_KEY,
      'content-type': 'application/json',
    },
    body: JSON.stringify({ name: 'Renamed Customer plc' }),
  });
  expect(put.status).toBe(200);
  expect((await h.syncAndWait(l.companyId, 'invoices', '?full=true')).status).toBe('Complete');
  const after = await allViaApi(h.server, `/companies/${l.companyId}/data/invoices`);
  const theirs = after.filter((i) => (i as { customerRef: { id: string } }).customerRef.id === ref.id);
  expect(theirs.length).toBeGreaterThan(0);
  for (const i of theirs)
    expect((i as { customerRef: { companyName: string } }).customerRef.companyName).toBe('Renamed Customer plc');
});
