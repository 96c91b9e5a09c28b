// The Sage 200 simulator: Sage ID at the root (/authorize, /oauth/token), the Sage 200 API under
// /uk/sage200/accounts/v1/ and /uk/sage200extra/accounts/v1/, and its own controls under /_sim/.
import formbody from '@fastify/formbody';
import Fastify, { type FastifyInstance } from 'fastify';
import { registerAdmin } from './admin/routes.ts';
import type { CreateBook } from './api/book-types.ts';
import type { SimContext } from './api/context.ts';
import { Limits } from './api/limits.ts';
import { BookRegistry } from './api/registry.ts';
import { registerApi } from './api/routes.ts';
import { createClock } from './clock.ts';
import { DEFAULT_AS_OF, DEFAULT_SEED, DEMO_COMPANIES } from './demo.ts';
import { registerSageId } from './sageid/routes.ts';
import { SageIdStore } from './sageid/store.ts';
import {
  applySwitches,
  defaultSwitches,
  type SwitchesUpdate,
  switchesUpdateSchema,
  type TimestampStyle,
} from './switches.ts';

export interface SimulatorOptions {
  port?: number;
  host?: string;
  seed?: number;
  scale?: number;
  asOf?: string;
  enforceSubscriptionKey?: boolean;
  accessTokenTtlSeconds?: number;
  refreshTokenTtlDays?: number;
  logger?: boolean;
  /** `z` (default): audit stamps end in Z; `no-z`: no zone on any datetime */
  timestamps?: TimestampStyle;
  /** switch updates applied at start (same shape as POST /_sim/switches), e.g. throttling for one company */
  switches?: SwitchesUpdate[];
  /** build every demo company's book right after listening, one company per event-loop turn, so the first read of
   * each company (a first Link probes them all) does not wait for generation */
  warm?: boolean;
  /** where warm-up progress lines go (default: console.log) */
  log?: (line: string) => void;
  /** keep a log of the Sage API requests served (GET/DELETE /_sim/requests); benchmarks replay it */
  requestLog?: boolean;
}

/** One Sage API request as served (path with its query string). */
export interface LoggedRequest {
  method: string;
  url: string;
  status: number;
  ms: number;
  /** when the answer was sent (ms since the epoch) */
  at: number;
}
/** Oldest entries drop beyond this many, so a forgotten log cannot grow without bound. */
export const REQUEST_LOG_MAX = 500_000;

export interface Simulator {
  url: string;
  close(): Promise<void>;
}

export interface BuiltSimulator {
  app: FastifyInstance;
  ctx: SimContext;
  /** set once listening; used for id-token issuer and /_sim/credentials */
  setBaseUrl(url: string): void;
}

export function buildSimulator(o: SimulatorOptions, createBook: CreateBook): BuiltSimulator {
  const switchDefaults = {
    enforceSubscriptionKey: o.enforceSubscriptionKey,
    accessTokenTtlSeconds: o.accessTokenTtlSeconds,
    refreshTokenTtlDays: o.refreshTokenTtlDays,
    timestamps: o.timestamps,
  };
  const clock = createClock();
  const initialSwitches = () => {
    const s = defaultSwitches(switchDefaults);
    for (const u of o.switches ?? []) {
      const err = applySwitches(s, switchesUpdateSchema.parse(u));
      if (err) throw new Error(`Invalid simulator switch: ${err}`);
    }
    return s;
  };
  const switches = initialSwitches();
  const ctx: SimContext = {
    clock,
    switches,
    store: new SageIdStore(clock, () => ctx.switches.global),
    books: new BookRegistry(
      { seed: o.seed ?? DEFAULT_SEED, scale: o.scale ?? 1, asOf: o.asOf ?? DEFAULT_AS_OF },
      createBook,
    ),
    limits: new Limits(clock),
  };
  let baseUrl = '';
  const app = Fastify({
    logger: o.logger
      ? { level: 'info', redact: ['req.headers.authorization', 'req.headers["ocp-apim-subscription-key"]'] }
      : false,
    bodyLimit: 10 * 1024 * 1024,
    // clients join base URLs ending in '/' with paths starting with '/'; Sage tolerates both
    routerOptions: { ignoreTrailingSlash: true, ignoreDuplicateSlashes: true },
  });
  app.register(formbody);
  const requests: LoggedRequest[] | undefined = o.requestLog ? [] : undefined;
  if (requests) {
    app.addHook('onResponse', async (req, reply) => {
      if (!req.url.startsWith('/uk/')) return;
      if (requests.length >= REQUEST_LOG_MAX) requests.splice(0, requests.length - REQUEST_LOG_MAX + 1);
      requests.push({
        method: req.method,
        url: req.url,
        status: reply.statusCode,
        ms: Math.round(reply.elapsedTime),
        at: Date.now(),
      });
    });
  }
  app.register(async (scope) => {
    registerSageId(scope, { clock, store: ctx.store, issuer: () => baseUrl });
    registerApi(scope, ctx);
    registerAdmin(scope, { ctx, baseUrl: () => baseUrl, initialSwitches, requests });
  });
  // Sage's Web API answers unknown routes with {"Message": ...}
  app.setNotFoundHandler((req, reply) =>
    reply.code(404).send({ Message: `No HTTP resource was found that matches the request URI '${req.url}'.` }),
  );
  return {
    app,
    ctx,
    setBaseUrl(url) {
      baseUrl = url;
    },
  };
}

export async function startSimulator(o: SimulatorOptions = {}): Promise<Simulator> {
  const { createBook } = await import('./books/index.ts');
  const built = buildSimulator(o, createBook);
  const host = o.host ?? '127.0.0.1';
  await built.app.listen({ port: o.port ?? 0, host });
  const addr = built.app.server.address();
  const port = typeof addr === 'object' && addr ? addr.port : o.port;
  const url = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
  built.setBaseUrl(url);
  let closed = false;
  if (o.warm) warmBooks(built.ctx, o.log ?? ((line) => console.log(line)), () => closed);
  return {
    url,
    close: () => {
      closed = true;
      return built.app.close();
    },
  };
}

/** Builds the demo companies' books one per setImmediate turn (requests are served between them). */
function warmBooks(ctx: SimContext, log: (line: string) => void, stopped: () => boolean): void {
  const queue = [...DEMO_COMPANIES];
  const started = performance.now();
  const next = () => {
    const company = queue.shift();
    if (!company || stopped()) {
      if (!company) log(`[simulator] books ready for ${DEMO_COMPANIES.length} companies in ${elapsed(started)} s`);
      return;
    }
    const t = performance.now();
    try {
      ctx.books.book(company.companyId);
      log(`[simulator] books built for ${company.companyName} (company ${company.companyId}) in ${elapsed(t)} s`);
    } catch (err) {
      log(
        `[simulator] books for company ${company.companyId} could not be built (${String(err)}); built on first read instead`,
      );
    }
    setImmediate(next);
  };
  setImmediate(next);
}

const elapsed = (since: number) => ((performance.now() - since) / 1000).toFixed(1);
