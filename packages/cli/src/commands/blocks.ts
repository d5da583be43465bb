import type { LeaseInfo } from '@fullon/cache';
import type { Command } from 'commander';
import { duration, type Output, paint, printJson, table } from '../output.js';
import { positive } from '../parse.js';
import { withSession } from '../session.js';
import { poll } from '../watch.js';

function render(out: Output, blocks: LeaseInfo[]): string {
  const now = Date.now();
  return table(
    out,
    ['exId', 'symbol', 'holder', 'token', 'time left'],
    blocks.map((b) => {
      const left = b.expiresAt - now;
      return [
        b.exId,
        b.symbol,
        b.botId,
        String(b.token),
        left < 5_000 ? paint(out, 'yellow', duration(left)) : duration(left),
      ];
    }),
  );
}

/**
 * Adds `blocks`: every live symbol block — holder, fencing token, time left.
 * @param program - The program.
 */
export function registerBlocks(program: Command): void {
  program
    .command('blocks')
    .description('live symbol blocks of bots: holder, fencing token, time left')
    .option('--watch', 'read them again every --interval-ms (no channel announces changes)')
    .option('--interval-ms <ms>', 'time between reads with --watch', positive, 2_000)
    .option('--json', 'print JSON for scripts (with --watch, one array per line)')
    .action((options: { watch?: boolean; intervalMs: number }, cmd: Command) =>
      withSession(cmd, async ({ caches, out }) => {
        const read = (): Promise<LeaseInfo[]> => caches.bots.getBlocks();
        if (options.watch === true) {
          return poll(out, options.intervalMs, read, (blocks) => render(out, blocks));
        }
        const blocks = await read();
        if (out.json) return printJson(out, blocks);
        out.write(render(out, blocks));
      }),
    );
}
