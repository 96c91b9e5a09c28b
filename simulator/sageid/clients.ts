// Registered OAuth clients and the redirect-URI rule: a registered URI, or (RFC 8252 section 7.3) an http loopback
// host on any port with the path /oauth/callback, so a locally run Ledgerlink on any port can sign in.
import { DEMO_CLIENT } from '../demo.ts';

export interface OAuthClient {
  name: string;
  clientId: string;
  clientSecret: string;
  redirectUris: readonly string[];
}

export const CLIENTS: readonly OAuthClient[] = [DEMO_CLIENT];

export const findClient = (clientId: string | undefined) => CLIENTS.find((c) => c.clientId === clientId);

const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);

export function redirectAllowed(client: OAuthClient, redirectUri: string): boolean {
  if (client.redirectUris.includes(redirectUri)) return true;
  let u: URL;
  try {
    u = new URL(redirectUri);
  } catch {
    return false;
  }
  return (
    u.protocol === 'http:' &&
    LOOPBACK_HOSTS.has(u.hostname) &&
    u.pathname === '/oauth/callback' &&
    !u.username &&
    !u.password &&
    !u.hash
  );
}
