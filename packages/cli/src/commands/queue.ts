import type { DeadLetter } from '@fullon/cache';
import type { Command } from 'commander';
import { ago, type Output, paint, printJson, table } from '../output.js';
import { positive } from '../parse.js';
import { withSession } from '../session.js';
import { poll } from '../watch.js';

/** What `queue` reports. */
interface QueueView {
  queue: string;
  /** Orders waiting (claimed ones not counted). */
  length: number;
  /** Orders claimed and not yet acked or released. */
  claimed: number;
  deadLetters: DeadLetter[];
}

function render(out: Output, view: QueueView): string {
  const summary = table(
    out,
    ['queue', 'waiting', 'claimed', 'dead letters'],
    [
      [
        view.queue,
        String(view.length),
        String(view.claimed),
        view.deadLetters.length > 0 ? paint(out, 'red', String(view.deadLetters.length)) : '0',
      ],
    ],
  );
  if (view.deadLetters.length === 0) return summary;
  return (
    summary +
    table(
      out,
      ['dead orderId', 'symbol', 'side', 'volume', 'attempts', 'reason', 'when'],
      view.deadLetters.map((d) => [
        String(d.order.orderId ?? d.order.exOrderId),
        d.order.symbol,
        d.order.side,
        String(d.order.volume),
        String(d.attempts),
        d.reason,
        ago(d.at),
      ]),
    )
  );
}

/**
 * Adds `queue <name>`: an order queue's length, claims and dead letters.
 * @param program - The program.
 */
export function registerQueue(program: Command): void {
  program
    .command('queue')
    .description('an order queue: orders waiting, claimed, dead letters')
    .argument('<name>', 'queue name')
    .option('--watch', 'read it again every --interval-ms (no channel announces changes)')
    .option('--interval-ms <ms>', 'time between reads with --watch', positive, 2_000)
    .option('--json', 'print JSON for scripts (with --watch, one object per line)')
    .action((name: string, options: { watch?: boolean; intervalMs: number }, cmd: Command) =>
      withSession(cmd, async ({ caches, out }) => {
        const read = async (): Promise<QueueView> => {
          const [length, claimed, deadLetters] = await Promise.all([
            caches.orders.getQueueLength(name),
            caches.orders.getClaimedCount(name),
            caches.orders.getDeadLetters(name),
          ]);
          return { queue: name, length, claimed, deadLetters };
        };
        if (options.watch === true) {
          return poll(out, options.intervalMs, read, (view) => render(out, view));
        }
        const view = await read();
        if (out.json) return printJson(out, view);
        out.write(render(out, view));
      }),
    );
}
