// The simulator's own control surface under /_sim/ (not part of Sage's API; no Sage auth): credentials, switches,
// clock, grant revocation, books' invariant figures and reset.
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { SimContext } from '../api/context.ts';
import { DEMO_CLIENT, DEMO_COMPANIES, DEMO_SUBSCRIPTION_KEY, DEMO_USERS } from '../demo.ts';
import { parseQuery, selectRows } from '../odata/query.ts';
import { applySwitches, type Switches, switchesToJson, switchesUpdateSchema } from '../switches.ts';

const clockSchema = z.union([
  z.object({ advanceSeconds: z.number() }).strict(),
  z.object({ set: z.iso.datetime({ offset: true }) }).strict(),
  z.object({ reset: z.literal(true) }).strict(),
]);
const revokeSchema = z.object({ email: z.string().min(1) }).strict();
const resetSchema = z.object({ tokens: z.boolean().optional() }).strict().optional();

const badRequest = (error: z.ZodError) => ({
  error: 'invalid_request',
  message: error.issues.map((i) => `${i.path.join('.') || 'body'}: ${i.message}`).join('; '),
});

export interface AdminDeps {
  ctx: SimContext;
  baseUrl: () => string;
  initialSwitches: () => Switches;
  /** the request log, when the simulator keeps one (`requestLog` option, `--request-log`) */
  requests?: { method: string; url: string; status: number; ms: number }[];
}

export function credentials(baseUrl: string) {
  return {
    sageIdUrl: baseUrl,
    authorizeUrl: `${baseUrl}/authorize`,
    tokenUrl: `${baseUrl}/oauth/token`,
    audience: 's200ukipd/sage200',
    apiBaseUrls: {
      standard: `${baseUrl}/uk/sage200/accounts/v1/`,
      professional: `${baseUrl}/uk/sage200extra/accounts/v1/`,
    },
    client: {
      name: DEMO_CLIENT.name,
      clientId: DEMO_CLIENT.clientId,
      clientSecret: DEMO_CLIENT.clientSecret,
      redirectUris: [...DEMO_CLIENT.redirectUris],
      redirectUriRule: 'registered URIs, or http://localhost|127.0.0.1|[::1]:<any port>/oauth/callback',
    },
    subscriptionKey: DEMO_SUBSCRIPTION_KEY,
    users: DEMO_USERS.map((u) => ({ email: u.email, password: u.password, name: u.name, companyIds: u.companyIds })),
    sites: DEMO_COMPANIES.map((c) => ({
      company_id: c.companyId,
      company_name: c.companyName,
      site_id: c.siteId,
      site_name: c.siteName,
      site_short_name: c.siteShortName,
      profile: c.profile,
      base_currency: c.baseCurrency,
    })),
  };
}

export function registerAdmin(app: FastifyInstance, deps: AdminDeps): void {
  const { ctx } = deps;

  app.get('/_sim/credentials', async () => credentials(deps.baseUrl()));

  const noLog = { error: 'not_enabled', message: 'Start the simulator with --request-log to keep a request log.' };
  app.get('/_sim/requests', async (_req, reply) => (deps.requests ? deps.requests : reply.code(404).send(noLog)));
  app.delete('/_sim/requests', async (_req, reply) => {
    if (!deps.requests) return reply.code(404).send(noLog);
    deps.requests.length = 0;
    return reply.code(204).send();
  });

  app.get('/_sim/switches', async () => switchesToJson(ctx.switches));
  app.post('/_sim/switches', async (req, reply) => {
    const p = switchesUpdateSchema.safeParse(req.body ?? {});
    if (!p.success) return reply.code(400).send(badRequest(p.error));
    const err = applySwitches(ctx.switches, p.data);
    if (err) return reply.code(400).send({ error: 'invalid_request', message: err });
    return switchesToJson(ctx.switches);
  });

  app.get('/_sim/clock', async () => ({ now: ctx.clock.now().toISOString() }));
  app.post('/_sim/clock', async (req, reply) => {
    const p = clockSchema.safeParse(req.body ?? {});
    if (!p.success) {
      return reply.code(400).send({
        error: 'invalid_request',
        message: 'Send {"advanceSeconds": N}, {"set": "2026-11-01T00:00:00Z"} or {"reset": true}.',
      });
    }
    const b = p.data;
    if ('advanceSeconds' in b) ctx.clock.advance(b.advanceSeconds);
    else if ('set' in b) ctx.clock.set(new Date(b.set));
    else ctx.clock.reset();
    return { now: ctx.clock.now().toISOString() };
  });

  app.post('/_sim/revoke', async (req, reply) => {
    const p = revokeSchema.safeParse(req.body ?? {});
    if (!p.success) return reply.code(400).send(badRequest(p.error));
    return { revokedGrants: ctx.store.revokeUser(p.data.email) };
  });

  app.get('/_sim/companies/:companyId/checks', async (req, reply) => {
    const id = Number((req.params as { companyId: string }).companyId);
    if (!ctx.books.company(id)) {
      return reply.code(404).send({ error: 'not_found', message: `Unknown company ${id}. See GET /_sim/credentials.` });
    }
    return ctx.books.book(id).checks();
  });

  app.get('/_sim/companies/:companyId/resources', async (req, reply) => {
    const id = Number((req.params as { companyId: string }).companyId);
    if (!ctx.books.company(id)) {
      return reply.code(404).send({ error: 'not_found', message: `Unknown company ${id}. See GET /_sim/credentials.` });
    }
    return [...ctx.books.book(id).resources()].sort();
  });

  // Drops the company's query snapshots and order indexes (as any write does), so a benchmark can time reads from the
  // same cold state twice.
  app.delete('/_sim/companies/:companyId/query-cache', async (req, reply) => {
    const id = Number((req.params as { companyId: string }).companyId);
    if (!ctx.books.company(id)) {
      return reply.code(404).send({ error: 'not_found', message: `Unknown company ${id}. See GET /_sim/credentials.` });
    }
    ctx.books.dropCaches(id);
    return reply.code(204).send();
  });

  // Builds the order index on every collection's update stamp (`date_time_updated`, or a view's
  // `..._date_time_updated`), then id: the indexes a database has on the columns incremental reads filter and sort
  // by. Otherwise the first incremental read after a restart or a dropped cache sorts a whole ledger. Benchmarks call
  // it, untimed, before timing an incremental sync.
  app.post('/_sim/companies/:companyId/stamp-indexes', async (req, reply) => {
    const id = Number((req.params as { companyId: string }).companyId);
    if (!ctx.books.company(id)) {
      return reply.code(404).send({ error: 'not_found', message: `Unknown company ${id}. See GET /_sim/credentials.` });
    }
    const book = ctx.books.book(id);
    const snapshots = ctx.books.snapshotStore(id, '');
    const built: string[] = [];
    for (const resource of book.resources()) {
      const coll = book.collection(resource);
      const sample = coll?.slice(0, 1)[0];
      if (!coll || !sample) continue;
      for (const field of Object.keys(sample).filter((k) => k.endsWith('date_time_updated'))) {
        const q = parseQuery({ $orderby: `${field} asc,${coll.key} asc`, $top: '1' }, sample, resource);
        selectRows(coll, q, ctx.books.enumIds(id), undefined, snapshots);
        built.push(`${resource}.${field}`);
      }
    }
    return { built };
  });

  app.post('/_sim/reset', async (req, reply) => {
    const p = resetSchema.safeParse(req.body ?? undefined);
    if (!p.success) return reply.code(400).send(badRequest(p.error));
    ctx.books.reset();
    ctx.limits.reset();
    ctx.clock.reset();
    const fresh = deps.initialSwitches();
    ctx.switches.global = fresh.global;
    ctx.switches.companies = fresh.companies;
    if (p.data?.tokens) ctx.store.clear();
    return { reset: true, tokensCleared: Boolean(p.data?.tokens) };
  });
}
