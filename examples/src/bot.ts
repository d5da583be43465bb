/**
 * @fullon/bot: exclusive symbol blocks with fencing tokens (take, renew, release, expire,
 * force), holdBlock, opening-position markers, and bot status records.
 * Run: pnpm examples   (or: pnpm --filter @fullon/examples exec tsx --conditions=@fullon/source
 *      src/bot.ts --operations blocks --verbose)
 */
import { BotCache, type LeaseLost } from '@fullon/bot';
import type { CacheConnection } from '@fullon/core';
import { check, exampleArgs, report, runExample } from './lib/example.js';

const args = exampleArgs(['blocks', 'hold', 'status']);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function blocks(conn: CacheConnection, verbose: boolean): Promise<void> {
  const bots = new BotCache(conn);
  const mine = await bots.blockExchange(1, 'BTC/USDT', 'bot-a', { ttlMs: 30_000 });
  check(mine.acquired, 'a free symbol is taken');
  report(verbose, 'bot-a blocked BTC/USDT on account 1', mine);

  const theirs = await bots.blockExchange(1, 'BTC/USDT', 'bot-b');
  check(!theirs.acquired && theirs.holder === 'bot-a', 'a held block is not taken');
  report(verbose, 'bot-b could not take it (Python overwrote blindly)', theirs);
  check((await bots.isBlocked(1, 'BTC/USDT')) === 'bot-a', 'isBlocked names the holder');

  const again = await bots.blockExchange(1, 'BTC/USDT', 'bot-a', { ttlMs: 30_000 });
  check(again.token === mine.token, 'the holder renews under the same token');
  check(
    await bots.renewBlock(1, 'BTC/USDT', 'bot-a', { ttlMs: 30_000, token: mine.token }),
    'renew',
  );
  report(verbose, 'bot-a renewed it twice (blockExchange again, renewBlock); the token stays');

  check(!(await bots.unblockExchange(1, 'BTC/USDT', 'bot-b')), 'a non-holder cannot release');
  check(await bots.unblockExchange(1, 'BTC/USDT', 'bot-a'), 'the holder releases');
  report(verbose, 'bot-b could not release it; bot-a did');

  // A crashed bot's block expires by itself; the next holder gets a larger token.
  const short = await bots.blockExchange(1, 'ETH/USDT', 'crashed-bot', { ttlMs: 100 });
  await sleep(150);
  const next = await bots.blockExchange(1, 'ETH/USDT', 'bot-b');
  check(
    next.acquired && (next.token ?? 0) > (short.token ?? 0),
    'taken after expiry, larger token',
  );
  report(
    verbose,
    `after 100 ms the crashed bot's block expired; bot-b took it (token ${short.token} → ${next.token})`,
  );

  const forced = await bots.blockExchange(1, 'ETH/USDT', 'admin', { force: true });
  check(forced.acquired && (forced.token ?? 0) > (next.token ?? 0), 'force takes it, new token');
  report(verbose, "force: true takes it from bot-b (Python's behaviour), with a new token");

  const listed = await bots.getBlocks();
  report(
    verbose,
    `getBlocks() → ${listed.map((b) => `${b.exId}:${b.symbol}@${b.botId}#${b.token}`).join(', ')}`,
  );
  check(await bots.unblockExchange(1, 'ETH/USDT', { force: true }), 'force release');

  const marker = await bots.markOpeningPosition(1, 'SOL/USDT', 'bot-a', { ttlMs: 10_000 });
  check(marker.acquired && (await bots.isOpeningPosition(1, 'SOL/USDT')) === 'bot-a', 'marker');
  check(await bots.unmarkOpeningPosition(1, 'SOL/USDT', 'bot-a'), 'unmark');
  report(verbose, 'opening-position markers follow the same lease rules');
}

async function hold(conn: CacheConnection, verbose: boolean): Promise<void> {
  const bots = new BotCache(conn);
  const lost: LeaseLost[] = [];
  const held = await bots.holdBlock(2, 'BTC/USDT', 'bot-a', {
    ttlMs: 300,
    onLost: (why) => lost.push(why),
  });
  check(held !== null, 'holdBlock takes a free block');
  await sleep(700);
  check((await bots.isBlocked(2, 'BTC/USDT')) === 'bot-a', 'renewed past its 300 ms TTL');
  report(verbose, `holdBlock kept a 300 ms block for 700 ms (token ${held.token})`);

  await bots.blockExchange(2, 'BTC/USDT', 'admin', { force: true });
  const deadline = Date.now() + 2_000;
  while (lost.length === 0 && Date.now() < deadline) await sleep(20);
  check(lost[0]?.reason === 'stolen' && held.signal.aborted, 'onLost tells the holder');
  report(verbose, 'another bot forced the block: onLost fired, hold.signal aborted', lost[0]);

  const controller = new AbortController();
  const second = await bots.holdBlock(2, 'ETH/USDT', 'bot-a', { signal: controller.signal });
  check(second !== null, 'holdBlock on another symbol');
  controller.abort();
  await second.release();
  check((await bots.isBlocked(2, 'ETH/USDT')) === null, 'aborting the signal releases');
  report(verbose, 'aborting the signal stopped the renewals and released the block');
}

async function status(conn: CacheConnection, verbose: boolean): Promise<void> {
  const bots = new BotCache(conn);
  const feeds = { feed1: { status: 'running', symbols: ['BTC/USDT'] }, feed2: 'idle' };
  const before = JSON.stringify(feeds);
  const updatedAt = await bots.updateBot('bot-a', feeds);
  check(JSON.stringify(feeds) === before, "updateBot never changes the caller's object");
  report(verbose, `updateBot stamped bot-a at ${new Date(updatedAt).toISOString()} (server clock)`);
  await bots.updateBot('bot-a', { feed2: { status: 'stopped' } });
  const record = await bots.getBot('bot-a');
  check(record?.data.feed1 !== undefined && record.data.feed2 !== 'idle', 'merged, not replaced');
  report(verbose, 'a second updateBot merged feed2 and kept feed1', record);
  await bots.updateBot(7, { feed1: { status: 'running' } });
  report(verbose, `getBots() → ${Object.keys(await bots.getBots()).join(', ')}`);
  check(await bots.deleteBot(7), 'deleteBot → true');
  check((await bots.deleteBots()) === 1, 'deleteBots counts');
  report(verbose, 'deleteBot(7) → true; deleteBots() → 1');
}

await runExample('bot', async (conn) => {
  const wants = (op: string) => args.operations === 'all' || args.operations === op;
  if (wants('blocks')) await blocks(conn, args.verbose);
  if (wants('hold')) await hold(conn, args.verbose);
  if (wants('status')) await status(conn, args.verbose);
});
