/**
 * @fullon/orders: order state per exchange (save, atomic merges, status index, per-order
 * retention), the open-order queue (idempotent pushes, FIFO pops that wait), and reliable
 * claims (leases, re-delivery, dead letters, replay).
 * Run: pnpm examples   (or: pnpm --filter @fullon/examples exec tsx --conditions=@fullon/source
 *      src/orders.ts --operations queue --verbose)
 */
import type { CacheConnection } from '@fullon/core';
import { type Order, OrdersCache } from '@fullon/orders';
import { check, exampleArgs, report, runExample } from './lib/example.js';

const args = exampleArgs(['basic', 'queue', 'claims']);

/** An order as a bot places it; override any field. */
function order(orderId: number | string, overrides: Partial<Order> = {}): Order {
  return {
    orderId,
    symbol: 'BTC/USDT',
    side: 'buy',
    volume: 0.1,
    orderType: 'limit',
    price: 64_000,
    ...overrides,
  };
}

async function basic(conn: CacheConnection, verbose: boolean): Promise<void> {
  const orders = new OrdersCache(conn, { ttlMs: 200 });
  await orders.saveOrder('binance', order(1, { status: 'open', botId: 7 }));
  await orders.saveOrder('binance', order(2, { status: 'open', side: 'sell', price: 65_000 }));
  report(verbose, 'saveOrder stored orders 1 and 2 on binance (status open)');

  const merged = await orders.updateOrder('binance', { orderId: 1, finalVolume: 0.04 });
  check(merged.finalVolume === 0.04 && merged.botId === 7, 'updateOrder merges one field');
  report(verbose, 'updateOrder merged finalVolume into order 1, kept the rest', merged);

  const created = await orders.updateOrder('binance', order('EX-3', { status: 'open' }));
  check(created.orderId === 'EX-3', 'updateOrder creates an absent order');
  report(verbose, 'updateOrder on an absent order with every required field creates it');

  check(await orders.setOrderStatus('binance', 2, 'canceled'), 'setOrderStatus');
  check((await orders.getOrderStatus('binance', 2)) === 'canceled', 'getOrderStatus');
  report(verbose, 'setOrderStatus(binance, 2, canceled): kept for ttlMs (200 ms here), then gone');

  const open = await orders.getOrders('binance', { status: 'open' });
  check(open.length === 2, 'two open orders in the status index');
  report(
    verbose,
    `getOrders(binance, { status: open }) → ${open.map((o) => o.orderId).join(', ')}`,
  );

  await new Promise((resolve) => setTimeout(resolve, 300));
  check((await orders.getOrder('binance', 2)) === null, 'the canceled order expired');
  check((await orders.getOrders('binance')).length === 2, 'open orders stay');
  report(verbose, 'after 300 ms the canceled order expired on its own; the open ones stayed');

  check(await orders.deleteOrder('binance', 'EX-3'), 'deleteOrder → true');
  check(!(await orders.deleteOrder('binance', 'EX-3')), 'deleteOrder again → false');
  report(verbose, 'deleteOrder EX-3 → true, then false');
}

async function queue(conn: CacheConnection, verbose: boolean): Promise<void> {
  const orders = new OrdersCache(conn);
  const first = await orders.pushOpenOrder('kraken', order(10));
  const again = await orders.pushOpenOrder('kraken', order(10));
  check(first.queued && !again.queued && again.length === 1, 'a repeated push is ignored');
  report(verbose, 'pushOpenOrder twice with order id 10: queued once', [first, again]);
  await orders.pushOpenOrder('kraken', order(11));
  check((await orders.getQueueLength('kraken')) === 2, 'getQueueLength');

  const a = await orders.popOpenOrder('kraken', { timeoutMs: 0 });
  const b = await orders.popOpenOrder('kraken', { timeoutMs: 0 });
  check(a?.orderId === 10 && b?.orderId === 11, 'FIFO');
  report(verbose, 'popOpenOrder took 10 then 11 (first in, first out)');

  const waiting = orders.popOpenOrder('kraken', { timeoutMs: 5_000 });
  setTimeout(() => void orders.pushOpenOrder('kraken', order(12)), 50);
  check((await waiting)?.orderId === 12, 'a waiting pop gets a later push');
  report(verbose, 'popOpenOrder waited and got order 12, pushed 50 ms later');
  check((await orders.popOpenOrder('kraken', { timeoutMs: 100 })) === null, 'null at timeout');
  report(verbose, 'popOpenOrder on an empty queue returned null after 100 ms');
}

async function claims(conn: CacheConnection, verbose: boolean): Promise<void> {
  const orders = new OrdersCache(conn, { maxAttempts: 2 });
  await orders.pushOpenOrder('bybit', order(20));
  await orders.pushOpenOrder('bybit', order(21));

  const claim = await orders.claimOpenOrder('bybit', { timeoutMs: 0, visibilityMs: 60_000 });
  check(claim?.orderId === '20' && claim.attempts === 1, 'claim 20');
  await claim?.ack();
  report(verbose, 'claimOpenOrder leased order 20; ack() removed it for good');

  // A consumer that never acks: its lease expires and the order is claimed again.
  const lost = await orders.claimOpenOrder('bybit', { timeoutMs: 0, visibilityMs: 100 });
  const retry = await orders.claimOpenOrder('bybit', { timeoutMs: 2_000 });
  check(retry?.orderId === '21' && retry.attempts === 2, 'redelivered after its lease');
  report(verbose, 'order 21 claimed, not acked within 100 ms, claimed again (attempt 2)');
  const stale = await lost?.ack().then(
    () => 'acked',
    (error: Error) => error.name,
  );
  check(stale === 'LockError', 'the first claim can no longer ack');
  report(verbose, `the first consumer's late ack() failed with ${stale}`);

  check((await retry?.release('exchange rejected')) === 'dead-lettered', 'dead letter');
  const letters = await orders.getDeadLetters('bybit');
  check(letters[0]?.reason === 'exchange rejected' && letters[0].attempts === 2, 'reason');
  report(verbose, 'after maxAttempts (2) release() moved order 21 to the dead letters', letters);

  check(await orders.replayDeadLetter('bybit', 21), 'replay');
  check((await orders.getQueueLength('bybit')) === 1, 'replayed to the queue');
  report(verbose, 'replayDeadLetter put order 21 back at the tail of the queue');
  const recovered = await orders.recoverStalled('bybit');
  report(verbose, 'recoverStalled (nothing stalled now)', recovered);

  {
    await using own = await OrdersCache.open({ ...conn.config });
    check((await own.getQueueLength('bybit')) === 1, 'OrdersCache.open reads');
    report(verbose, 'OrdersCache.open() with `await using` reads and closes itself');
  }
}

await runExample('orders', async (conn) => {
  const wants = (op: string) => args.operations === 'all' || args.operations === op;
  if (wants('basic')) await basic(conn, args.verbose);
  if (wants('queue')) await queue(conn, args.verbose);
  if (wants('claims')) await claims(conn, args.verbose);
});
