// Sage ID state: authorization codes, grants (one per consent), refresh tokens and opaque access tokens, all in memory.
// Lifetimes are read from the switches when checked, so changing a switch affects tokens already issued.
import { randomBytes } from 'node:crypto';
import type { SimClock } from '../clock.ts';
import type { GlobalSwitches } from '../switches.ts';

const CODE_TTL_MS = 10 * 60 * 1000;

export interface Grant {
  id: string;
  email: string;
  clientId: string;
  scope: string;
  /** refresh tokens expire this long after consent, whatever happens in between (absolute lifetime) */
  consentedAt: number;
  revoked: boolean;
}

interface CodeRecord {
  grantId: string;
  redirectUri: string;
  expiresAt: number;
  used: boolean;
}

interface RefreshRecord {
  grantId: string;
  /** set when the token was exchanged for a new one (rotation) */
  rotated: boolean;
}

export interface AccessRecord {
  grantId: string;
  email: string;
  expiresAt: number;
}

export interface IssuedTokens {
  access_token: string;
  refresh_token?: string;
  expires_in: number;
  scope: string;
  grant: Grant;
}

export class TokenError extends Error {
  constructor(
    readonly error: 'invalid_grant' | 'invalid_request',
    message: string,
  ) {
    super(message);
  }
}

const token = (prefix: string) => `${prefix}${randomBytes(32).toString('base64url')}`;

export class SageIdStore {
  private grants = new Map<string, Grant>();
  private codes = new Map<string, CodeRecord>();
  private refresh = new Map<string, RefreshRecord>();
  private access = new Map<string, AccessRecord>();

  constructor(
    private readonly clock: SimClock,
    private readonly switches: () => GlobalSwitches,
  ) {}

  /** After consent: a new grant and a single-use code bound to the redirect URI. */
  issueCode(email: string, clientId: string, scope: string, redirectUri: string): string {
    const now = this.clock.now().getTime();
    const grant: Grant = { id: token('g_'), email, clientId, scope, consentedAt: now, revoked: false };
    this.grants.set(grant.id, grant);
    const code = token('c_');
    this.codes.set(code, { grantId: grant.id, redirectUri, expiresAt: now + CODE_TTL_MS, used: false });
    return code;
  }

  exchangeCode(code: string, clientId: string, redirectUri: string | undefined): IssuedTokens {
    const rec = this.codes.get(code);
    if (!rec) throw new TokenError('invalid_grant', 'Invalid authorization code');
    if (rec.used) throw new TokenError('invalid_grant', 'Invalid authorization code (it has already been used)');
    if (rec.expiresAt <= this.clock.now().getTime())
      throw new TokenError('invalid_grant', 'Authorization code expired');
    const grant = this.grants.get(rec.grantId)!;
    if (grant.clientId !== clientId) throw new TokenError('invalid_grant', 'The code was issued to another client');
    if (redirectUri === undefined) throw new TokenError('invalid_request', 'Missing required parameter: redirect_uri');
    if (redirectUri !== rec.redirectUri) {
      throw new TokenError('invalid_grant', 'redirect_uri does not match the one used in the authorization request');
    }
    rec.used = true;
    return this.issue(grant);
  }

  refreshTokens(refreshToken: string, clientId: string): IssuedTokens {
    const rec = this.refresh.get(refreshToken);
    if (!rec) throw new TokenError('invalid_grant', 'Unknown or invalid refresh token.');
    const grant = this.grants.get(rec.grantId)!;
    if (grant.clientId !== clientId)
      throw new TokenError('invalid_grant', 'The refresh token belongs to another client.');
    if (rec.rotated) throw new TokenError('invalid_grant', 'Unknown or invalid refresh token (it was already used).');
    if (grant.revoked) throw new TokenError('invalid_grant', 'The user has revoked access (grant revoked).');
    if (this.refreshExpiresAt(grant) <= this.clock.now().getTime()) {
      throw new TokenError('invalid_grant', 'Refresh token expired. The user must sign in and authorize again.');
    }
    rec.rotated = true;
    return this.issue(grant);
  }

  /** Access token -> record, or a reason it is refused. */
  lookupAccess(accessToken: string): AccessRecord | 'invalid' | 'expired' {
    const rec = this.access.get(accessToken);
    if (!rec) return 'invalid';
    const grant = this.grants.get(rec.grantId);
    if (!grant || grant.revoked) return 'invalid';
    if (rec.expiresAt <= this.clock.now().getTime()) return 'expired';
    return rec;
  }

  /** Revokes every grant of a user: refresh tokens get invalid_grant, access tokens stop working. */
  revokeUser(email: string): number {
    let n = 0;
    for (const g of this.grants.values()) {
      if (g.email.toLowerCase() === email.toLowerCase() && !g.revoked) {
        g.revoked = true;
        n++;
      }
    }
    return n;
  }

  clear(): void {
    this.grants.clear();
    this.codes.clear();
    this.refresh.clear();
    this.access.clear();
  }

  private refreshExpiresAt(g: Grant): number {
    return g.consentedAt + this.switches().refreshTokenTtlDays * 86_400_000;
  }

  private issue(grant: Grant): IssuedTokens {
    const ttl = this.switches().accessTokenTtlSeconds;
    const accessToken = token('at_');
    this.access.set(accessToken, {
      grantId: grant.id,
      email: grant.email,
      expiresAt: this.clock.now().getTime() + ttl * 1000,
    });
    const out: IssuedTokens = { access_token: accessToken, expires_in: ttl, scope: grant.scope, grant };
    if (grant.scope.split(' ').includes('offline_access')) {
      const rt = token('rt_');
      this.refresh.set(rt, { grantId: grant.id, rotated: false });
      out.refresh_token = rt;
    }
    return out;
  }
}
