import type { BotStatus } from '@fullon/cache';
import type { Command } from 'commander';
import { ago, type Output, printJson, table } from '../output.js';
import { positive } from '../parse.js';
import { withSession } from '../session.js';
import { poll } from '../watch.js';

/** The longest data cell shown in a table; `--json` has it whole. */
const MAX_CELL = 60;

function render(out: Output, bots: Record<string, BotStatus>): string {
  const now = Date.now();
  return table(
    out,
    ['botId', 'updated', 'data'],
    Object.values(bots)
      .sort((a, b) => a.botId.localeCompare(b.botId))
      .map((b) => {
        const data = JSON.stringify(b.data);
        const cell = data.length > MAX_CELL ? `${data.slice(0, MAX_CELL - 1)}…` : data;
        return [b.botId, ago(b.updatedAt, now), cell];
      }),
  );
}

/**
 * Adds `bots`: every bot's status record.
 * @param program - The program.
 */
export function registerBots(program: Command): void {
  program
    .command('bots')
    .description('status records of every bot')
    .option('--watch', 'read them again every --interval-ms (no channel announces changes)')
    .option('--interval-ms <ms>', 'time between reads with --watch', positive, 2_000)
    .option('--json', 'print JSON for scripts (with --watch, one object per line)')
    .action((options: { watch?: boolean; intervalMs: number }, cmd: Command) =>
      withSession(cmd, async ({ caches, out }) => {
        const read = (): Promise<Record<string, BotStatus>> => caches.bots.getBots();
        if (options.watch === true) {
          return poll(out, options.intervalMs, read, (bots) => render(out, bots));
        }
        const bots = await read();
        if (out.json) return printJson(out, bots);
        out.write(render(out, bots));
      }),
    );
}
