// A process for the close-after-stall fault test (src/user-trades.faults.test.ts): a blocking
// pop that the server's stall makes fail, then close(). The process must then exit by itself;
// a socket left open would keep it alive. Protocol on stdout / stdin:
//   ready               the pop is sent (the test waits until the server reports it blocked)
//   rejected <outcome>  the pop failed; the test resumes the server and writes a line
//   closed              close() resolved
import { once } from 'node:events';
import { ConnectionError, connect } from '@fullon/core';
import { TradesCache } from '@fullon/trades';

const conn = await connect({
  url: process.env.TRADES_TEST_URL ?? '',
  prefix: 'close-after-stall',
  socketTimeoutMs: 2_000,
});
const trades = new TradesCache(conn);
const say = (line: string) => process.stdout.write(`${line}\n`);
const pop = trades.popUserTrade(1, 'binance', { timeoutMs: 10_000 });
say('ready');
try {
  await pop;
  say('rejected none');
} catch (error) {
  say(`rejected ${ConnectionError.is(error) ? String(error.outcome) : 'other'}`);
}
await once(process.stdin, 'data');
process.stdin.destroy();
await conn.close();
say('closed');
