import { readFileSync } from 'node:fs';
import { Command } from 'commander';
import { registerBalances } from './commands/balances.js';
import { registerBlocks } from './commands/blocks.js';
import { registerBots } from './commands/bots.js';
import { registerClear } from './commands/clear.js';
import { registerHealth } from './commands/health.js';
import { registerOhlcv } from './commands/ohlcv.js';
import { registerOrders } from './commands/orders.js';
import { registerPing } from './commands/ping.js';
import { registerPositions } from './commands/positions.js';
import { registerProcesses } from './commands/processes.js';
import { registerQueue } from './commands/queue.js';
import { registerTickers } from './commands/tickers.js';
import { registerTrades } from './commands/trades.js';

/** The version of this package (read from its package.json, beside `src/` and `dist/`). */
function version(): string {
  const text = readFileSync(new URL('../package.json', import.meta.url), 'utf8');
  const parsed: unknown = JSON.parse(text);
  return typeof parsed === 'object' && parsed !== null && 'version' in parsed
    ? String(parsed.version)
    : '0.0.0';
}

/**
 * Builds the `fullon-cache` program. Usage errors and `--help` throw a `CommanderError`
 * (`exitOverride`) so that {@link main} picks the exit code; every command shows its help
 * after a usage error.
 * @returns The program.
 */
export function createProgram(): Command {
  const program = new Command('fullon-cache')
    .description(
      'Inspect and watch a live @fullon cache: tickers, queues, trades, balances, blocks, ' +
        'processes. Connects with the library variables (REDIS_URL, REDIS_HOST, REDIS_PORT, ' +
        'REDIS_CLUSTER_NODES, FULLON_CACHE_PREFIX…, and a .env file); --url and --prefix win.',
    )
    .version(version(), '-V, --version')
    .option('--url <url>', 'Redis URL (redis://host:port or rediss://…); default from REDIS_URL…')
    .option('--prefix <prefix>', 'key prefix of the cache; default FULLON_CACHE_PREFIX or "fullon"')
    .configureHelp({ showGlobalOptions: true })
    .showHelpAfterError()
    .exitOverride();
  for (const register of [
    registerPing,
    registerHealth,
    registerTickers,
    registerOrders,
    registerQueue,
    registerTrades,
    registerBalances,
    registerPositions,
    registerBlocks,
    registerBots,
    registerOhlcv,
    registerProcesses,
    registerClear,
  ]) {
    register(program);
  }
  return program;
}
