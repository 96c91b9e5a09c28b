// CLI entry: `ledgerlink <command> [...args]`. Each command lives in its own module so features add commands
// without editing this file: src/cli/<command>.ts, or simulator/cli.ts for the simulator.
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const [command = 'help', ...args] = process.argv.slice(2);

const modulePath =
  command === 'simulator' ? join(here, '..', 'simulator', 'cli.ts') : join(here, 'cli', `${command}.ts`);

if (command === 'help' || command === '--help' || !/^[a-z-]+$/.test(command) || !existsSync(modulePath)) {
  const { readdirSync } = await import('node:fs');
  const commands = [
    'simulator',
    ...readdirSync(join(here, 'cli'))
      .filter((f) => f.endsWith('.ts') && !f.includes('.test.'))
      .map((f) => f.replace(/\.ts$/, '')),
  ];
  if (command !== 'help' && command !== '--help') console.error(`Unknown command "${command}".`);
  console.error(`Usage: ledgerlink <command> [options]\nCommands: ${commands.sort().join(', ')}`);
  process.exit(command === 'help' || command === '--help' ? 0 : 2);
}

const mod = (await import(pathToFileURL(modulePath).href)) as { run: (args: string[]) => Promise<number | void> };
const code = await mod.run(args);
if (typeof code === 'number') process.exitCode = code;
