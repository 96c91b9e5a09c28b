// The simulator's request log (benchmarks replay the pages a sync read): off by default, lists the Sage API requests
// served with their query strings, and clears on DELETE.
import { afterAll, describe, expect, it } from 'vitest';
import { type Simulator, startSimulator } from '../../simulator/server.ts';
import { STANDARD, sageHeaders, signIn } from './helpers.ts';

const started: Simulator[] = [];
afterAll(async () => {
  for (const s of started) await s.close();
});

describe('request log', () => {
  it('is off unless asked for, with a message saying how to turn it on', async () => {
    const sim = await startSimulator({ scale: 0.05 });
    started.push(sim);
    const res = await fetch(`${sim.url}/_sim/requests`);
    expect(res.status).toBe(404);
    expect(((await res.json()) as { message: string }).message).toContain('--request-log');
  });

  it('records API requests with their query, not Sage ID or /_sim calls, and clears', async () => {
    const sim = await startSimulator({ scale: 0.05, requestLog: true });
    started.push(sim);
    const token = (await signIn(sim.url)).access_token;
    const ok = await fetch(`${sim.url}${STANDARD}/customers?$top=2&$orderby=id%20asc`, {
      headers: sageHeaders(token, 1),
    });
    expect(ok.status).toBe(200);
    const missing = await fetch(`${sim.url}${STANDARD}/customers/999999`, { headers: sageHeaders(token, 1) });
    expect(missing.status).toBe(404);
    const log = (await (await fetch(`${sim.url}/_sim/requests`)).json()) as {
      method: string;
      url: string;
      status: number;
    }[];
    expect(log.map((r) => [r.method, r.url, r.status])).toEqual([
      ['GET', `${STANDARD}/customers?$top=2&$orderby=id%20asc`, 200],
      ['GET', `${STANDARD}/customers/999999`, 404],
    ]);
    expect((await fetch(`${sim.url}/_sim/requests`, { method: 'DELETE' })).status).toBe(204);
    expect(await (await fetch(`${sim.url}/_sim/requests`)).json()).toEqual([]);
  });

  it("drops a company's query caches on request; an unknown company is a 404", async () => {
    const sim = await startSimulator({ scale: 0.05 });
    started.push(sim);
    expect((await fetch(`${sim.url}/_sim/companies/1/query-cache`, { method: 'DELETE' })).status).toBe(204);
    const res = await fetch(`${sim.url}/_sim/companies/99/query-cache`, { method: 'DELETE' });
    expect(res.status).toBe(404);
    expect(((await res.json()) as { message: string }).message).toContain('Unknown company 99');
  });

  it('builds the update-stamp order indexes on request, and answers incremental reads the same afterwards', async () => {
    const sim = await startSimulator({ scale: 0.05, requestLog: true });
    started.push(sim);
    const res = await fetch(`${sim.url}/_sim/companies/1/stamp-indexes`, { method: 'POST' });
    expect(res.status).toBe(200);
    const { built } = (await res.json()) as { built: string[] };
    expect(built).toContain('sales_posted_transactions.date_time_updated');
    expect(built).toContain('customers.date_time_updated');
    expect(built).toContain('customer_sop_invoice_credit_line_views.sop_invoice_credit_date_time_updated');
    expect((await fetch(`${sim.url}/_sim/companies/99/stamp-indexes`, { method: 'POST' })).status).toBe(404);
  });
});
