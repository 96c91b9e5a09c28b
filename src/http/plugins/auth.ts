// API-key authentication: `Authorization: Basic <base64(apiKey)>` (Codat) or `Bearer <apiKey>`.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { authenticateApiKey } from '../../platform/api-keys.ts';
import { ApiError } from '../errors.ts';

/** Path prefixes that never need a key (besides routes declaring `config: { public: true }`). */
const PUBLIC_PREFIXES = ['/portal', '/docs', '/link/', '/oauth/callback', '/favicon.ico'];
const PUBLIC_EXACT = new Set(['/', '/healthz', '/readyz', '/metrics', '/openapi.json']);

export function presentedKey(header: string | undefined): string | undefined {
  if (!header) return undefined;
  const [scheme, value] = header.trim().split(/\s+/, 2);
  if (!value) return undefined;
  if (/^bearer$/i.test(scheme)) return value;
  if (/^basic$/i.test(scheme)) {
    const decoded = Buffer.from(value, 'base64').toString('utf8');
    // Some HTTP clients send "key:" (empty password) for Basic auth; accept both forms.
    return decoded.endsWith(':') ? decoded.slice(0, -1) : decoded;
  }
  return undefined;
}

function isPublic(request: FastifyRequest): boolean {
  if (request.routeOptions.config?.public) return true;
  const path = request.url.split('?', 1)[0];
  return PUBLIC_EXACT.has(path) || PUBLIC_PREFIXES.some((p) => path.startsWith(p));
}

/** Adds the auth hook to the root instance (not encapsulated, so it covers every route and the 404 handler). */
export function registerAuth(app: FastifyInstance): void {
  app.decorateRequest('tenantId', null);
  app.decorateRequest('apiKeyName', null);
  app.addHook('onRequest', async (request) => {
    const key = presentedKey(request.headers.authorization);
    if (key) {
      const found = await authenticateApiKey(app.deps.db, key);
      if (found) {
        request.tenantId = found.tenantId;
        request.apiKeyName = found.keyName;
        return;
      }
      if (!isPublic(request))
        throw new ApiError(401, 'The API key is not valid or has been deleted; create a new key in the portal');
    }
    if (isPublic(request)) return;
    throw new ApiError(
      401,
      'Missing API key: send "Authorization: Basic <base64 of your API key>" or "Authorization: Bearer <API key>"',
    );
  });
}
