// Per-tenant request budget (fixed one-minute windows, in memory: per process). Off unless RATE_LIMIT_PER_MINUTE
// is set. Headers follow Codat: X-Rate-Limit-Limit/Remaining/Reset, and Retry-After on 429.
import type { FastifyInstance } from 'fastify';
import type { Clock } from '../../platform/ids.ts';
import { ApiError } from '../errors.ts';

export function registerRateLimit(app: FastifyInstance, perMinute: number, clock: Clock): void {
  if (perMinute <= 0) return;
  const windows = new Map<string, { start: number; count: number }>();
  app.addHook('onRequest', async (request, reply) => {
    const tenant = request.tenantId;
    if (!tenant) return;
    const now = clock().getTime();
    const windowStart = now - (now % 60_000);
    let w = windows.get(tenant);
    if (!w || w.start !== windowStart) {
      w = { start: windowStart, count: 0 };
      windows.set(tenant, w);
    }
    w.count++;
    const reset = new Date(windowStart + 60_000);
    reply.header('x-rate-limit-limit', String(perMinute));
    reply.header('x-rate-limit-remaining', String(Math.max(0, perMinute - w.count)));
    reply.header('x-rate-limit-reset', reset.toISOString());
    if (w.count > perMinute) {
      const retryAfter = Math.max(1, Math.ceil((reset.getTime() - now) / 1000));
      throw new ApiError(429, `Rate limit of ${perMinute} requests per minute reached; retry after ${retryAfter} s`, {
        headers: { 'retry-after': String(retryAfter) },
      });
    }
  });
}
