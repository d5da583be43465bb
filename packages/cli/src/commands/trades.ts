import type { Command } from 'commander';
import { ago, num, paint, printJson, table } from '../output.js';
import { positive } from '../parse.js';
import { withSession } from '../session.js';

/**
 * Adds `trades <symbol> <exchange>`: a market's pending trades, peeked (never drained).
 * @param program - The program.
 */
export function registerTrades(program: Command): void {
  program
    .command('trades')
    .description("a market's pending trades, oldest first (peeked: nothing is drained)")
    .argument('<symbol>', 'symbol, e.g. BTC/USDT')
    .argument('<exchange>', 'exchange name')
    .option('--limit <n>', 'at most this many (the oldest)', positive)
    .option('--json', 'print JSON for scripts')
    .action((symbol: string, exchange: string, options: { limit?: number }, cmd: Command) =>
      withSession(cmd, async ({ caches, out }) => {
        const trades = await caches.trades.peekTrades(
          symbol,
          exchange,
          options.limit === undefined ? {} : { limit: options.limit },
        );
        if (out.json) return printJson(out, trades);
        out.write(
          table(
            out,
            ['tradeId', 'symbol', 'side', 'volume', 'price', 'cost', 'fee', 'time'],
            trades.map((t) => [
              String(t.tradeId),
              t.symbol,
              t.side === 'buy' ? paint(out, 'green', t.side) : paint(out, 'red', t.side),
              num(t.volume),
              num(t.price),
              num(t.cost),
              num(t.fee),
              ago(t.time),
            ]),
          ),
        );
      }),
    );
}
