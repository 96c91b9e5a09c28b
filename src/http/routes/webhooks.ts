// Webhook consumers and deliveries: GET/POST /webhooks, DELETE /webhooks/{webhookId}, POST /webhooks/{id}/enable,
// GET /webhooks/{id}/deliveries, GET /webhooks/events, POST /webhooks/events/{eventId}/replay.
import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { pageEnvelope } from '../../query/paging.ts';
import type { SyncEngine } from '../../sync/engine.ts';
import {
  ConsumerInputSchema,
  createConsumer,
  deleteConsumer,
  getConsumer,
  listConsumers,
  setConsumerDisabled,
} from '../../webhooks/consumers.ts';
import { replayEvent } from '../../webhooks/outbox.ts';
import { tenantOf } from '../context.ts';
import { ApiError, ErrorMessageSchema } from '../errors.ts';
import { ListQuerySchema, PageEnvelopeSchema } from '../schemas/common.ts';

const Consumer = z
  .object({
    id: z.string(),
    url: z.string(),
    disabled: z.boolean(),
    eventTypes: z.array(z.string()),
    companyTags: z.array(z.string()).nullable(),
    disabledReason: z.string().optional(),
  })
  .meta({ id: 'WebhookConsumer' });
const Delivery = z.object({
  id: z.string(),
  eventId: z.string(),
  eventType: z.string(),
  status: z.enum(['Pending', 'Sending', 'Succeeded', 'Failed']),
  attempts: z.number().int(),
  nextAttemptAt: z.string().nullable(),
  lastAttemptAt: z.string().nullable(),
  responseStatus: z.number().int().nullable(),
  lastError: z.string().nullable(),
});
const EventSchema = z.object({
  id: z.string(),
  eventType: z.string(),
  generatedDate: z.string(),
  companyId: z.string().nullable(),
});
const errors = { 400: ErrorMessageSchema, 401: ErrorMessageSchema, 404: ErrorMessageSchema };
const IdParams = z.object({ webhookId: z.string().max(64) });

const routes: FastifyPluginAsync = async (root) => {
  const app = root.withTypeProvider<ZodTypeProvider>();
  const { db, keyring, clock } = app.deps;
  const kick = () => (app.deps.services.sync as SyncEngine | undefined)?.delivery.kick();

  async function consumerOr404(tenantId: string, id: string) {
    const c = await getConsumer(db, tenantId, id);
    if (!c) throw ApiError.notFound(`Webhook consumer ${id} not found. List them with GET /webhooks.`);
    return c;
  }

  app.get(
    '/webhooks',
    {
      schema: {
        tags: ['Webhooks'],
        summary: 'List webhook consumers',
        response: { 200: z.object({ results: z.array(Consumer) }), ...errors },
      },
    },
    async (req) => ({ results: await listConsumers(db, tenantOf(req)) }),
  );

  app.post(
    '/webhooks',
    {
      schema: {
        tags: ['Webhooks'],
        summary: 'Create webhook consumer',
        description:
          'The response carries `secret` (whsec_...) once: deliveries are signed with it (Standard Webhooks headers webhook-id, webhook-timestamp, webhook-signature). Store it now; it is never shown again.',
        body: ConsumerInputSchema,
        response: { 201: Consumer.extend({ secret: z.string() }), ...errors },
      },
    },
    async (req, reply) => {
      const c = await createConsumer(db, keyring, tenantOf(req), req.body, clock());
      return reply.code(201).send(c);
    },
  );

  app.delete(
    '/webhooks/:webhookId',
    {
      schema: {
        tags: ['Webhooks'],
        summary: 'Delete webhook consumer',
        params: IdParams,
        response: { 204: z.null(), ...errors },
      },
    },
    async (req, reply) => {
      if (!(await deleteConsumer(db, tenantOf(req), req.params.webhookId))) {
        throw ApiError.notFound(`Webhook consumer ${req.params.webhookId} not found.`);
      }
      return reply.code(204).send(null);
    },
  );

  app.post(
    '/webhooks/:webhookId/enable',
    {
      schema: {
        tags: ['Webhooks'],
        summary: 'Re-enable a consumer disabled after failed deliveries',
        params: IdParams,
        response: { 200: Consumer, ...errors },
      },
    },
    async (req) => {
      const tenantId = tenantOf(req);
      await consumerOr404(tenantId, req.params.webhookId);
      await setConsumerDisabled(db, req.params.webhookId, false, null);
      const c = (await listConsumers(db, tenantId)).find((x) => x.id === req.params.webhookId);
      return c!;
    },
  );

  app.get(
    '/webhooks/:webhookId/deliveries',
    {
      schema: {
        tags: ['Webhooks'],
        summary: 'List deliveries of a consumer (newest first)',
        params: IdParams,
        querystring: ListQuerySchema.pick({ page: true, pageSize: true }),
        response: { 200: PageEnvelopeSchema(Delivery), ...errors },
      },
    },
    async (req) => {
      await consumerOr404(tenantOf(req), req.params.webhookId);
      const base = db
        .selectFrom('webhook_deliveries as d')
        .innerJoin('webhook_events as e', 'e.id', 'd.event_id')
        .where('d.consumer_id', '=', req.params.webhookId);
      const count = await base.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirst();
      const rows = await base
        .select([
          'd.id',
          'd.event_id',
          'e.event_type',
          'd.status',
          'd.attempts',
          'd.next_attempt_at',
          'd.last_attempt_at',
          'd.response_status',
          'd.last_error',
        ])
        .orderBy('d.created', 'desc')
        .orderBy('d.id')
        .limit(req.query.pageSize)
        .offset((req.query.page - 1) * req.query.pageSize)
        .execute();
      return pageEnvelope(
        rows.map((r) => ({
          id: r.id,
          eventId: r.event_id,
          eventType: r.event_type,
          status: r.status,
          attempts: r.attempts,
          nextAttemptAt: r.status === 'Pending' ? r.next_attempt_at : null,
          lastAttemptAt: r.last_attempt_at,
          responseStatus: r.response_status,
          lastError: r.last_error,
        })),
        {
          path: `/webhooks/${req.params.webhookId}/deliveries`,
          page: req.query.page,
          pageSize: req.query.pageSize,
          total: Number(count?.n ?? 0),
        },
      );
    },
  );

  app.get(
    '/webhooks/events',
    {
      schema: {
        tags: ['Webhooks'],
        summary: 'List recorded events (newest first)',
        querystring: ListQuerySchema.pick({ page: true, pageSize: true }),
        response: { 200: PageEnvelopeSchema(EventSchema), ...errors },
      },
    },
    async (req) => {
      const tenantId = tenantOf(req);
      const base = db.selectFrom('webhook_events').where('tenant_id', '=', tenantId);
      const count = await base.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirst();
      const rows = await base
        .select(['id', 'event_type', 'generated_date', 'company_id'])
        .orderBy('generated_date', 'desc')
        .orderBy('id')
        .limit(req.query.pageSize)
        .offset((req.query.page - 1) * req.query.pageSize)
        .execute();
      return pageEnvelope(
        rows.map((r) => ({
          id: r.id,
          eventType: r.event_type,
          generatedDate: r.generated_date,
          companyId: r.company_id,
        })),
        { path: '/webhooks/events', page: req.query.page, pageSize: req.query.pageSize, total: Number(count?.n ?? 0) },
      );
    },
  );

  app.post(
    '/webhooks/events/:eventId/replay',
    {
      schema: {
        tags: ['Webhooks'],
        summary: 'Replay an event to its consumers (or one consumer)',
        params: z.object({ eventId: z.string().max(64) }),
        querystring: z.object({ webhookId: z.string().max(64).optional() }),
        response: { 202: z.object({ eventId: z.string(), deliveryIds: z.array(z.string()) }), ...errors },
      },
    },
    async (req, reply) => {
      const tenantId = tenantOf(req);
      if (req.query.webhookId) await consumerOr404(tenantId, req.query.webhookId);
      const ids = await replayEvent(db, tenantId, req.params.eventId, clock(), req.query.webhookId);
      if (ids === null)
        throw ApiError.notFound(`Event ${req.params.eventId} not found. List events with GET /webhooks/events.`);
      kick();
      return reply.code(202).send({ eventId: req.params.eventId, deliveryIds: ids });
    },
  );
};

export default routes;
