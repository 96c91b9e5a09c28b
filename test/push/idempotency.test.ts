// Idempotency-Key (90 minutes per tenant; same key + other body -> 422; in flight -> 409; replay returns the same
// push operation) and TimedOut pushes, over real HTTP against the simulator.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Simulator } from '../../simulator/server.ts';
import { pushServiceOf } from '../../src/http/routes/push.ts';
import { IdempotencyStore } from '../../src/push/idempotency.ts';
import { createTestStore } from '../helpers/index.ts';
import {
  type Harness,
  type Linked,
  linkCompany,
  push,
  simSwitch,
  startHarness,
  startSim,
  testClock,
} from './harness.ts';

let sim: Simulator;
let h: Harness;
let trial: Linked;
let hadley: Linked;
const clock = testClock();

beforeAll(async () => {
  sim = await startSim();
  h = await startHarness(sim, { waitMs: 30_000 }, clock);
  trial = await linkCompany(h, 4);
  hadley = await linkCompany(h, 1);
});
afterAll(async () => {
  await simSwitch(h, { companyId: 1, faults: null }).catch(() => {});
  await h?.close();
  await sim?.close();
});

describe('Idempotency-Key', () => {
  it('the same key and body returns the same push operation without pushing again', async () => {
    const body = { customerName: 'Idem Customer', status: 'Active' };
    const first = await push(h, trial, 'customers', body, { idempotencyKey: 'key-replay-1' });
    expect(first.body.status).toBe('Failed');
    const again = await push(
      h,
      trial,
      'customers',
      { status: 'Active', customerName: 'Idem Customer' },
      { idempotencyKey: 'key-replay-1' },
    );
    expect(again.status).toBe(200);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect(again.body.pushOperationKey).toBe(first.body.pushOperationKey);
    const list = await h.server.fetch(`/companies/${trial.companyId}/push?pageSize=100`);
    const page = (await list.json()) as { results: { pushOperationKey: string }[]; totalResults: number };
    expect(page.results.filter((p) => p.pushOperationKey === first.body.pushOperationKey)).toHaveLength(1);
    expect(page.totalResults).toBe(1);
  });

  it('the same key with another body is refused with 422', async () => {
    await push(h, trial, 'customers', { customerName: 'A', status: 'Active' }, { idempotencyKey: 'key-mismatch' });
    const res = await push(
      h,
      trial,
      'customers',
      { customerName: 'B', status: 'Active' },
      { idempotencyKey: 'key-mismatch' },
    );
    expect(res.status).toBe(422);
    expect(String((res.body as Record<string, unknown>).error)).toMatch(/already used for a different request/);
  });

  it('a key still in flight gets 409; afterwards the stored push operation is replayed', async () => {
    await simSwitch(h, { companyId: 1, faults: { latencyMs: 400 } });
    try {
      const body = {
        invoiceNumber: 'SLOW-1',
        customerRef: { id: '99999999' },
        issueDate: '2026-10-01',
        lineItems: [{ quantity: 1, unitAmount: 1 }],
      };
      const slow = push(h, hadley, 'invoices', body, { idempotencyKey: 'key-inflight' });
      await new Promise((r) => setTimeout(r, 150));
      const second = await push(h, hadley, 'invoices', body, { idempotencyKey: 'key-inflight' });
      expect(second.status).toBe(409);
      expect(second.headers.get('retry-after')).toBe('1');
      const first = await slow;
      expect(first.body.status).toBe('Failed');
      const third = await push(h, hadley, 'invoices', body, { idempotencyKey: 'key-inflight' });
      expect(third.body.pushOperationKey).toBe(first.body.pushOperationKey);
    } finally {
      await simSwitch(h, { companyId: 1, faults: null });
    }
  });

  it('keys are per tenant and expire after 90 minutes', async () => {
    const store = await createTestStore();
    try {
      const idem = new IdempotencyStore(store.db);
      const t0 = new Date('2026-11-01T10:00:00Z');
      expect((await idem.claim('tenant-a', 'k', 'h1', 'op-1', t0)).kind).toBe('new');
      expect((await idem.claim('tenant-b', 'k', 'h1', 'op-2', t0)).kind).toBe('new');
      expect(await idem.claim('tenant-a', 'k', 'h1', 'op-3', t0)).toEqual({
        kind: 'in-flight',
        pushOperationKey: 'op-1',
      });
      await idem.settle('tenant-a', 'k');
      const at89 = new Date(t0.getTime() + 89 * 60_000);
      expect(await idem.claim('tenant-a', 'k', 'h1', 'op-4', at89)).toEqual({
        kind: 'replay',
        pushOperationKey: 'op-1',
      });
      expect(await idem.claim('tenant-a', 'k', 'h2', 'op-5', at89)).toEqual({
        kind: 'mismatch',
        pushOperationKey: 'op-1',
      });
      const at91 = new Date(t0.getTime() + 91 * 60_000);
      expect((await idem.claim('tenant-a', 'k', 'h2', 'op-6', at91)).kind).toBe('new');
    } finally {
      await store.close();
    }
  });

  it('an invalid key is a 400', async () => {
    const res = await push(h, trial, 'customers', { customerName: 'x' }, { idempotencyKey: 'bad key with spaces' });
    expect(res.status).toBe(400);
  });
});

describe('TimedOut', () => {
  it('a Pending push past timeoutInMinutes becomes TimedOut and stays so when the write ends later', async () => {
    const service = pushServiceOf(h.server.app);
    await simSwitch(h, { companyId: 1, faults: { latencyMs: 300 } });
    try {
      const body = {
        customerRef: { id: '99999999' },
        issueDate: '2026-10-01',
        lineItems: [{ quantity: 1, unitAmount: 1 }],
      };
      const pending = await service.store.insert({
        pushOperationKey: crypto.randomUUID(),
        tenantId: h.server.tenantId,
        companyId: hadley.companyId,
        connectionId: hadley.connectionId,
        dataType: 'invoices',
        operation: 'create',
        body,
        timeoutInMinutes: 1,
        now: clock(),
      });
      const run = service.run(pending.push_operation_key);
      clock.advance(2 * 60_000);
      const timedOut = await service.checkTimeouts();
      expect(timedOut.map((r) => r.push_operation_key)).toContain(pending.push_operation_key);
      await run;
      const res = await h.server.fetch(`/companies/${hadley.companyId}/push/${pending.push_operation_key}`);
      const op = (await res.json()) as Record<string, unknown>;
      expect(op.status).toBe('TimedOut');
      expect(op.statusCode).toBe(504);
      expect(op.timeoutInMinutes).toBe(1);
      expect(String(op.errorMessage)).toMatch(
        /did not complete within 1 minute\(s\).*Later the write failed: .*customerRef\.id/,
      );
      expect(op.completedOnUtc).toBeTruthy();
    } finally {
      await simSwitch(h, { companyId: 1, faults: null });
    }
  });
});

describe('TimedOut, then the write lands', () => {
  it('stays TimedOut and gains its changes when Sage completes the write later', async () => {
    const service = pushServiceOf(h.server.app);
    await simSwitch(h, { companyId: 1, faults: { latencyMs: 250 } });
    try {
      const pending = await service.store.insert({
        pushOperationKey: crypto.randomUUID(),
        tenantId: h.server.tenantId,
        companyId: hadley.companyId,
        connectionId: hadley.connectionId,
        dataType: 'customers',
        operation: 'create',
        body: { customerName: 'Late Landing Ltd', status: 'Active' },
        timeoutInMinutes: 1,
        now: clock(),
      });
      const run = service.run(pending.push_operation_key);
      clock.advance(2 * 60_000);
      await service.checkTimeouts();
      await run;
      const op = (await (
        await h.server.fetch(`/companies/${hadley.companyId}/push/${pending.push_operation_key}`)
      ).json()) as Record<string, any>;
      expect(op.status).toBe('TimedOut');
      expect(op.changes).toEqual([{ type: 'Created', recordRef: { id: expect.any(String), dataType: 'customers' } }]);
      expect(op.errorMessage).toMatch(/Later the write completed in Sage/);
      // the unsuccessful webhook was sent once, at the timeout; no "successful" one afterwards
      const events = await h.server.store.db
        .selectFrom('webhook_events')
        .select(['event_type', 'body'])
        .where('company_id', '=', hadley.companyId)
        .execute();
      const mine = events.filter((e) => String(e.body).includes(pending.push_operation_key));
      expect(mine.map((e) => e.event_type)).toEqual(['customers.write.unsuccessful']);
    } finally {
      await simSwitch(h, { companyId: 1, faults: null });
    }
  });
});

describe('push history and write webhooks', () => {
  it('lists push operations with paging and the query language; failed writes emit write.unsuccessful', async () => {
    const a = await push(h, trial, 'suppliers', { supplierName: 'Hist A', status: 'Active' });
    const b = await push(h, trial, 'suppliers', { supplierName: 'Hist B', status: 'Active' });
    expect(a.body.status).toBe('Failed');
    const page1 = (await (
      await h.server.fetch(`/companies/${trial.companyId}/push?pageSize=1&query=dataType%3Dsuppliers`)
    ).json()) as Record<string, any>;
    expect(page1.totalResults).toBe(2);
    expect(page1.results).toHaveLength(1);
    expect(page1.results[0].pushOperationKey).toBe(b.body.pushOperationKey); // newest first
    expect(page1._links.next.href).toContain('page=2');
    const failed = (await (
      await h.server.fetch(`/companies/${trial.companyId}/push?query=status%3DFailed%26%26statusCode%3D403`)
    ).json()) as Record<string, any>;
    expect(failed.results.length).toBeGreaterThanOrEqual(2);
    const one = await h.server.fetch(`/companies/${trial.companyId}/push/${a.body.pushOperationKey}`);
    expect(((await one.json()) as Record<string, unknown>).pushOperationKey).toBe(a.body.pushOperationKey);
    expect((await h.server.fetch(`/companies/${hadley.companyId}/push/${a.body.pushOperationKey}`)).status).toBe(404);
    const events = await h.server.store.db
      .selectFrom('webhook_events')
      .select(['event_type', 'body'])
      .where('company_id', '=', trial.companyId)
      .execute();
    const ev = events.find((e) => String(e.body).includes(a.body.pushOperationKey));
    expect(ev?.event_type).toBe('suppliers.write.unsuccessful');
    expect(JSON.parse(String(ev?.body)).payload.statusCode).toBe(403);
  });
});
