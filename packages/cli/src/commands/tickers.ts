import type { Tick } from '@fullon/cache';
import type { Command } from 'commander';
import { ago, num, type Output, paint, printJson, table } from '../output.js';
import { wholeNumber } from '../parse.js';
import { type Session, withSession } from '../session.js';
import { redraw, untilInterrupted } from '../watch.js';

interface TickersOptions {
  exchange?: string;
  staleMs?: number;
  watch?: boolean;
}

/** Ticks older than `staleMs` (all of them when it is not given), by exchange and symbol. */
function select(ticks: Iterable<Tick>, staleMs: number | undefined, now: number): Tick[] {
  return [...ticks]
    .filter((t) => staleMs === undefined || now - t.time > staleMs)
    .sort((a, b) => a.exchange.localeCompare(b.exchange) || a.symbol.localeCompare(b.symbol));
}

function render(out: Output, ticks: Tick[], now: number): string {
  return table(
    out,
    ['exchange', 'symbol', 'price', 'bid', 'ask', 'volume', 'updated'],
    ticks.map((t) => [
      t.exchange,
      t.symbol,
      num(t.price),
      num(t.bid),
      num(t.ask),
      num(t.volume),
      now - t.time > 60_000 ? paint(out, 'yellow', ago(t.time, now)) : ago(t.time, now),
    ]),
  );
}

/** `--watch`: the snapshot, then every tick published after the subscription is live. */
async function watch({ caches, out }: Session, options: TickersOptions): Promise<void> {
  await untilInterrupted(async (signal) => {
    const subscription = caches.ticks.subscribe({
      ...(options.exchange === undefined ? {} : { exchange: options.exchange }),
      signal,
    });
    try {
      // Subscribed before the snapshot is read: a tick written in between is not missed.
      await subscription.ready;
      const latest = new Map<string, Tick>();
      const key = (t: Tick): string => JSON.stringify([t.exchange, t.symbol]);
      const snapshot = await caches.ticks.getAllTickers(
        options.exchange === undefined ? {} : { exchange: options.exchange },
      );
      for (const t of snapshot) latest.set(key(t), t);
      const show = (): void => {
        const now = Date.now();
        redraw(out, render(out, select(latest.values(), options.staleMs, now), now));
      };
      if (out.json)
        for (const t of select(snapshot, options.staleMs, Date.now())) printJson(out, t, true);
      else show();
      let pending: NodeJS.Timeout | undefined;
      for await (const tick of subscription) {
        latest.set(key(tick), tick);
        if (out.json) {
          if (options.staleMs === undefined || Date.now() - tick.time > options.staleMs) {
            printJson(out, tick, true);
          }
        } else {
          // Redraw at most five times a second, however fast ticks come.
          pending ??= setTimeout(() => {
            pending = undefined;
            show();
          }, 200);
        }
      }
      if (pending !== undefined) clearTimeout(pending);
    } finally {
      await subscription.close();
    }
  });
}

/**
 * Adds `tickers`: the latest tick of every market, or a live view.
 * @param program - The program.
 */
export function registerTickers(program: Command): void {
  program
    .command('tickers')
    .description('latest tickers (price, bid, ask, age); --watch follows them live')
    .option('--exchange <name>', 'only this exchange')
    .option('--stale-ms <ms>', 'only tickers older than this many ms', wholeNumber)
    .option('--watch', 'follow ticks as they are published (Ctrl-C ends)')
    .option('--json', 'print JSON for scripts (with --watch, one tick per line)')
    .action((options: TickersOptions, cmd: Command) =>
      withSession(cmd, async (session) => {
        if (options.watch === true) return watch(session, options);
        const { caches, out } = session;
        const ticks = await caches.ticks.getAllTickers(
          options.exchange === undefined ? {} : { exchange: options.exchange },
        );
        const now = Date.now();
        const shown = select(ticks, options.staleMs, now);
        if (out.json) return printJson(out, shown);
        out.write(render(out, shown, now));
      }),
    );
}
