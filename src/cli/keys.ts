// `ledgerlink keys create --name NAME [--tenant ID]` prints a new API key as the last line of its output;
// `ledgerlink keys list [--tenant ID]`; `ledgerlink keys rotate` re-encrypts every secret with a new master key.
import { createApiKey, listApiKeys } from '../platform/api-keys.ts';
import { loadConfigOrExit, openPlatform, parseArgs } from '../platform/process.ts';
import { rotate, rotateKeyFile } from '../platform/secrets.ts';
import { createTenant, getTenant, listTenants } from '../platform/tenants.ts';

const HELP = `Usage:
  ledgerlink keys create [--name NAME] [--tenant TENANT_ID]   create an API key (printed once, on the last line)
  ledgerlink keys list [--tenant TENANT_ID]                   list API keys (names and ids, never values)
  ledgerlink keys rotate                                       re-encrypt all secrets with a new master key
Without --tenant the first (default) tenant is used; it is created if the database has none.`;

export async function run(args: string[]): Promise<number> {
  const { flags, positional } = parseArgs(args);
  const sub = positional[0];
  if (flags.has('help') || !sub || !['create', 'list', 'rotate'].includes(sub)) {
    (sub && !flags.has('help') ? console.error : console.log)(HELP);
    return sub && !flags.has('help') ? 2 : 0;
  }
  const config = loadConfigOrExit({ logLevel: 'warn' });
  const p = await openPlatform(config);
  try {
    const db = p.store.db;
    if (sub === 'rotate') {
      if (config.masterKey.current) {
        // Env mode: the operator put the new key in LEDGERLINK_MASTER_KEY and the old in LEDGERLINK_OLD_MASTER_KEYS.
        const n = await rotate(db, p.keyring);
        console.log(`Re-encrypted ${n} secret(s) with master key ${p.keyring.currentId}.`);
        console.log('You can now remove the old key from LEDGERLINK_OLD_MASTER_KEYS.');
      } else {
        const r = await rotateKeyFile(db, config);
        console.log(
          `Re-encrypted ${r.reencrypted} secret(s) with new master key ${r.keyId} (${config.masterKey.keyFile}).`,
        );
      }
      return 0;
    }
    let tenantId = flags.get('tenant');
    if (tenantId) {
      if (!(await getTenant(db, tenantId))) {
        console.error(
          `No tenant ${tenantId}. Known tenants: ${(await listTenants(db)).map((t) => t.id).join(', ') || 'none'}`,
        );
        return 1;
      }
    } else {
      tenantId = (await listTenants(db))[0]?.id ?? (await createTenant(db, 'Default')).id;
    }
    if (sub === 'list') {
      for (const k of await listApiKeys(db, tenantId)) console.log(`${k.id}  ${k.createdUtc}  ${k.name ?? ''}`);
      return 0;
    }
    const name = flags.get('name');
    if (name !== undefined && (name === 'true' || name.length > 50)) {
      console.error('--name must be 1 to 50 characters');
      return 2;
    }
    const key = await createApiKey(db, tenantId, name ?? null);
    console.log(`Created API key ${key.id}${name ? ` "${name}"` : ''} for tenant ${tenantId}. It is shown only once:`);
    console.log(key.apiKey);
    return 0;
  } finally {
    await p.store.close();
  }
}
