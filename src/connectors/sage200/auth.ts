// Sage ID (Auth0-based) OAuth 2.0 authorization-code flow: authorize URL, code exchange, refresh (reference 1).
import { z } from 'zod';
import { ConnectorError, type IntegrationCredentials, type TokenSet } from '../connector.ts';
import { parseErrorBody } from './errors.ts';

export const SAGE_AUDIENCE = 's200ukipd/sage200';
export const SAGE_SCOPES = 'openid profile email offline_access';
/** The maximum refresh-token lifetime Sage lets a client request; counted from consent, not slid on refresh. */
export const DEFAULT_REFRESH_TOKEN_LIFETIME_DAYS = 90;

export interface SageAuthOptions {
  fetch?: typeof fetch;
  now?: () => Date;
  refreshTokenLifetimeDays?: number;
  timeoutMs?: number;
}

const tokenResponse = z.object({
  access_token: z.string().min(1),
  refresh_token: z.string().min(1).optional(),
  expires_in: z.coerce.number().positive(),
  id_token: z.string().optional(),
  token_type: z.string().optional(),
  scope: z.string().optional(),
});

function trimSlash(url: string): string {
  return url.replace(/\/+$/, '');
}

export function authorizeUrl(
  credentials: IntegrationCredentials,
  params: { state: string; redirectUri: string },
): string {
  const q = new URLSearchParams({
    audience: SAGE_AUDIENCE,
    client_id: credentials.clientId,
    response_type: 'code',
    redirect_uri: params.redirectUri,
    scope: SAGE_SCOPES,
    state: params.state,
  });
  // Spaces as %20 (as Sage's examples show), not '+'.
  return `${trimSlash(credentials.authBaseUrl)}/authorize?${q.toString().replace(/\+/g, '%20')}`;
}

export function createSageAuth(opts: SageAuthOptions = {}) {
  const fetchImpl = opts.fetch ?? fetch;
  const now = opts.now ?? (() => new Date());
  const lifetimeMs = (opts.refreshTokenLifetimeDays ?? DEFAULT_REFRESH_TOKEN_LIFETIME_DAYS) * 86_400_000;
  const timeoutMs = opts.timeoutMs ?? 30_000;

  async function tokenRequest(credentials: IntegrationCredentials, form: Record<string, string>, what: string) {
    const body = new URLSearchParams({
      ...form,
      client_id: credentials.clientId,
      client_secret: credentials.clientSecret,
    });
    const url = `${trimSlash(credentials.authBaseUrl)}/oauth/token`;
    let status: number;
    let text: string;
    // No automatic retry: a refresh that reached Sage may already have rotated the token, and replaying the old one
    // would get invalid_grant and wrongly deauthorize the connection. The caller retries later with the stored token.
    try {
      const res = await fetchImpl(url, {
        method: 'POST',
        headers: { 'Content-Type': 'application/x-www-form-urlencoded', Accept: 'application/json' },
        body,
        signal: AbortSignal.timeout(timeoutMs),
      });
      status = res.status;
      text = await res.text();
    } catch (err) {
      const reason = err instanceof Error ? err.message : 'network error';
      throw new ConnectorError('FetchError', `Sage ID could not be reached for ${what}: ${reason}`);
    }
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      json = undefined;
    }
    if (status >= 200 && status < 300) {
      const parsed = tokenResponse.safeParse(json);
      if (!parsed.success) {
        throw new ConnectorError('FetchError', `Sage ID returned an unexpected token response for ${what}`, {
          sourceStatus: status,
        });
      }
      return parsed.data;
    }
    const oauthError = (json as { error?: unknown } | undefined)?.error;
    const sourceMessage = parseErrorBody(text);
    const details = { sourceStatus: status, sourceMessage };
    if (oauthError === 'invalid_grant') {
      throw new ConnectorError(
        'AuthError',
        `Sage ID refused the ${what} (invalid_grant: ${sourceMessage ?? 'expired or revoked'}). The user must link the company again.`,
        details,
      );
    }
    if (oauthError === 'invalid_client' || oauthError === 'unauthorized_client') {
      throw new ConnectorError(
        'PermissionsError',
        `Sage ID refused the client credentials (${oauthError}). Check the Client ID and Client secret in the Sage 200cloud integration settings.`,
        details,
      );
    }
    if (status === 429) {
      throw new ConnectorError(
        'RateLimitError',
        `Sage ID is throttling token requests: ${sourceMessage ?? '429'}`,
        details,
      );
    }
    // Only invalid_grant means the user's grant is gone; anything else must not deauthorize the connection.
    throw new ConnectorError(
      'FetchError',
      `Sage ID answered ${status} to the ${what}${sourceMessage ? `: ${sourceMessage}` : ''}`,
      details,
    );
  }

  function toTokenSet(r: z.infer<typeof tokenResponse>, fallbackRefresh: string | undefined, issuedAt: Date): TokenSet {
    const refreshToken = r.refresh_token ?? fallbackRefresh;
    if (!refreshToken) {
      throw new ConnectorError(
        'AuthError',
        'Sage ID returned no refresh token: the offline_access scope was not granted. Link the company again.',
      );
    }
    return {
      accessToken: r.access_token,
      refreshToken,
      accessTokenExpiresAt: new Date(issuedAt.getTime() + r.expires_in * 1000),
      idToken: r.id_token,
      scope: r.scope,
    };
  }

  return {
    authorizeUrl,

    async exchangeCode(
      credentials: IntegrationCredentials,
      params: { code: string; redirectUri: string },
    ): Promise<TokenSet> {
      const issuedAt = now();
      const r = await tokenRequest(
        credentials,
        { grant_type: 'authorization_code', code: params.code, redirect_uri: params.redirectUri },
        'authorization code',
      );
      // Consent happens now: the refresh token's absolute lifetime starts here.
      return {
        ...toTokenSet(r, undefined, issuedAt),
        refreshTokenExpiresAt: new Date(issuedAt.getTime() + lifetimeMs),
      };
    },

    /** The result carries no refreshTokenExpiresAt: the lifetime runs from consent, so the caller keeps the stored one. */
    async refresh(credentials: IntegrationCredentials, refreshToken: string): Promise<TokenSet> {
      const issuedAt = now();
      const r = await tokenRequest(
        credentials,
        { grant_type: 'refresh_token', refresh_token: refreshToken },
        'refresh token',
      );
      return toTokenSet(r, refreshToken, issuedAt);
    },
  };
}

export type SageAuth = ReturnType<typeof createSageAuth>;
