// Versioned migrations (Kysely Migrator). Every file src/store/migrations/NNNN_name.ts exporting `up` (and
// optionally `down`) is a migration; no central list. Number ranges per module: 0001-0099 platform,
// 0100-0199 connector/link, 0200-0299 sync, 0300-0399 webhooks, 0400-0499 push. Helpers work in parallel, so a
// lower number may arrive after a higher one was applied: unordered migrations are allowed.
import { readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { type Kysely, type Migration, type MigrationProvider, Migrator } from 'kysely';

const MIGRATIONS_DIR = join(dirname(fileURLToPath(import.meta.url)), 'migrations');
const FILE_PATTERN = /^\d{4}_[\w-]+\.ts$/;

class FolderMigrationProvider implements MigrationProvider {
  constructor(private readonly dir: string) {}
  async getMigrations(): Promise<Record<string, Migration>> {
    const out: Record<string, Migration> = {};
    for (const file of readdirSync(this.dir).sort()) {
      if (!FILE_PATTERN.test(file)) continue;
      const mod = (await import(pathToFileURL(join(this.dir, file)).href)) as Migration;
      if (typeof mod.up !== 'function') throw new Error(`Migration ${file} must export an async up(db) function`);
      out[file.replace(/\.ts$/, '')] = { up: mod.up, down: mod.down };
    }
    return out;
  }
}

/**
 * `schema` (PostgreSQL): where the migration bookkeeping tables live. Kysely otherwise looks for them in any
 * schema, and would find another schema's (e.g. a parallel test's) and skip creating its own.
 */
export async function runMigrations(
  db: Kysely<any>,
  options: { schema?: string; dir?: string } = {},
): Promise<string[]> {
  const migrator = new Migrator({
    db,
    provider: new FolderMigrationProvider(options.dir ?? MIGRATIONS_DIR),
    allowUnorderedMigrations: true,
    ...(options.schema ? { migrationTableSchema: options.schema } : {}),
  });
  let { error, results } = await migrator.migrateToLatest();
  // Kysely's migrator introspects every schema of the database; a schema dropped by another process at that moment
  // (e.g. a parallel test's) fails it with invalid_schema_name. Migrating is idempotent, so try again.
  for (let attempt = 1; error && pgErrorCode(error) === '3F000' && attempt < 5; attempt++) {
    await new Promise((r) => setTimeout(r, 50 * attempt));
    ({ error, results } = await migrator.migrateToLatest());
  }
  const failed = results?.find((r) => r.status === 'Error');
  if (error) {
    const why = error instanceof Error ? error.message : String(error);
    throw new Error(`Database migration ${failed ? `"${failed.migrationName}" ` : ''}failed: ${why}`, { cause: error });
  }
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}

function pgErrorCode(err: unknown): string | undefined {
  for (let e: unknown = err, depth = 0; e && depth < 5; e = (e as { cause?: unknown }).cause, depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string') return code;
  }
  return undefined;
}
