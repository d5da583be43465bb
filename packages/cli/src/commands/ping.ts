import type { Command } from 'commander';
import { withSession } from '../session.js';

/**
 * Adds `ping`: one PING and its round trip.
 * @param program - The program.
 */
export function registerPing(program: Command): void {
  program
    .command('ping')
    .description('check that the Redis answers, and how fast')
    .option('--json', 'print JSON for scripts')
    .action((_options: unknown, cmd: Command) =>
      withSession(cmd, async ({ conn, out }) => {
        const latencyMs = Math.round((await conn.ping()) * 100) / 100;
        if (out.json)
          out.write(`${JSON.stringify({ ok: true, target: conn.target, latencyMs })}\n`);
        else out.write(`PONG from ${conn.target} in ${latencyMs} ms\n`);
      }),
    );
}
