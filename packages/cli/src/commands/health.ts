import type { Command } from 'commander';
import { paint, printJson, table } from '../output.js';
import { withSession } from '../session.js';

/**
 * Adds `health`: the server (latency, version, memory) and the process registry's health.
 * @param program - The program.
 */
export function registerHealth(program: Command): void {
  program
    .command('health')
    .description('server facts and the health of the registered processes')
    .option('--json', 'print JSON for scripts')
    .action((_options: unknown, cmd: Command) =>
      withSession(cmd, async ({ conn, caches, out }) => {
        const [redis, processes] = await Promise.all([
          conn.health(),
          caches.processes.getSystemHealth(),
        ]);
        if (out.json) return printJson(out, { redis, processes });
        const healthy = processes.healthy ? paint(out, 'green', 'yes') : paint(out, 'red', 'no');
        const byType = Object.entries(processes.byType)
          .map(([type, n]) => `${type} ${n}`)
          .join(', ');
        out.write(
          table(
            out,
            ['check', 'value'],
            [
              ['redis', `${redis.mode} at ${conn.target} (${redis.nodes} node(s))`],
              ['version', redis.serverVersion],
              ['latency', `${Math.round(redis.latencyMs * 100) / 100} ms`],
              ['memory', `${(redis.usedMemoryBytes / 1_048_576).toFixed(1)} MiB`],
              ['prefix', redis.prefix],
              ['codec', redis.codec],
              ['processes healthy', healthy],
              [
                'processes (last hour)',
                `${processes.totalProcesses}${byType ? ` (${byType})` : ''}`,
              ],
              ['stale processes', String(processes.staleProcesses)],
              ['processes in error', String(processes.errorProcesses)],
            ],
          ),
        );
      }),
    );
}
