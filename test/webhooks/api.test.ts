// The webhooks API over real HTTP: create (secret once), list, deliveries, replay by event id, enable, delete,
// validation errors and tenant isolation.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../src/logger.ts';
import { createDeliveryWorker } from '../../src/webhooks/delivery.ts';
import { recordEvent } from '../../src/webhooks/outbox.ts';
import { startTestServer, type TestServer } from '../helpers/index.ts';

let server: TestServer;
let receiver: Server;
let url: string;
let status = 500;
const bodies: string[] = [];

beforeAll(async () => {
  receiver = createServer((req, res) => {
    let b = '';
    req.on('data', (c) => {
      b += c;
    });
    req.on('end', () => {
      bodies.push(b);
      res.statusCode = status;
      res.end();
    });
  });
  await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
  url = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/in`;
  server = await startTestServer({ secondTenant: true });
});
afterAll(async () => {
  await server.close();
  receiver.closeAllConnections();
  await new Promise((r) => receiver.close(r));
});

describe('webhooks API', () => {
  it('create, deliver, list deliveries, replay, disable after retries, enable, delete', async () => {
    const bad = await server.fetch('/webhooks', {
      method: 'POST',
      body: JSON.stringify({ url: 'not a url', eventTypes: ['nope'] }),
    });
    expect(bad.status).toBe(400);

    const created = await server.fetch('/webhooks', {
      method: 'POST',
      body: JSON.stringify({ url, eventTypes: ['company.created'] }),
    });
    expect(created.status).toBe(201);
    const consumer = (await created.json()) as { id: string; secret: string; disabled: boolean };
    expect(consumer.secret).toMatch(/^whsec_[A-Za-z0-9+/=]+$/);
    expect(consumer.disabled).toBe(false);

    let now = new Date();
    const worker = createDeliveryWorker({
      db: server.store.db,
      keyring: server.keyring,
      logger: createLogger({ level: 'silent' }),
      clock: () => now,
      retryScheduleMs: [1000],
      timeoutMs: 10_000,
    });
    const ev = await server.store.db
      .transaction()
      .execute((trx) =>
        recordEvent(trx, { tenantId: server.tenantId, eventType: 'company.created', payload: { id: 'c-1' }, now }),
      );
    status = 500;
    await worker.tick();
    now = new Date(now.getTime() + 1000);
    await worker.tick();

    const deliveries = (await (await server.fetch(`/webhooks/${consumer.id}/deliveries`)).json()) as {
      results: { eventId: string; status: string; attempts: number; responseStatus: number; lastError: string }[];
    };
    expect(deliveries.results[0]).toMatchObject({ eventId: ev.id, status: 'Failed', attempts: 2, responseStatus: 500 });
    expect(deliveries.results[0].lastError).toMatch(/HTTP 500/);
    const listed = (await (await server.fetch('/webhooks')).json()) as {
      results: { disabled: boolean; disabledReason: string }[];
    };
    expect(listed.results[0].disabled).toBe(true);
    expect(listed.results[0].disabledReason).toMatch(/enable/);

    const events = (await (await server.fetch('/webhooks/events')).json()) as { results: { id: string }[] };
    expect(events.results.map((e) => e.id)).toContain(ev.id);

    const enabled = await server.fetch(`/webhooks/${consumer.id}/enable`, { method: 'POST' });
    expect(((await enabled.json()) as { disabled: boolean }).disabled).toBe(false);
    status = 204;
    const replay = await server.fetch(`/webhooks/events/${ev.id}/replay`, { method: 'POST' });
    expect(replay.status).toBe(202);
    expect(((await replay.json()) as { deliveryIds: string[] }).deliveryIds).toHaveLength(1);
    await worker.tick();
    expect(JSON.parse(bodies.at(-1)!)).toMatchObject({
      id: ev.id,
      eventType: 'company.created',
      payload: { id: 'c-1' },
    });
    const after = (await (await server.fetch(`/webhooks/${consumer.id}/deliveries`)).json()) as {
      results: { status: string }[];
    };
    expect(after.results.map((d) => d.status).sort()).toEqual(['Failed', 'Succeeded']);

    // Another tenant sees neither the consumer nor the event.
    const other = server.second!.apiKey;
    expect((await server.fetch(`/webhooks/${consumer.id}/deliveries`, { apiKey: other })).status).toBe(404);
    expect((await server.fetch(`/webhooks/events/${ev.id}/replay`, { method: 'POST', apiKey: other })).status).toBe(
      404,
    );

    expect((await server.fetch(`/webhooks/${consumer.id}`, { method: 'DELETE' })).status).toBe(204);
    expect((await server.fetch(`/webhooks/${consumer.id}`, { method: 'DELETE' })).status).toBe(404);
  });
});

describe('lifecycle events', () => {
  it('company.created, connection.created, connection.deleted and company.deleted reach the outbox', async () => {
    await server.fetch('/integrations/jcrp/settings/production', {
      method: 'PUT',
      body: JSON.stringify({ clientId: 'client-id', clientSecret: 'client-secret', subscriptionKey: 'sub-key' }),
    });
    expect(
      (await server.fetch('/integrations/jcrp', { method: 'PATCH', body: JSON.stringify({ enabled: true }) })).status,
    ).toBe(200);
    const c = await server.fetch('/companies', { method: 'POST', body: JSON.stringify({ name: 'Webhook Co' }) });
    expect(c.status).toBe(200);
    const company = (await c.json()) as { id: string };
    const conn = await server.fetch(`/companies/${company.id}/connections`, {
      method: 'POST',
      body: JSON.stringify({ platformKey: 'jcrp' }),
    });
    expect(conn.status).toBe(200);
    const connection = (await conn.json()) as { id: string };
    expect(
      (await server.fetch(`/companies/${company.id}/connections/${connection.id}`, { method: 'DELETE' })).status,
    ).toBe(200);
    expect((await server.fetch(`/companies/${company.id}`, { method: 'DELETE' })).status).toBe(204);
    const events = await server.store.db
      .selectFrom('webhook_events')
      .select(['event_type', 'body'])
      .where('company_id', '=', company.id)
      .orderBy('generated_date')
      .execute();
    expect(events.map((e) => e.event_type)).toEqual([
      'company.created',
      'connection.created',
      'connection.deleted',
      'company.deleted',
    ]);
    expect(JSON.parse(events[0].body).payload).toMatchObject({ id: company.id, name: 'Webhook Co' });
    expect(JSON.parse(events[1].body).payload.connection).toMatchObject({ id: connection.id, status: 'PendingAuth' });
    expect(JSON.parse(events[3].body).payload).toMatchObject({ id: company.id });
  });
});
