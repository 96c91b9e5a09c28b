// Single-use, expiring tokens of the Link flow: the OAuth `state` (start -> callback) and the picker token
// (callback -> company choice). The browser gets a random 256-bit value; only its SHA-256 is stored, so a database
// leak does not let anyone complete a flow. Consuming is one conditional UPDATE, so a value works exactly once even
// with concurrent requests.
import { createHash, randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Keyring } from '../platform/secrets.ts';
import type { Database } from '../store/schema.ts';

declare module '../store/schema.ts' {
  interface Database {
    link_states: {
      state_hash: string;
      purpose: string;
      tenant_id: string;
      company_id: string;
      connection_id: string;
      payload_enc: string | null;
      created_at: string;
      expires_at: string;
      used_at: string | null;
    };
  }
}

export type StatePurpose = 'authorize' | 'pick';

/** How long a user has between two steps (Sage sign-in can take a while with MFA). */
export const STATE_TTL_SECONDS = 15 * 60;

export interface LinkState<P = unknown> {
  purpose: StatePurpose;
  tenantId: string;
  companyId: string;
  connectionId: string;
  payload?: P;
}

export type ConsumeResult<P> =
  | { ok: true; state: LinkState<P> }
  | { ok: false; reason: 'unknown' | 'used' | 'expired' | 'wrong-purpose' };

const hash = (value: string) => createHash('sha256').update(value).digest('hex');

export async function createState<P>(
  db: Kysely<Database>,
  keyring: Keyring,
  state: LinkState<P>,
  now: Date,
  ttlSeconds = STATE_TTL_SECONDS,
): Promise<string> {
  const value = randomBytes(32).toString('base64url');
  await db
    .insertInto('link_states')
    .values({
      state_hash: hash(value),
      purpose: state.purpose,
      tenant_id: state.tenantId,
      company_id: state.companyId,
      connection_id: state.connectionId,
      payload_enc: state.payload === undefined ? null : keyring.encrypt(JSON.stringify(state.payload)),
      created_at: now.toISOString(),
      expires_at: new Date(now.getTime() + ttlSeconds * 1000).toISOString(),
      used_at: null,
    })
    .execute();
  // Old rows are useless after expiry: drop those more than a day past it, opportunistically.
  await db
    .deleteFrom('link_states')
    .where('expires_at', '<', new Date(now.getTime() - 86_400_000).toISOString())
    .execute();
  return value;
}

/** Reads a state without using it up (to re-render a form). */
export async function peekState<P>(
  db: Kysely<Database>,
  keyring: Keyring,
  value: string,
  purpose: StatePurpose,
  now: Date,
): Promise<ConsumeResult<P>> {
  const row = await db.selectFrom('link_states').selectAll().where('state_hash', '=', hash(value)).executeTakeFirst();
  if (!row) return { ok: false, reason: 'unknown' };
  if (row.purpose !== purpose) return { ok: false, reason: 'wrong-purpose' };
  if (row.used_at) return { ok: false, reason: 'used' };
  if (row.expires_at <= now.toISOString()) return { ok: false, reason: 'expired' };
  return {
    ok: true,
    state: {
      purpose,
      tenantId: row.tenant_id,
      companyId: row.company_id,
      connectionId: row.connection_id,
      payload: row.payload_enc ? (JSON.parse(keyring.decrypt(row.payload_enc)) as P) : undefined,
    },
  };
}

/** Uses a state up: succeeds for exactly one caller, and only before it expires. */
export async function consumeState<P>(
  db: Kysely<Database>,
  keyring: Keyring,
  value: string,
  purpose: StatePurpose,
  now: Date,
): Promise<ConsumeResult<P>> {
  const peeked = await peekState<P>(db, keyring, value, purpose, now);
  if (!peeked.ok) return peeked;
  const res = await db
    .updateTable('link_states')
    .set({ used_at: now.toISOString(), payload_enc: null })
    .where('state_hash', '=', hash(value))
    .where('used_at', 'is', null)
    .executeTakeFirst();
  if (Number(res.numUpdatedRows) !== 1) return { ok: false, reason: 'used' };
  return peeked;
}
