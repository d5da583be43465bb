import type { Command } from 'commander';
import { ago, num, paint, printJson, table } from '../output.js';
import { withSession } from '../session.js';

/**
 * Adds `positions [exId]`: open positions of one account, or of every account.
 * @param program - The program.
 */
export function registerPositions(program: Command): void {
  program
    .command('positions')
    .description('open positions of one exchange account, or of all of them')
    .argument('[exId]', 'exchange account id (default: every account)')
    .option('--json', 'print JSON for scripts')
    .action((exId: string | undefined, _options: unknown, cmd: Command) =>
      withSession(cmd, async ({ caches, out }) => {
        const positions =
          exId === undefined
            ? await caches.accounts.getAllPositions()
            : await caches.accounts.getPositions(exId);
        positions.sort(
          (a, b) =>
            String(a.exId).localeCompare(String(b.exId)) || a.symbol.localeCompare(b.symbol),
        );
        if (out.json) return printJson(out, positions);
        out.write(
          table(
            out,
            ['exId', 'symbol', 'volume', 'price', 'cost', 'fee', 'updated'],
            positions.map((p) => [
              String(p.exId),
              p.symbol,
              p.volume < 0 ? paint(out, 'red', String(p.volume)) : String(p.volume),
              num(p.price),
              num(p.cost),
              num(p.fee),
              p.time === undefined ? '-' : ago(p.time),
            ]),
          ),
        );
      }),
    );
}
