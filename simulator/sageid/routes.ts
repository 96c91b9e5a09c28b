// Sage ID (Auth0-style) endpoints: GET /authorize -> login page -> POST /login -> consent page -> POST /consent ->
// 302 to the client's redirect_uri with code+state; POST /oauth/token for authorization_code and refresh_token grants.
import { createHmac, randomBytes } from 'node:crypto';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { z } from 'zod';
import type { SimClock } from '../clock.ts';
import { DEMO_USERS } from '../demo.ts';
import { findClient, redirectAllowed } from './clients.ts';
import { consentPage, errorPage, loginPage } from './pages.ts';
import { createSigner } from './session.ts';
import { type SageIdStore, TokenError } from './store.ts';

export const SAGE_AUDIENCE = 's200ukipd/sage200';
const FORM_TTL_SECONDS = 15 * 60;

interface AuthorizeState {
  clientId: string;
  redirectUri: string;
  scope: string;
  state: string;
  email?: string;
}

const authorizeQuery = z.object({
  audience: z.string().optional(),
  client_id: z.string().optional(),
  response_type: z.string().optional(),
  redirect_uri: z.string().optional(),
  scope: z.string().optional(),
  state: z.string().optional(),
});

function html(reply: FastifyReply, status: number, body: string) {
  return reply
    .code(status)
    .header('content-type', 'text/html; charset=utf-8')
    .header('cache-control', 'no-store')
    .header('x-frame-options', 'DENY')
    .send(body);
}

function redirectWith(redirectUri: string, params: Record<string, string>): string {
  const u = new URL(redirectUri);
  for (const [k, v] of Object.entries(params)) u.searchParams.set(k, v);
  return u.toString();
}

export interface SageIdDeps {
  clock: SimClock;
  store: SageIdStore;
  /** the simulator's base URL, the `iss` of id tokens */
  issuer: () => string;
}

export function registerSageId(app: FastifyInstance, deps: SageIdDeps): void {
  const { clock, store } = deps;
  const signer = createSigner();
  const idTokenKey = randomBytes(32);
  const nowMs = () => clock.now().getTime();

  app.get('/authorize', async (req, reply) => {
    const q = authorizeQuery.safeParse(req.query);
    if (!q.success) return html(reply, 400, errorPage('Invalid request', 'The authorization request is malformed.'));
    const { audience, client_id, response_type, redirect_uri, scope, state } = q.data;
    const client = findClient(client_id);
    if (!client) {
      return html(
        reply,
        400,
        errorPage('Unknown application', `Unknown client_id "${client_id ?? ''}". Check the Client ID.`),
      );
    }
    if (!redirect_uri || !redirectAllowed(client, redirect_uri)) {
      return html(
        reply,
        400,
        errorPage(
          'Callback URL mismatch',
          `The redirect_uri "${redirect_uri ?? ''}" is not registered for ${client.name}. Register it with the application, or use http://localhost:<port>/oauth/callback.`,
        ),
      );
    }
    const problems: string[] = [];
    if (audience !== SAGE_AUDIENCE) problems.push(`audience must be "${SAGE_AUDIENCE}"`);
    if (response_type !== 'code') problems.push('response_type must be "code"');
    if (!scope?.split(' ').includes('offline_access')) problems.push('scope must include offline_access');
    if (!state) problems.push('state is required');
    if (problems.length)
      return html(reply, 400, errorPage('Invalid request', `Invalid authorization request: ${problems.join('; ')}.`));
    const session = signer.sign(
      { clientId: client.clientId, redirectUri: redirect_uri, scope: scope!, state: state! } satisfies AuthorizeState,
      FORM_TTL_SECONDS,
      nowMs(),
    );
    return html(reply, 200, loginPage({ session, appName: client.name }));
  });

  app.post('/login', async (req, reply) => {
    const body = (req.body ?? {}) as Record<string, string | undefined>;
    const st = body.session ? signer.verify<AuthorizeState>(body.session, nowMs()) : undefined;
    if (!st)
      return html(
        reply,
        400,
        errorPage('Session expired', 'This sign-in form has expired. Start again from your application.'),
      );
    const client = findClient(st.clientId)!;
    const email = (body.email ?? '').trim();
    const user = DEMO_USERS.find((u) => u.email.toLowerCase() === email.toLowerCase());
    if (!user || user.password !== body.password) {
      return html(
        reply,
        401,
        loginPage({ session: body.session!, appName: client.name, email, error: 'Wrong email or password.' }),
      );
    }
    const session = signer.sign({ ...st, email: user.email } satisfies AuthorizeState, FORM_TTL_SECONDS, nowMs());
    return html(reply, 200, consentPage({ session, appName: client.name, email: user.email, scope: st.scope }));
  });

  app.post('/consent', async (req, reply) => {
    const body = (req.body ?? {}) as Record<string, string | undefined>;
    const st = body.session ? signer.verify<AuthorizeState>(body.session, nowMs()) : undefined;
    if (!st?.email)
      return html(
        reply,
        400,
        errorPage('Session expired', 'This consent form has expired. Start again from your application.'),
      );
    if (body.decision !== 'authorize') {
      return reply.redirect(
        redirectWith(st.redirectUri, {
          error: 'access_denied',
          error_description: 'The user denied access.',
          state: st.state,
        }),
        302,
      );
    }
    const code = store.issueCode(st.email, st.clientId, st.scope, st.redirectUri);
    return reply.redirect(redirectWith(st.redirectUri, { code, state: st.state }), 302);
  });

  app.post('/oauth/token', async (req, reply) => {
    const body = (req.body && typeof req.body === 'object' ? req.body : {}) as Record<string, unknown>;
    const str = (k: string) => (typeof body[k] === 'string' ? (body[k] as string) : undefined);
    const fail = (status: number, error: string, description: string) =>
      reply.code(status).header('cache-control', 'no-store').send({ error, error_description: description });

    let clientId = str('client_id');
    let clientSecret = str('client_secret');
    const auth = req.headers.authorization;
    if (auth?.startsWith('Basic ')) {
      const decoded = Buffer.from(auth.slice(6), 'base64').toString('utf8');
      const i = decoded.indexOf(':');
      try {
        clientId = decodeURIComponent(decoded.slice(0, i));
        clientSecret = decodeURIComponent(decoded.slice(i + 1));
      } catch {
        return fail(401, 'invalid_client', 'Client authentication failed: malformed HTTP Basic credentials.');
      }
    }
    const grantType = str('grant_type');
    if (!grantType) return fail(400, 'invalid_request', 'Missing required parameter: grant_type');
    if (grantType !== 'authorization_code' && grantType !== 'refresh_token') {
      return fail(400, 'unsupported_grant_type', `Unsupported grant type: ${grantType}`);
    }
    const client = findClient(clientId);
    if (!client || !clientSecret || client.clientSecret !== clientSecret) {
      return fail(401, 'invalid_client', 'Client authentication failed: check client_id and client_secret.');
    }
    try {
      let issued: ReturnType<SageIdStore['exchangeCode']>;
      if (grantType === 'authorization_code') {
        const code = str('code');
        if (!code) return fail(400, 'invalid_request', 'Missing required parameter: code');
        issued = store.exchangeCode(code, client.clientId, str('redirect_uri'));
      } else {
        const rt = str('refresh_token');
        if (!rt) return fail(400, 'invalid_request', 'Missing required parameter: refresh_token');
        issued = store.refreshTokens(rt, client.clientId);
      }
      const user = DEMO_USERS.find((u) => u.email === issued.grant.email);
      const iat = Math.floor(nowMs() / 1000);
      const idToken = jwt(
        {
          iss: `${deps.issuer()}/`,
          sub: `auth0|${createHmac('sha256', 'sub').update(issued.grant.email).digest('hex').slice(0, 24)}`,
          aud: client.clientId,
          email: issued.grant.email,
          name: user?.name,
          iat,
          exp: iat + 36_000,
        },
        idTokenKey,
      );
      return reply.header('cache-control', 'no-store').send({
        access_token: issued.access_token,
        ...(issued.refresh_token ? { refresh_token: issued.refresh_token } : {}),
        id_token: idToken,
        token_type: 'Bearer',
        expires_in: issued.expires_in,
        scope: issued.scope,
      });
    } catch (e) {
      if (e instanceof TokenError) return fail(400, e.error, e.message);
      throw e;
    }
  });
}

function jwt(claims: Record<string, unknown>, key: Buffer): string {
  const enc = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');
  const head = `${enc({ alg: 'HS256', typ: 'JWT' })}.${enc(claims)}`;
  return `${head}.${createHmac('sha256', key).update(head).digest('base64url')}`;
}
