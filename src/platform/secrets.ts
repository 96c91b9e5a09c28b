// Secrets at rest: AES-256-GCM with a key id in every ciphertext, so master keys can rotate.
// Ciphertext format: `llenc:v1:<keyId>:<iv b64url>:<tag b64url>:<data b64url>`; keyId = first 12 hex chars of
// SHA-256(key). The keyring holds the current key (encrypts) and old keys (decrypt only).
import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { type Kysely, sql } from 'kysely';
import type { Config } from '../config.ts';
import { dialectOf } from '../store/json.ts';
import type { Database } from '../store/schema.ts';

const PREFIX = 'llenc:v1:';

export interface Keyring {
  currentId: string;
  encrypt(plaintext: string): string;
  decrypt(ciphertext: string): string;
  /** true when the value was encrypted with a key other than the current one */
  needsRotation(ciphertext: string): boolean;
}

export class SecretError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SecretError';
  }
}

export const keyId = (key: Buffer): string => createHash('sha256').update(key).digest('hex').slice(0, 12);

export function isCiphertext(value: unknown): value is string {
  return typeof value === 'string' && value.startsWith(PREFIX);
}

/** Builds a keyring from raw 32-byte keys; the first is current. */
export function createKeyring(keys: Buffer[]): Keyring {
  if (keys.length === 0) throw new SecretError('No master key configured');
  for (const k of keys) if (k.length !== 32) throw new SecretError('A master key must be exactly 32 bytes');
  const byId = new Map(keys.map((k) => [keyId(k), k]));
  const current = keys[0];
  const currentId = keyId(current);
  return {
    currentId,
    encrypt(plaintext) {
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', current, iv);
      const data = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
      const tag = cipher.getAuthTag();
      return `${PREFIX}${currentId}:${iv.toString('base64url')}:${tag.toString('base64url')}:${data.toString('base64url')}`;
    },
    decrypt(ciphertext) {
      if (!isCiphertext(ciphertext)) throw new SecretError('Value is not a Ledgerlink ciphertext');
      const [id, iv, tag, data] = ciphertext.slice(PREFIX.length).split(':');
      const key = byId.get(id);
      if (!key)
        throw new SecretError(
          `Secret was encrypted with master key ${id}, which is not configured: add it to LEDGERLINK_OLD_MASTER_KEYS`,
        );
      try {
        const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64url'));
        decipher.setAuthTag(Buffer.from(tag, 'base64url'));
        return Buffer.concat([decipher.update(Buffer.from(data, 'base64url')), decipher.final()]).toString('utf8');
      } catch {
        throw new SecretError(`Secret could not be decrypted with master key ${id} (corrupted or wrong key)`);
      }
    },
    needsRotation(ciphertext) {
      return isCiphertext(ciphertext) && !ciphertext.startsWith(`${PREFIX}${currentId}:`);
    },
  };
}

/** Reads the key file: one base64 key per line, current first. */
function readKeyFile(file: string): Buffer[] {
  return readFileSync(file, 'utf8')
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean)
    .map((l) => Buffer.from(l, 'base64'));
}

function writeKeyFile(file: string, keys: Buffer[]): void {
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, `${keys.map((k) => k.toString('base64')).join('\n')}\n`, { mode: 0o600 });
  chmodSync(file, 0o600);
}

/**
 * The keyring for this configuration: LEDGERLINK_MASTER_KEY (+ LEDGERLINK_OLD_MASTER_KEYS) when set; otherwise the
 * key file under DATA_DIR, generated with mode 0600 on first use.
 */
export function loadKeyring(config: Pick<Config, 'masterKey'>): Keyring {
  const mk = config.masterKey;
  if (mk.current) {
    return createKeyring([mk.current, ...mk.old].map((k) => Buffer.from(k, 'base64')));
  }
  if (!existsSync(mk.keyFile)) writeKeyFile(mk.keyFile, [randomBytes(32)]);
  return createKeyring([...readKeyFile(mk.keyFile), ...mk.old.map((k) => Buffer.from(k, 'base64'))]);
}

/** Every `*_enc` text column of every table (see store/schema.ts conventions). */
async function encryptedColumns(db: Kysely<Database>): Promise<{ table: string; columns: string[] }[]> {
  if (dialectOf(db) === 'postgres') {
    // Only the schema our search_path resolves to: Kysely's introspection reads every schema, and fails when another
    // schema (another deployment, a test run) is dropped while it reads.
    const { rows } = await sql<{ table_name: string; column_name: string }>`
      select c.table_name, c.column_name from information_schema.columns c
      join information_schema.tables t on t.table_schema = c.table_schema and t.table_name = c.table_name
      where c.table_schema = current_schema() and t.table_type = 'BASE TABLE'
      order by c.table_name, c.ordinal_position`.execute(db);
    const byTable = new Map<string, string[]>();
    for (const r of rows) {
      if (!r.column_name.endsWith('_enc')) continue;
      const columns = byTable.get(r.table_name) ?? [];
      columns.push(r.column_name);
      byTable.set(r.table_name, columns);
    }
    return [...byTable].map(([table, columns]) => ({ table, columns }));
  }
  const tables = await db.introspection.getTables();
  return tables
    .filter((t) => !t.isView)
    .map((t) => ({ table: t.name, columns: t.columns.map((c) => c.name).filter((n) => n.endsWith('_enc')) }))
    .filter((t) => t.columns.length > 0);
}

/**
 * Re-encrypts every secret with the keyring's current key. Rows are matched on their old ciphertext (no id column
 * needed) so the update is safe against a concurrent writer. Returns the number of values re-encrypted.
 */
export async function rotate(db: Kysely<Database>, keyring: Keyring): Promise<number> {
  const anyDb = db as unknown as Kysely<any>;
  let count = 0;
  for (const { table, columns } of await encryptedColumns(db)) {
    for (const column of columns) {
      const rows = await anyDb.selectFrom(table).select(column).where(column, 'is not', null).execute();
      for (const row of rows) {
        const value = row[column] as string;
        if (!keyring.needsRotation(value)) continue;
        const fresh = keyring.encrypt(keyring.decrypt(value));
        await anyDb
          .updateTable(table)
          .set({ [column]: fresh })
          .where(column, '=', value)
          .execute();
        count++;
      }
    }
  }
  return count;
}

/**
 * Key-file mode rotation: generates a new current key, re-encrypts everything, then drops the old keys from the file.
 * With LEDGERLINK_MASTER_KEY set, the operator supplies the new key in the env and the old one in
 * LEDGERLINK_OLD_MASTER_KEYS; then only `rotate(db, keyring)` runs.
 */
export async function rotateKeyFile(
  db: Kysely<Database>,
  config: Pick<Config, 'masterKey'>,
): Promise<{ keyId: string; reencrypted: number }> {
  const file = config.masterKey.keyFile;
  const old = existsSync(file) ? readKeyFile(file) : [];
  const fresh = randomBytes(32);
  writeKeyFile(file, [fresh, ...old]);
  const keyring = createKeyring([fresh, ...old]);
  const reencrypted = await rotate(db, keyring);
  writeKeyFile(file, [fresh]);
  return { keyId: keyring.currentId, reencrypted };
}

/** Shows only the last four characters: "••••••abcd". */
export function mask(secret: string | null | undefined): string | null {
  if (!secret) return null;
  return `••••••${secret.length > 8 ? secret.slice(-4) : ''}`;
}
