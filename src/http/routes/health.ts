// Liveness and readiness probes (no API key).
import type { FastifyPluginAsync } from 'fastify';

const health: FastifyPluginAsync = async (app) => {
  app.get('/healthz', { config: { public: true }, schema: { hide: true } }, async () => ({ status: 'ok' }));
  app.get('/readyz', { config: { public: true }, schema: { hide: true } }, async (_req, reply) => {
    const ok = await app.deps.store.ping();
    reply.code(ok ? 200 : 503);
    return { status: ok ? 'ready' : 'unavailable', database: ok ? 'ok' : 'unreachable' };
  });
};

export default health;
