// Signed, expiring form state carried from the login page to the consent page (HMAC-SHA256 over base64url JSON),
// so the simulator needs no server-side session store and a tampered form is refused.
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

export interface Signer {
  sign(payload: object, ttlSeconds: number, nowMs: number): string;
  verify<T>(token: string, nowMs: number): T | undefined;
}

export function createSigner(key: Buffer = randomBytes(32)): Signer {
  const mac = (data: string) => createHmac('sha256', key).update(data).digest('base64url');
  return {
    sign(payload, ttlSeconds, nowMs) {
      const body = Buffer.from(JSON.stringify({ ...payload, exp: nowMs + ttlSeconds * 1000 })).toString('base64url');
      return `${body}.${mac(body)}`;
    },
    verify<T>(token: string, nowMs: number) {
      const [body, sig] = token.split('.');
      if (!body || !sig) return undefined;
      const expected = Buffer.from(mac(body));
      const given = Buffer.from(sig);
      if (expected.length !== given.length || !timingSafeEqual(expected, given)) return undefined;
      try {
        const data = JSON.parse(Buffer.from(body, 'base64url').toString('utf8')) as { exp: number };
        if (typeof data.exp !== 'number' || data.exp <= nowMs) return undefined;
        return data as T;
      } catch {
        return undefined;
      }
    },
  };
}
