// A consumer process for the multi-process test (src/multi-process.test.ts): claims orders
// until killed and reports on stdout (synchronous for pipes on Linux, so a line written is a
// line the test reads even if the process is SIGKILLed right after).
//   claimed <id>   before acking
//   acked <id>     once ack() resolved
//   stale <id>     ack() failed with LockError (the lease had expired and it was re-delivered)
//   stopped        after SIGTERM: the claim in progress was settled and reported, no new one
//                  is made; the process then exits
import { connect, LockError } from '@fullon/core';
import { OrdersCache } from '@fullon/orders';

const target = JSON.parse(process.env.ORDERS_TEST_TARGET ?? '{}') as
  | { mode: 'standalone'; url: string }
  | { mode: 'cluster'; nodes: { host: string; port: number }[] };
const queue = process.env.ORDERS_TEST_QUEUE ?? 'mp';
const conn = await connect({
  prefix: process.env.ORDERS_TEST_PREFIX ?? 'mp',
  ...(target.mode === 'cluster' ? { clusterNodes: target.nodes } : { url: target.url }),
});
const orders = new OrdersCache(conn);
const say = (line: string) => process.stdout.write(`${line}\n`);
// SIGTERM is the graceful stop: finish (and report) the claim in progress, then exit. The test
// counts acks from these lines, so it must never kill a worker that may still report one.
let stopping = false;
process.on('SIGTERM', () => {
  stopping = true;
});
say('ready');
while (!stopping) {
  const claim = await orders.claimOpenOrder(queue, { timeoutMs: 500, visibilityMs: 1_000 });
  if (claim === null) continue;
  say(`claimed ${claim.orderId}`);
  try {
    await claim.ack();
    say(`acked ${claim.orderId}`);
  } catch (error) {
    if (!LockError.is(error)) throw error;
    say(`stale ${claim.orderId}`);
  }
}
say('stopped');
await conn.close();
process.exit(0);
