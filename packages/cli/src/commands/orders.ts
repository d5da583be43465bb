import type { Command } from 'commander';
import { ago, num, paint, printJson, table } from '../output.js';
import { withSession } from '../session.js';

/**
 * Adds `orders <exchange>`: the order records of an exchange, optionally of one status.
 * @param program - The program.
 */
export function registerOrders(program: Command): void {
  program
    .command('orders')
    .description("an exchange's orders (state records, not the queue)")
    .argument('<exchange>', 'exchange name')
    .option('--status <status>', 'only orders with this status')
    .option('--json', 'print JSON for scripts')
    .action((exchange: string, options: { status?: string }, cmd: Command) =>
      withSession(cmd, async ({ caches, out }) => {
        const orders = await caches.orders.getOrders(
          exchange,
          options.status === undefined ? {} : { status: options.status },
        );
        orders.sort((a, b) =>
          String(a.orderId ?? a.exOrderId).localeCompare(String(b.orderId ?? b.exOrderId)),
        );
        if (out.json) return printJson(out, orders);
        out.write(
          table(
            out,
            ['orderId', 'symbol', 'side', 'volume', 'price', 'status', 'placed'],
            orders.map((o) => [
              String(o.orderId ?? o.exOrderId),
              o.symbol,
              o.side === 'buy' ? paint(out, 'green', o.side) : paint(out, 'red', o.side),
              num(o.volume),
              num(o.price),
              o.status ?? '-',
              o.timestamp === undefined ? '-' : ago(o.timestamp),
            ]),
          ),
        );
      }),
    );
}
