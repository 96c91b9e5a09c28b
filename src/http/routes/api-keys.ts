// GET/POST /apiKeys, DELETE /apiKeys/{apiKeyId}. Keys are shown once, at creation; stored as SHA-256 hashes.
import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { countApiKeys, createApiKey, deleteApiKey, listApiKeys } from '../../platform/api-keys.ts';
import { tenantOf } from '../context.ts';
import { ApiError, ErrorMessageSchema } from '../errors.ts';
import { ApiKeyDetailsSchema, CreateApiKeyBody, CreatedApiKeySchema } from '../schemas/platform.ts';

/** Codat allows 10 keys per client. */
export const MAX_API_KEYS = 10;
const errors = { 400: ErrorMessageSchema, 401: ErrorMessageSchema, 404: ErrorMessageSchema };

const routes: FastifyPluginAsync = async (root) => {
  const app = root.withTypeProvider<ZodTypeProvider>();
  const { db, clock } = app.deps;

  app.get(
    '/apiKeys',
    {
      schema: {
        tags: ['Settings'],
        summary: 'List API keys (values are never shown again)',
        response: { 200: z.object({ results: z.array(ApiKeyDetailsSchema) }), ...errors },
      },
    },
    async (request) => ({
      results: (await listApiKeys(db, tenantOf(request))).map((k) => ({ ...k, createdDate: k.createdUtc })),
    }),
  );

  app.post(
    '/apiKeys',
    {
      schema: {
        tags: ['Settings'],
        summary: 'Create an API key (the value is in this response only)',
        body: CreateApiKeyBody.nullish(),
        response: { 201: CreatedApiKeySchema, 409: ErrorMessageSchema, ...errors },
      },
    },
    async (request, reply) => {
      const tenantId = tenantOf(request);
      if ((await countApiKeys(db, tenantId)) >= MAX_API_KEYS) {
        throw ApiError.conflict(`You already have ${MAX_API_KEYS} API keys, the maximum; delete one first`);
      }
      const key = await createApiKey(db, tenantId, request.body?.name ?? null, clock);
      request.log.info({ apiKeyId: key.id }, 'API key created');
      return reply.code(201).send({ ...key, createdDate: key.createdUtc });
    },
  );

  app.delete(
    '/apiKeys/:apiKeyId',
    {
      schema: {
        tags: ['Settings'],
        summary: 'Delete an API key (requests with it fail from now on)',
        params: z.object({ apiKeyId: z.string().max(100) }),
        response: { 204: z.null(), ...errors },
      },
    },
    async (request, reply) => {
      if (!(await deleteApiKey(db, tenantOf(request), request.params.apiKeyId)))
        throw ApiError.notFound(`API key ${request.params.apiKeyId} not found`);
      request.log.info({ apiKeyId: request.params.apiKeyId }, 'API key deleted');
      return reply.code(204).send(null);
    },
  );
};

export default routes;
