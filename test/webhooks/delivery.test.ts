// Webhook delivery against a real local receiver that fails, times out and recovers.

import { randomBytes } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createLogger } from '../../src/logger.ts';
import { createKeyring } from '../../src/platform/secrets.ts';
import { createTenant } from '../../src/platform/tenants.ts';
import { createConsumer, listConsumers } from '../../src/webhooks/consumers.ts';
import { createDeliveryWorker } from '../../src/webhooks/delivery.ts';
import { recordEvent, replayEvent } from '../../src/webhooks/outbox.ts';
import { verify } from '../../src/webhooks/signing.ts';
import { createTestStore, type TestStore } from '../helpers/store.ts';

type Mode = 'ok' | 'fail' | 'hang';
interface Received {
  headers: IncomingHttpHeaders;
  body: string;
}

let store: TestStore;
let server: Server;
let url: string;
let mode: Mode;
let received: Received[];
const keyring = createKeyring([randomBytes(32)]);
const logger = createLogger({ level: 'silent' });

beforeEach(async () => {
  store = await createTestStore();
  received = [];
  mode = 'ok';
  server = createServer((req, res) => {
    let body = '';
    req.on('data', (c) => {
      body += c;
    });
    req.on('end', () => {
      received.push({ headers: req.headers, body });
      if (mode === 'hang') return; // never answers: the sender's timeout must fire
      res.statusCode = mode === 'ok' ? 200 : 503;
      res.end();
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks`;
});
afterEach(async () => {
  server.closeAllConnections();
  await new Promise((r) => server.close(r));
  await store.close();
});

describe('webhook delivery', () => {
  it('signs deliveries (Standard Webhooks), retries on failure and timeout, then succeeds', async () => {
    const tenant = await createTenant(store.db, 'T');
    const consumer = await createConsumer(
      store.db,
      keyring,
      tenant.id,
      { url, eventTypes: ['read.completed'] },
      new Date(),
    );
    expect(consumer.secret).toMatch(/^whsec_/);
    let now = new Date('2026-11-25T10:00:00Z');
    const worker = createDeliveryWorker({
      db: store.db,
      keyring,
      logger,
      clock: () => now,
      timeoutMs: 300,
      retryScheduleMs: [1000, 2000, 3000],
    });
    const ev = await store.db
      .transaction()
      .execute((trx) =>
        recordEvent(trx, { tenantId: tenant.id, eventType: 'read.completed', payload: { dataTypes: [] }, now }),
      );
    // Not subscribed: no delivery row.
    await store.db
      .transaction()
      .execute((trx) => recordEvent(trx, { tenantId: tenant.id, eventType: 'company.created', payload: {}, now }));
    expect(ev.deliveries).toBe(1);

    mode = 'fail';
    expect(await worker.tick()).toBe(1);
    mode = 'hang';
    expect(await worker.tick()).toBe(0); // not yet due (1 s backoff)
    now = new Date(now.getTime() + 1000);
    expect(await worker.tick()).toBe(1);
    mode = 'ok';
    now = new Date(now.getTime() + 2000);
    expect(await worker.tick()).toBe(1);

    const d = await store.db.selectFrom('webhook_deliveries').selectAll().executeTakeFirstOrThrow();
    expect(d).toMatchObject({ status: 'Succeeded', attempts: 3, response_status: 200 });
    expect(received).toHaveLength(3);
    const last = received[2];
    expect(JSON.parse(last.body)).toMatchObject({ id: ev.id, eventType: 'read.completed' });
    expect(last.headers['webhook-id']).toBe(ev.id);
    expect(
      verify(
        consumer.secret,
        {
          id: String(last.headers['webhook-id']),
          timestamp: String(last.headers['webhook-timestamp']),
          signature: String(last.headers['webhook-signature']),
        },
        last.body,
        Math.floor(now.getTime() / 1000),
      ),
    ).toBe(true);
    expect(
      verify(
        'whsec_AAAA',
        {
          id: ev.id,
          timestamp: String(last.headers['webhook-timestamp']),
          signature: String(last.headers['webhook-signature']),
        },
        last.body,
        Math.floor(now.getTime() / 1000),
      ),
    ).toBe(false);
  });

  it('disables the consumer after the last retry fails; replay by event id delivers again', async () => {
    const tenant = await createTenant(store.db, 'T');
    const consumer = await createConsumer(store.db, keyring, tenant.id, { url, eventTypes: [] }, new Date());
    let now = new Date('2026-11-25T10:00:00Z');
    const worker = createDeliveryWorker({
      db: store.db,
      keyring,
      logger,
      clock: () => now,
      timeoutMs: 300,
      retryScheduleMs: [10],
    });
    const ev = await store.db
      .transaction()
      .execute((trx) =>
        recordEvent(trx, { tenantId: tenant.id, eventType: 'company.created', payload: { id: 'c1' }, now }),
      );
    mode = 'fail';
    await worker.tick();
    now = new Date(now.getTime() + 10);
    await worker.tick();
    const d = await store.db.selectFrom('webhook_deliveries').selectAll().executeTakeFirstOrThrow();
    expect(d).toMatchObject({ status: 'Failed', attempts: 2, response_status: 503 });
    const [c] = await listConsumers(store.db, tenant.id);
    expect(c.disabled).toBe(true);
    expect(c.disabledReason).toMatch(/Disabled after 2 failed attempts/);

    // New events are not queued for a disabled consumer.
    const ev2 = await store.db
      .transaction()
      .execute((trx) => recordEvent(trx, { tenantId: tenant.id, eventType: 'company.created', payload: {}, now }));
    expect(ev2.deliveries).toBe(0);

    // Receiver fixed, consumer re-enabled, event replayed.
    mode = 'ok';
    await store.db.updateTable('webhook_consumers').set({ disabled: 0 }).where('id', '=', consumer.id).execute();
    const replayed = await replayEvent(store.db, tenant.id, ev.id, now);
    expect(replayed).toHaveLength(1);
    await worker.tick();
    const again = await store.db
      .selectFrom('webhook_deliveries')
      .selectAll()
      .where('id', '=', replayed![0])
      .executeTakeFirstOrThrow();
    expect(again.status).toBe('Succeeded');
    expect(JSON.parse(received.at(-1)!.body).id).toBe(ev.id);
    expect(await replayEvent(store.db, 'other-tenant', ev.id, now)).toBeNull();
  });

  it('an event survives a crash: deliveries left Sending are retried after their lease', async () => {
    const tenant = await createTenant(store.db, 'T');
    await createConsumer(store.db, keyring, tenant.id, { url, eventTypes: [] }, new Date());
    let now = new Date('2026-11-25T10:00:00Z');
    await store.db
      .transaction()
      .execute((trx) => recordEvent(trx, { tenantId: tenant.id, eventType: 'company.deleted', payload: {}, now }));
    // A sender claimed it and died before recording the outcome.
    await store.db
      .updateTable('webhook_deliveries')
      .set({ status: 'Sending', lease_until: new Date(now.getTime() + 5000).toISOString() })
      .execute();
    const worker = createDeliveryWorker({ db: store.db, keyring, logger, clock: () => now, timeoutMs: 300 });
    expect(await worker.tick()).toBe(0);
    now = new Date(now.getTime() + 6000);
    expect(await worker.tick()).toBe(1);
    expect((await store.db.selectFrom('webhook_deliveries').selectAll().executeTakeFirstOrThrow()).status).toBe(
      'Succeeded',
    );
    expect(received).toHaveLength(1);
  });
});
