import { type Bar, TIMEFRAMES, type Timeframe } from '@fullon/cache';
import { Argument, type Command } from 'commander';
import { type Output, printJson, table } from '../output.js';
import { positive } from '../parse.js';
import { type Session, withSession } from '../session.js';
import { redraw, untilInterrupted } from '../watch.js';

interface OhlcvOptions {
  count: number;
  watch?: boolean;
}

/** A bar as JSON: named fields rather than a tuple. */
interface BarObject {
  time: number;
  open: number;
  high: number;
  low: number;
  close: number;
  volume: number;
}

function toObject([time, open, high, low, close, volume]: Bar): BarObject {
  return { time, open, high, low, close, volume };
}

function render(out: Output, bars: readonly Bar[]): string {
  return table(
    out,
    ['open time (UTC)', 'open', 'high', 'low', 'close', 'volume'],
    bars.map(([time, ...rest]) => [
      new Date(time).toISOString().replace('T', ' ').replace('.000Z', ''),
      ...rest.map(String),
    ]),
  );
}

/** `--watch`: the last `count` bars, then every bar upsert published on the series. */
async function watch(
  { caches, out }: Session,
  market: { symbol: string; exchange: string; timeframe: Timeframe },
  count: number,
): Promise<void> {
  await untilInterrupted(async (signal) => {
    const subscription = caches.ohlcv.subscribe({ ...market, signal });
    try {
      await subscription.ready;
      const { symbol, exchange, timeframe } = market;
      const bars = new Map<number, Bar>();
      for (const bar of await caches.ohlcv.getLatestOhlcvBars(symbol, exchange, timeframe, count)) {
        bars.set(bar[0], bar);
        if (out.json) printJson(out, toObject(bar), true);
      }
      const show = (): void => {
        const last = [...bars.values()].sort((a, b) => a[0] - b[0]).slice(-count);
        redraw(out, render(out, last));
      };
      if (!out.json) show();
      for await (const bar of subscription) {
        bars.set(bar[0], bar);
        if (out.json) printJson(out, toObject(bar), true);
        else show();
      }
    } finally {
      await subscription.close();
    }
  });
}

/**
 * Adds `ohlcv <symbol> <exchange> <tf>`: the latest candles of a series, or a live view.
 * @param program - The program.
 */
export function registerOhlcv(program: Command): void {
  program
    .command('ohlcv')
    .description('latest candles of a market and timeframe; --watch follows them live')
    .argument('<symbol>', 'symbol, e.g. BTC/USDT')
    .argument('<exchange>', 'exchange name')
    .addArgument(new Argument('<timeframe>', 'timeframe').choices(TIMEFRAMES))
    .option('--count <n>', 'how many of the newest bars', positive, 20)
    .option('--watch', 'follow bar upserts as they are published (Ctrl-C ends)')
    .option('--json', 'print JSON for scripts (with --watch, one bar per line)')
    .action(
      (
        symbol: string,
        exchange: string,
        timeframe: Timeframe,
        options: OhlcvOptions,
        cmd: Command,
      ) =>
        withSession(cmd, async (session) => {
          if (options.watch === true) {
            return watch(session, { symbol, exchange, timeframe }, options.count);
          }
          const { caches, out } = session;
          const bars = await caches.ohlcv.getLatestOhlcvBars(
            symbol,
            exchange,
            timeframe,
            options.count,
          );
          if (out.json) return printJson(out, bars.map(toObject));
          out.write(render(out, bars));
        }),
    );
}
