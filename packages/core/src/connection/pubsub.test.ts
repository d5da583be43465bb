import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ValidationError } from '../errors.js';
import { WILDCARD } from '../keys/key-builder.js';
import {
  type NodeClient,
  nodeClients,
  type RedisServerHandle,
  redisTarget,
  startRedisServer,
  testConnection,
  useTestConnection,
} from '../testing/index.js';
import { connect } from './connect.js';
import type { CacheConnection } from './connection.js';
import type { PubSubMessage, Subscription } from './subscription.js';

/** Subscribers of `channel`, summed over every node (a cluster subscriber sits on one). */
async function numsub(nodes: NodeClient[], channel: string): Promise<number> {
  let total = 0;
  for (const node of nodes) {
    const reply = await node.sendCommand<[string, number]>(['PUBSUB', 'NUMSUB', channel]);
    total += reply[1];
  }
  return total;
}

/** Reads the next `count` messages from a subscription, leaving it open. */
async function take(sub: Subscription, count: number): Promise<PubSubMessage[]> {
  const out: PubSubMessage[] = [];
  while (out.length < count) {
    const next = await sub.next();
    if (next.done === true) break;
    out.push(next.value);
  }
  return out;
}

describe('publish / subscribe', () => {
  const conn = useTestConnection();
  let nodes: NodeClient[];
  beforeAll(async () => {
    nodes = await nodeClients();
  });
  afterAll(async () => {
    await Promise.all(nodes.map((n) => n.disconnect()));
  });

  it('delivers 200 messages in publish order', async () => {
    const c = conn();
    const channel = c.keys.channel('order', 'binance');
    await using sub = await c.subscribe({ channels: [channel] });
    const sent = Array.from({ length: 200 }, (_, i) => i);
    const receivers = await Promise.all(sent.map((i) => c.publish(channel, c.codec.encode({ i }))));
    // On a cluster PUBLISH counts the receiving node's subscribers only; ours may sit elsewhere.
    const expected = redisTarget().mode === 'standalone' ? [1] : [0, 1];
    expect(receivers.every((n) => expected.includes(n))).toBe(true);
    const received = await take(sub, 200);
    expect(received.map((m) => (c.codec.decode(m.message) as { i: number }).i)).toStrictEqual(sent);
    expect(received.every((m) => m.channel === channel && Buffer.isBuffer(m.message))).toBe(true);
    expect(sub.dropped).toBe(0);
  });

  it('delivers from several channels to one subscription', async () => {
    const c = conn();
    const a = c.keys.channel('multi', 'a');
    const b = c.keys.channel('multi', 'b');
    await using sub = await c.subscribe({ channels: [a, b] });
    await c.publish(a, 'one');
    await c.publish(b, 'two');
    const received = await take(sub, 2);
    expect(received.map((m) => [m.channel, m.message.toString()]).sort()).toStrictEqual([
      [a, 'one'],
      [b, 'two'],
    ]);
  });

  it('matches patterns, and a literal glob character in a name stays literal', async () => {
    const c = conn();
    const pattern = c.keys.channelPattern('tick', 'binance', WILDCARD);
    const literal = c.keys.channelPattern('tick', '*');
    await using sub = await c.subscribe({ patterns: [pattern, literal] });
    await c.publish(c.keys.channel('tick', 'kraken', 'BTC/USDT'), 'other exchange');
    await c.publish(c.keys.channel('ticker', 'binance', 'x'), 'other family');
    await c.publish(c.keys.channel('tick', 'binance', 'BTC/USDT'), 'btc');
    await c.publish(c.keys.channel('tick', 'binance', 'a b*'), 'hostile');
    await c.publish(c.keys.channel('tick', '*'), 'literal star');
    const received = await take(sub, 3);
    // Messages of different channels may arrive in any order on a cluster (routed by channel).
    const sorted = received.map((m) => [m.pattern, m.channel, m.message.toString()]).sort();
    expect(sorted).toStrictEqual(
      [
        [pattern, c.keys.channel('tick', 'binance', 'BTC/USDT'), 'btc'],
        [pattern, c.keys.channel('tick', 'binance', 'a b*'), 'hostile'],
        [literal, c.keys.channel('tick', '*'), 'literal star'],
      ].sort(),
    );
    // Nothing else was delivered.
    await c.publish(c.keys.channel('tick', 'binance', 'last'), 'last');
    expect((await take(sub, 1))[0]?.message.toString()).toBe('last');
  });

  it('ends the for-await loop on abort and unsubscribes', async () => {
    const c = conn();
    const channel = c.keys.channel('abort', 'x');
    const controller = new AbortController();
    const sub = await c.subscribe({ channels: [channel], signal: controller.signal });
    expect(await numsub(nodes, channel)).toBe(1);
    const seen: string[] = [];
    const loop = (async () => {
      for await (const m of sub) seen.push(m.message.toString());
      return 'ended';
    })();
    await c.publish(channel, 'before');
    await expect.poll(() => seen.length).toBe(1);
    controller.abort();
    expect(await loop).toBe('ended');
    expect(sub.closed).toBe(true);
    await expect.poll(() => numsub(nodes, channel)).toBe(0);
    expect(await c.publish(channel, 'after')).toBe(0);
    expect(seen).toStrictEqual(['before']);
  });

  it('breaking out of the loop unsubscribes', async () => {
    const c = conn();
    const channel = c.keys.channel('break', 'x');
    const sub = await c.subscribe({ channels: [channel] });
    await c.publish(channel, 'one');
    const seen: string[] = [];
    for await (const m of sub) {
      seen.push(m.message.toString());
      break;
    }
    expect(seen).toStrictEqual(['one']);
    expect(sub.closed).toBe(true);
    await expect.poll(() => numsub(nodes, channel)).toBe(0);
  });

  it('ends at once when the signal is already aborted', async () => {
    const c = conn();
    const channel = c.keys.channel('pre-aborted', 'x');
    const sub = await c.subscribe({ channels: [channel], signal: AbortSignal.abort() });
    expect(await sub.next()).toStrictEqual({ value: undefined, done: true });
    await expect.poll(() => numsub(nodes, channel)).toBe(0);
  });

  it('rejects a signal that is not an AbortSignal as a ValidationError naming signal', async () => {
    const c = conn();
    const channel = c.keys.channel('bad-signal', 'x');
    for (const signal of [{}, 'abort', 5, null, { aborted: false }]) {
      const pending = c.subscribe({ channels: [channel], signal: signal as AbortSignal });
      await expect(pending).rejects.toBeInstanceOf(ValidationError);
      await expect(pending).rejects.toMatchObject({ field: 'signal' });
    }
    expect(await numsub(nodes, channel)).toBe(0);
  });

  it('ends a for-await loop over a subscription when its connection closes', async () => {
    const own = await testConnection();
    const channel = own.keys.channel('closing', 'x');
    const sub = await own.subscribe({ channels: [channel] });
    const loop = (async () => {
      let count = 0;
      for await (const _ of sub) count++;
      return count;
    })();
    await own.publish(channel, 'one');
    await expect
      .poll(async () => (await numsub(nodes, channel)) === 1 && sub.closed === false)
      .toBe(true);
    await own.close();
    expect(await loop).toBeLessThanOrEqual(1);
    expect(sub.closed).toBe(true);
    await sub.close();
    await expect.poll(() => numsub(nodes, channel)).toBe(0);
  });

  it('keeps the newest messages and counts the dropped ones when the consumer lags', async () => {
    const c = conn();
    const channel = c.keys.channel('lag', 'x');
    await using sub = await c.subscribe({ channels: [channel], bufferSize: 5 });
    for (let i = 0; i < 12; i++) await c.publish(channel, String(i));
    await expect.poll(() => sub.dropped).toBe(7);
    const received = await take(sub, 5);
    expect(received.map((m) => m.message.toString())).toStrictEqual(['7', '8', '9', '10', '11']);
  });

  it('rejects a subscription without channel or pattern, and a bad buffer size, naming the field', async () => {
    const c = conn();
    await expect(c.subscribe({})).rejects.toSatisfy(
      (error) => ValidationError.is(error) && error.field === 'channels',
    );
    await expect(c.subscribe({ channels: [c.keys.channel('x')], bufferSize: 0 })).rejects.toSatisfy(
      (error) => ValidationError.is(error) && error.field === 'bufferSize',
    );
  });

  it('lets two subscriptions of one connection listen to one channel, and closing one keeps the other', async () => {
    const c = conn();
    const channel = c.keys.channel('shared', 'x');
    const first = await c.subscribe({ channels: [channel] });
    await using second = await c.subscribe({ channels: [channel] });
    await c.publish(channel, 'both');
    expect((await take(first, 1))[0]?.message.toString()).toBe('both');
    await first.close();
    expect(await first.next()).toStrictEqual({ value: undefined, done: true });
    await c.publish(channel, 'second only');
    const [m1, m2] = await take(second, 2);
    expect([m1?.message.toString(), m2?.message.toString()]).toStrictEqual(['both', 'second only']);
  });
});

describe('pub/sub on a server the test owns', () => {
  let server: RedisServerHandle;
  let conn: CacheConnection;
  let observer: CacheConnection;
  beforeAll(async () => {
    server = await startRedisServer();
    conn = await connect({ url: server.url, prefix: 'owned', socketTimeoutMs: 1000 });
    observer = await connect({ url: server.url, prefix: 'observer' });
  });
  afterAll(async () => {
    await conn.close();
    await observer.close();
    await server.stop();
  });

  it('drops the pattern count (PUBSUB NUMPAT) on abort', async () => {
    const controller = new AbortController();
    const sub = await conn.subscribe({
      patterns: [conn.keys.channelPattern('p', WILDCARD)],
      signal: controller.signal,
    });
    expect(await observer.send(undefined, ['PUBSUB', 'NUMPAT'])).toBe(1);
    controller.abort();
    expect(await sub.next()).toStrictEqual({ value: undefined, done: true });
    await expect.poll(() => observer.send(undefined, ['PUBSUB', 'NUMPAT'])).toBe(0);
  });

  it('keeps delivering after the server restarts (resubscribed on reconnect)', async () => {
    const channel = conn.keys.channel('restart', 'x');
    const pattern = conn.keys.channelPattern('restart-p', WILDCARD);
    await using sub = await conn.subscribe({ channels: [channel], patterns: [pattern] });
    await conn.publish(channel, 'before');
    expect((await sub.next()).value?.message.toString()).toBe('before');

    await server.restartServer();
    // The new server knows no subscriber until node-redis resubscribes; wait for it.
    await expect
      .poll(
        async () => {
          try {
            const sub = await observer.send<[string, number]>(undefined, [
              'PUBSUB',
              'NUMSUB',
              channel,
            ]);
            const pat = await observer.send<number>(undefined, ['PUBSUB', 'NUMPAT']);
            return [sub[1], pat];
          } catch {
            return 'not yet';
          }
        },
        { timeout: 15_000, interval: 100 },
      )
      .toStrictEqual([1, 1]);

    await expect
      .poll(() => conn.publish(channel, 'after').catch(() => 0), { timeout: 10_000 })
      .toBe(1);
    await conn.publish(conn.keys.channel('restart-p', 'y'), 'pattern after');
    const next = await sub.next();
    expect(next.value?.message.toString()).toBe('after');
    const viaPattern = await sub.next();
    expect([viaPattern.value?.pattern, viaPattern.value?.message.toString()]).toStrictEqual([
      pattern,
      'pattern after',
    ]);
  });
});
