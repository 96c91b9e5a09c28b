// buildServer: the Ledgerlink API as a Fastify instance. Routes are discovered from ./routes/*.ts (each file's
// default export is a Fastify plugin); no central list to edit. Routes declare `config: { public: true }` to
// skip API-key auth.
import { randomUUID } from 'node:crypto';
import { existsSync, readdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import formbody from '@fastify/formbody';
import fastifyStatic from '@fastify/static';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import Fastify, { type FastifyBaseLogger, type FastifyInstance, type FastifyPluginAsync, LogController } from 'fastify';
import {
  jsonSchemaTransform,
  jsonSchemaTransformObject,
  serializerCompiler,
  validatorCompiler,
} from 'fastify-type-provider-zod';
import type { Config } from '../config.ts';
import type { Logger } from '../logger.ts';
import { type Clock, systemClock } from '../platform/ids.ts';
import type { Keyring } from '../platform/secrets.ts';
import type { Store } from '../store/index.ts';
import type { AppDeps } from './context.ts';
import { ApiError, handleError } from './errors.ts';
import { registerAuth } from './plugins/auth.ts';
import { HttpMetrics, registerMetrics } from './plugins/metrics.ts';
import { registerRateLimit } from './plugins/rate-limit.ts';

const here = dirname(fileURLToPath(import.meta.url));
export const ROUTES_DIR = join(here, 'routes');
export const PORTAL_DIR = resolve(here, '..', '..', 'web', 'dist');
const CORRELATION_ID = /^[A-Za-z0-9._:-]{1,100}$/;

export interface BuildServerOptions {
  config: Config;
  store: Store;
  logger: Logger;
  keyring: Keyring;
  clock?: Clock;
  services?: Record<string, unknown>;
  /** defaults to web/dist; tests point it elsewhere */
  portalDir?: string;
}

export async function buildServer(options: BuildServerOptions): Promise<FastifyInstance> {
  const { config, store, logger, keyring } = options;
  const app = Fastify({
    loggerInstance: logger as FastifyBaseLogger,
    bodyLimit: config.bodyLimit,
    logController: new LogController({ requestIdLogLabel: 'correlationId' }),
    genReqId: (req) => {
      const incoming = req.headers['x-correlation-id'];
      return typeof incoming === 'string' && CORRELATION_ID.test(incoming) ? incoming : randomUUID();
    },
    // Codat-style query strings are plain key=value; keep fastify's default parser.
    routerOptions: { ignoreTrailingSlash: true },
  });

  const deps: AppDeps = {
    config,
    store,
    db: store.db,
    logger,
    keyring,
    clock: options.clock ?? systemClock,
    services: options.services ?? {},
  };
  app.decorate('deps', deps);
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  app.setErrorHandler(handleError);
  app.addHook('onRequest', async (request, reply) => {
    reply.header('x-correlation-id', String(request.id));
  });
  await app.register(formbody);
  registerAuth(app);
  registerRateLimit(app, config.rateLimitPerMinute, deps.clock);
  registerMetrics(app, new HttpMetrics());

  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Ledgerlink API',
        version: '0.1.0',
        description:
          'Codat-compatible accounting-data API. Authenticate with `Authorization: Basic <base64(apiKey)>` or `Authorization: Bearer <apiKey>`.',
      },
      servers: [{ url: config.publicUrl }],
      components: {
        securitySchemes: {
          basicAuth: { type: 'apiKey', in: 'header', name: 'Authorization', description: 'Basic <base64(apiKey)>' },
          bearerAuth: { type: 'http', scheme: 'bearer' },
        },
      },
      security: [{ basicAuth: [] }, { bearerAuth: [] }],
    },
    transform: jsonSchemaTransform,
    transformObject: jsonSchemaTransformObject,
  });
  await app.register(swaggerUi, { routePrefix: '/docs' });
  app.get('/openapi.json', { config: { public: true }, schema: { hide: true } }, async () => app.swagger());

  for (const plugin of await discoverRoutes(ROUTES_DIR)) await app.register(plugin);

  registerPortal(app, options.portalDir ?? PORTAL_DIR);
  return app;
}

/** Default exports of routes/*.ts (tests excluded), in file-name order. */
export async function discoverRoutes(dir: string): Promise<FastifyPluginAsync[]> {
  if (!existsSync(dir)) return [];
  const plugins: FastifyPluginAsync[] = [];
  for (const file of readdirSync(dir).sort()) {
    if (!file.endsWith('.ts') || file.endsWith('.test.ts') || file.endsWith('.d.ts')) continue;
    const mod = (await import(pathToFileURL(join(dir, file)).href)) as { default?: FastifyPluginAsync };
    if (typeof mod.default !== 'function') throw new Error(`Route file ${file} must export a default Fastify plugin`);
    plugins.push(mod.default);
  }
  return plugins;
}

/** The portal build at /portal/ with SPA fallback; `/` redirects there (or to /docs without a build). */
function registerPortal(app: FastifyInstance, dir: string): void {
  const hasPortal = existsSync(join(dir, 'index.html'));
  app.get('/', { config: { public: true }, schema: { hide: true } }, async (_req, reply) =>
    reply.redirect(hasPortal ? '/portal/' : '/docs'),
  );
  if (hasPortal) {
    app.register(fastifyStatic, { root: dir, prefix: '/portal/', wildcard: false, index: 'index.html' });
  }
  app.setNotFoundHandler(async (request, reply) => {
    const path = request.url.split('?', 1)[0];
    // Client-side routes (no file extension) get the SPA; a missing asset stays a 404.
    const isAsset = /\.[A-Za-z0-9]+$/.test(path);
    if (hasPortal && request.method === 'GET' && !isAsset && (path === '/portal' || path.startsWith('/portal/'))) {
      return reply.type('text/html').sendFile('index.html', dir);
    }
    throw new ApiError(404, `No route ${request.method} ${path}; see /docs for the API reference`);
  });
}
