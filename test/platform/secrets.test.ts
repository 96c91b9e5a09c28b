import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.ts';
import { saveEnvironment } from '../../src/platform/integrations.ts';
import { createKeyring, loadKeyring, mask, rotate, rotateKeyFile } from '../../src/platform/secrets.ts';
import { createTenant } from '../../src/platform/tenants.ts';
import { createTestStore, type TestStore } from '../helpers/index.ts';

describe('secrets', () => {
  let store: TestStore | undefined;
  afterEach(async () => {
    await store?.close();
    store = undefined;
  });

  it('encrypts with AES-256-GCM and a key id; refuses tampered or foreign ciphertexts', () => {
    const k1 = randomBytes(32);
    const ring = createKeyring([k1]);
    const c = ring.encrypt('top secret');
    expect(c).toMatch(new RegExp(`^llenc:v1:${ring.currentId}:`));
    expect(c).not.toContain('top secret');
    expect(ring.encrypt('top secret')).not.toBe(c);
    expect(ring.decrypt(c)).toBe('top secret');
    const parts = c.split(':');
    parts[5] = Buffer.from('tampered!!').toString('base64url');
    expect(() => ring.decrypt(parts.join(':'))).toThrow(/could not be decrypted/);
    const other = createKeyring([randomBytes(32)]);
    expect(() => other.decrypt(c)).toThrow(/not configured: add it to LEDGERLINK_OLD_MASTER_KEYS/);
    expect(() => other.decrypt(c)).not.toThrow(/top secret/);
  });

  it('masks all but the last four characters', () => {
    expect(mask('abcdefghijkl')).toBe('••••••ijkl');
    expect(mask('short')).toBe('••••••');
    expect(mask(null)).toBeNull();
  });

  it('generates a 0600 key file in embedded mode and reuses it', async () => {
    store = await createTestStore({ migrate: false });
    const config = loadConfig({}, { dataDir: store.dir });
    const a = loadKeyring(config);
    const file = join(store.dir, 'master.key');
    expect(existsSync(file)).toBe(true);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const b = loadKeyring(config);
    expect(b.currentId).toBe(a.currentId);
    expect(b.decrypt(a.encrypt('x'))).toBe('x');
  });

  it('rotate re-encrypts every *_enc column with the new key', async () => {
    store = await createTestStore();
    const oldKey = randomBytes(32);
    const oldRing = createKeyring([oldKey]);
    const tenant = await createTenant(store.db, 't');
    const deps = { db: store.db, keyring: oldRing, defaults: { authBaseUrl: 'http://a', apiBaseUrl: 'http://b' } };
    await saveEnvironment(
      deps,
      tenant.id,
      'jcrp',
      'production',
      { clientId: 'c', clientSecret: 's3cret-value', subscriptionKey: 'sub-key-value' },
      () => new Date(),
    );
    const newRing = createKeyring([randomBytes(32), oldKey]);
    expect(await rotate(store.db, newRing)).toBe(2);
    const row = await store.db.selectFrom('integration_environments').selectAll().executeTakeFirstOrThrow();
    expect(row.client_secret_enc).toContain(`:${newRing.currentId}:`);
    expect(newRing.needsRotation(row.client_secret_enc)).toBe(false);
    expect(newRing.decrypt(row.client_secret_enc)).toBe('s3cret-value');
    expect(() => oldRing.decrypt(row.client_secret_enc)).toThrow();
    expect(await rotate(store.db, newRing)).toBe(0);
  });

  it('rotateKeyFile replaces the key file and re-encrypts', async () => {
    store = await createTestStore();
    const config = loadConfig({}, { dataDir: store.dir });
    const before = loadKeyring(config);
    const tenant = await createTenant(store.db, 't');
    const deps = { db: store.db, keyring: before, defaults: { authBaseUrl: 'http://a', apiBaseUrl: 'http://b' } };
    await saveEnvironment(
      deps,
      tenant.id,
      'jcrp',
      'sandbox',
      { clientId: 'c', clientSecret: 'abc-secret', subscriptionKey: 'sub' },
      () => new Date(),
    );
    const result = await rotateKeyFile(store.db, config);
    expect(result.reencrypted).toBe(2);
    expect(result.keyId).not.toBe(before.currentId);
    const after = loadKeyring(config);
    expect(after.currentId).toBe(result.keyId);
    expect(readFileSync(join(store.dir, 'master.key'), 'utf8').trim().split('\n')).toHaveLength(1);
    const row = await store.db.selectFrom('integration_environments').selectAll().executeTakeFirstOrThrow();
    expect(after.decrypt(row.client_secret_enc)).toBe('abc-secret');
    expect(() => before.decrypt(row.client_secret_enc)).toThrow();
  });
});
