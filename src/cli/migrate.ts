// `ledgerlink migrate`: applies pending database migrations and exits (serve also migrates at start).
import { loadConfigOrExit, parseArgs } from '../platform/process.ts';
import { createStore } from '../store/index.ts';

export async function run(args: string[]): Promise<number> {
  const { flags } = parseArgs(args);
  if (flags.has('help')) {
    console.log(
      'Usage: ledgerlink migrate\nApplies pending database migrations (DATABASE_URL or DATA_DIR/ledgerlink.db).',
    );
    return 0;
  }
  const config = loadConfigOrExit({ logLevel: 'warn' });
  const store = createStore(config);
  try {
    const applied = await store.migrate();
    const where = config.database.dialect === 'sqlite' ? config.database.file : 'PostgreSQL';
    console.log(
      applied.length
        ? `Applied ${applied.length} migration(s) to ${where}:\n  ${applied.join('\n  ')}`
        : `Database ${where} is up to date.`,
    );
    return 0;
  } finally {
    await store.close();
  }
}
