// HTTP side of hosted Link (public routes, no API key): maps requests onto the steps in flow.ts and renders pages.
import type { FastifyInstance, FastifyPluginAsync, FastifyReply } from 'fastify';
import { z } from 'zod';
import type { Connector } from '../connectors/connector.ts';
import { listConnectors } from '../connectors/registry.ts';
import { ApiError } from '../http/errors.ts';
import { createConnection } from '../platform/connections.ts';
import { eventsOf } from '../platform/events.ts';
import { getIntegrationCredentials, getIntegrationState } from '../platform/integrations.ts';
import {
  callbackStep,
  companyStep,
  connectStep,
  continueStep,
  type LinkDeps,
  pickStep,
  type Step,
  startStep,
} from './flow.ts';
import { messagePage } from './pages.ts';
import { LINK_CSS } from './styles.ts';

const PUBLIC = { config: { public: true }, schema: { hide: true } } as const;

const companyParams = z.object({ companyId: z.string().max(100) });
const connectionParams = z.object({ companyId: z.string().max(100), connectionId: z.string().max(100) });
const str = z.string().max(4000).optional();
const callbackQuery = z.object({ code: str, state: str, error: str, error_description: str });
const platformQuery = z.object({ platformKey: z.string().max(20).optional() });
const pickBody = z.object({ token: str, choice: str });

/** Pages are never cached, framed or referred on (the callback URL carries a code). */
function securityHeaders(reply: FastifyReply): FastifyReply {
  return reply
    .header('cache-control', 'no-store')
    .header('x-frame-options', 'DENY')
    .header('referrer-policy', 'no-referrer')
    .header('x-content-type-options', 'nosniff')
    .header(
      'content-security-policy',
      "default-src 'none'; style-src 'self'; img-src 'self'; frame-ancestors 'none'; base-uri 'none'",
    );
}

export function linkDeps(app: FastifyInstance, connectors: Connector[]): LinkDeps {
  const d = app.deps;
  const defaults = () => ({ authBaseUrl: d.config.sage.authBaseUrl, apiBaseUrl: d.config.sage.apiBaseUrl });
  return {
    db: d.db,
    keyring: d.keyring,
    clock: d.clock,
    logger: d.logger,
    events: eventsOf(d.services),
    publicUrl: () => d.config.publicUrl,
    connectors: () => connectors,
    integrationState: (tenantId, platformKey) => getIntegrationState(d.db, tenantId, platformKey),
    credentials: async (tenantId, platformKey) => {
      const c = await getIntegrationCredentials(d.db, tenantId, platformKey, {
        keyring: d.keyring,
        defaults: defaults(),
      });
      if (!c) throw new ApiError(409, 'The integration is not configured');
      return c;
    },
    createConnection: async (tenantId, companyId, platformKey) =>
      (await createConnection(d.db, { tenantId, companyId, platformKey }, d.clock)).row.id,
  };
}

const linkRoutes: FastifyPluginAsync = async (app) => {
  // Connectors load once, when the routes register; the steps then look them up synchronously.
  // A connector module that fails to load must not take the whole server down: Link then offers no integration.
  const connectors = await listConnectors().catch((err: unknown) => {
    app.log.error({ err }, 'link: connectors could not be loaded; Link will show no integration');
    return [];
  });
  const deps = linkDeps(app, connectors);

  async function render(reply: FastifyReply, step: () => Promise<Step>, requestId: string): Promise<FastifyReply> {
    // After a form POST, 303 (see other); after a GET, a plain 302.
    const redirectCode = reply.request.method === 'POST' ? 303 : 302;
    securityHeaders(reply);
    let result: Step;
    try {
      result = await step();
    } catch (err) {
      result = errorPage(err, requestId);
      if (!(err instanceof ApiError)) app.log.error({ err, correlationId: requestId }, 'link: unexpected error');
    }
    if ('redirect' in result) return reply.redirect(result.redirect, redirectCode);
    return reply.code(result.status).type('text/html; charset=utf-8').send(result.html);
  }

  app.get('/link/styles.css', PUBLIC, async (_req, reply) =>
    reply.header('cache-control', 'public, max-age=300').type('text/css; charset=utf-8').send(LINK_CSS),
  );

  app.get('/link/company/:companyId', PUBLIC, async (req, reply) => {
    const { companyId } = companyParams.parse(req.params);
    return render(reply, () => companyStep(deps, companyId), req.id);
  });

  app.get('/link/company/:companyId/connect', PUBLIC, async (req, reply) => {
    const { companyId } = companyParams.parse(req.params);
    const { platformKey } = platformQuery.parse(req.query ?? {});
    return render(reply, () => continueStep(deps, companyId, platformKey), req.id);
  });

  app.post('/link/company/:companyId/connect', PUBLIC, async (req, reply) => {
    const { companyId } = companyParams.parse(req.params);
    const { platformKey } = platformQuery.parse(req.body ?? {});
    return render(reply, () => connectStep(deps, companyId, platformKey), req.id);
  });

  app.get('/link/companies/:companyId/connections/:connectionId/start', PUBLIC, async (req, reply) => {
    const { companyId, connectionId } = connectionParams.parse(req.params);
    return render(reply, () => startStep(deps, companyId, connectionId), req.id);
  });

  app.post('/link/companies/:companyId/connections/:connectionId/pick', PUBLIC, async (req, reply) => {
    const { companyId, connectionId } = connectionParams.parse(req.params);
    const body = pickBody.safeParse(req.body ?? {});
    return render(reply, () => pickStep(deps, companyId, connectionId, body.success ? body.data : {}), req.id);
  });

  app.get('/oauth/callback', PUBLIC, async (req, reply) => {
    const q = callbackQuery.safeParse(req.query ?? {});
    return render(reply, () => callbackStep(deps, q.success ? q.data : {}), req.id);
  });
};

function errorPage(err: unknown, requestId: string) {
  if (err instanceof ApiError) {
    return messagePage({
      status: err.statusCode,
      title: 'Cannot connect right now',
      message: err.message,
      hint: 'Nothing was changed. Please contact the company that sent you this link.',
    });
  }
  return messagePage({
    status: 500,
    title: 'Something went wrong',
    message: 'An unexpected error stopped the connection. Nothing was changed.',
    hint: `Please try the link again in a few minutes. If it keeps failing, quote reference ${requestId}.`,
  });
}

export default linkRoutes;
