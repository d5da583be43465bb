import type { Broadcast, ProcessRecord } from '@fullon/cache';
import type { Command } from 'commander';
import { ago, type Output, paint, printJson, table } from '../output.js';
import { positive } from '../parse.js';
import { type Session, usage, withSession } from '../session.js';
import { poll, redraw, untilInterrupted } from '../watch.js';

interface ProcessesOptions {
  type?: string;
  stale?: boolean;
  staleMs: number;
  watch?: boolean;
  intervalMs: number;
  broadcasts?: boolean;
}

/** Broadcasts kept on screen by `--broadcasts`. */
const SHOWN_BROADCASTS = 20;

/** `--broadcasts`: follows the broadcasts sent to one process type, from their channel. */
async function followBroadcasts({ caches, out }: Session, type: string): Promise<void> {
  await untilInterrupted(async (signal) => {
    const subscription = caches.processes.subscribeBroadcasts(type, { signal });
    try {
      await subscription.ready;
      const shown: Broadcast[] = [];
      const show = (): void =>
        redraw(
          out,
          table(
            out,
            ['sent', 'type', 'message', 'data'],
            shown.map((b) => [ago(b.time), b.type, b.message, JSON.stringify(b.data)]),
          ),
        );
      if (!out.json) show();
      for await (const broadcast of subscription) {
        if (out.json) {
          out.write(`${JSON.stringify(broadcast)}\n`);
          continue;
        }
        shown.push(broadcast);
        if (shown.length > SHOWN_BROADCASTS) shown.shift();
        show();
      }
    } finally {
      await subscription.close();
    }
  });
}

/** Every live (not stopped) record is listed: the records live at most this long (24 h). */
const LIST_WINDOW_MS = 86_400_000;

function statusCell(out: Output, status: string): string {
  if (status === 'error') return paint(out, 'red', status);
  if (status === 'running') return paint(out, 'green', status);
  return status;
}

function render(out: Output, records: ProcessRecord[], staleMs: number): string {
  const now = Date.now();
  return table(
    out,
    ['processId', 'type', 'component', 'status', 'last seen', 'message'],
    records.map((p) => [
      p.processId,
      p.type,
      p.component,
      statusCell(out, p.status),
      now - p.lastSeen > staleMs ? paint(out, 'red', ago(p.lastSeen, now)) : ago(p.lastSeen, now),
      p.message,
    ]),
  );
}

/**
 * Adds `processes`: the registered processes that are not stopped, optionally only the stale.
 * @param program - The program.
 */
export function registerProcesses(program: Command): void {
  program
    .command('processes')
    .description('registered processes (not stopped), most recent heartbeat first')
    .option('--type <type>', 'only processes of this type')
    .option('--stale', 'only processes without a heartbeat for --stale-ms')
    .option(
      '--stale-ms <ms>',
      'how long without a heartbeat makes a process stale',
      positive,
      300_000,
    )
    .option('--watch', 'read them again every --interval-ms (no channel announces changes)')
    .option('--interval-ms <ms>', 'time between reads with --watch', positive, 2_000)
    .option('--broadcasts', 'follow the broadcasts sent to --type (pub/sub; Ctrl-C ends)')
    .option('--json', 'print JSON for scripts (with --watch, one array per line)')
    .action((options: ProcessesOptions, cmd: Command) => {
      const { broadcasts, type } = options;
      if (broadcasts === true && type === undefined) {
        cmd.error('error: --broadcasts needs --type', usage);
      }
      return withSession(cmd, async (session) => {
        if (broadcasts === true && type !== undefined) return followBroadcasts(session, type);
        const { caches, out } = session;
        const read = async (): Promise<ProcessRecord[]> => {
          const records = await caches.processes.getActiveProcesses({
            maxAgeMs: LIST_WINDOW_MS,
            ...(options.type === undefined ? {} : { type: options.type }),
          });
          const since = Date.now() - options.staleMs;
          return options.stale === true ? records.filter((p) => p.lastSeen < since) : records;
        };
        const show = (records: ProcessRecord[]): string => render(out, records, options.staleMs);
        if (options.watch === true) return poll(out, options.intervalMs, read, show);
        const records = await read();
        if (out.json) return printJson(out, records);
        out.write(show(records));
      });
    });
}
