// A writer process for the near-cache tests (src/near-cache.test.ts) and the near-cache bench:
// connects to the target in NEAR_TEST_TARGET under NEAR_TEST_PREFIX and writes one ticker.
//   NEAR_TEST_MODE=ticks  setTicker NEAR_TEST_COUNT ticks with times base+1 … base+count, in order
//   NEAR_TEST_MODE=raw    one raw HSET of the encoded tick (price NEAR_TEST_PRICE), bypassing setTicker
// Reports on stdout: `ready`, then `done <last time> <epoch ms when the last write resolved>`.
import { connect, msgpackCodec } from '@fullon/core';
import { TickCache } from '@fullon/tick';
import { TickKeys } from '../src/keys.js';
import { TickLayout } from '../src/layouts.js';

const target = JSON.parse(process.env.NEAR_TEST_TARGET ?? '{}') as
  | { mode: 'standalone'; url: string }
  | { mode: 'cluster'; nodes: { host: string; port: number }[] };
const symbol = process.env.NEAR_TEST_SYMBOL ?? 'BTC/USDT';
const exchange = process.env.NEAR_TEST_EXCHANGE ?? 'binance';
const count = Number(process.env.NEAR_TEST_COUNT ?? '1');
const base = Number(process.env.NEAR_TEST_BASE ?? String(Date.now()));
const price = Number(process.env.NEAR_TEST_PRICE ?? '1');
const conn = await connect({
  prefix: process.env.NEAR_TEST_PREFIX ?? 'near',
  ...(target.mode === 'cluster' ? { clusterNodes: target.nodes } : { url: target.url }),
});
const say = (line: string) => process.stdout.write(`${line}\n`);
say('ready');
if (process.env.NEAR_TEST_MODE === 'raw') {
  const key = new TickKeys(conn.keys).ticker(exchange, symbol);
  const bytes = TickLayout.encode(msgpackCodec, { symbol, exchange, price, time: base });
  await conn.send(key, ['HSET', key, 'v', bytes, 't', String(base)]);
  say(`done ${base} ${Date.now()}`);
} else {
  const ticks = new TickCache(conn);
  for (let i = 1; i <= count; i++) {
    await ticks.setTicker({ symbol, exchange, price: i, time: base + i });
  }
  say(`done ${base + count} ${Date.now()}`);
}
await conn.close();
