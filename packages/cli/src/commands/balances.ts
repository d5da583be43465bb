import type { Command } from 'commander';
import { num, printJson, table } from '../output.js';
import { withSession } from '../session.js';

/**
 * Adds `balances <exId>`: an exchange account's balances.
 * @param program - The program.
 */
export function registerBalances(program: Command): void {
  program
    .command('balances')
    .description("an exchange account's balances by currency")
    .argument('<exId>', 'exchange account id')
    .option('--json', 'print JSON for scripts')
    .action((exId: string, _options: unknown, cmd: Command) =>
      withSession(cmd, async ({ caches, out }) => {
        const balances = await caches.accounts.getUserBalances(exId);
        if (out.json) return printJson(out, balances);
        const rows = Object.entries(balances)
          .sort(([a], [b]) => a.localeCompare(b))
          .map(([currency, b]) => [currency, num(b.total), num(b.free), num(b.used)]);
        out.write(table(out, ['currency', 'total', 'free', 'used'], rows));
      }),
    );
}
