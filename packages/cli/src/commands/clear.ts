import type { Command } from 'commander';
import { printJson } from '../output.js';
import { usage, withSession } from '../session.js';

/**
 * Adds `clear --yes`: deletes every key under the prefix (never FLUSHDB).
 * @param program - The program.
 */
export function registerClear(program: Command): void {
  program
    .command('clear')
    .description('delete every key under the prefix (other prefixes untouched); needs --yes')
    .option('--yes', 'really delete')
    .option('--json', 'print JSON for scripts')
    .action(async (options: { yes?: boolean }, cmd: Command) => {
      if (options.yes !== true) {
        cmd.error('error: clear deletes every key under the prefix; pass --yes to confirm', usage);
      }
      await withSession(cmd, async ({ conn, out }) => {
        const deleted = await conn.clear();
        if (out.json) return printJson(out, { prefix: conn.config.prefix, deleted });
        out.write(`deleted ${deleted} key(s) under prefix "${conn.config.prefix}"\n`);
      });
    });
}
