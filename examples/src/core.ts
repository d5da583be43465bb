/**
 * @fullon/core: connect, ping, health, a round trip through the codec, and a pub/sub message.
 * Run: pnpm examples   (or: pnpm --filter @fullon/examples exec tsx --conditions=@fullon/source src/core.ts)
 */
import { check, exampleArgs, report, runExample } from './lib/example.js';

const args = exampleArgs(['basic', 'pubsub']);

await runExample('core', async (conn) => {
  const wants = (op: string) => args.operations === 'all' || args.operations === op;
  if (wants('basic')) {
    report(args.verbose, `ping ${(await conn.ping()).toFixed(2)} ms`);
    const health = await conn.health();
    report(
      args.verbose,
      `health: Redis ${health.serverVersion}, ${health.mode}, ${health.usedMemoryBytes} bytes used`,
      health,
    );

    const key = conn.keys.key('example', 'codec');
    const value = {
      symbol: 'BTC/USDT',
      price: 64_250.5,
      time: Date.now(),
      tags: ['spot', 'usdt'],
      ok: true,
    };
    await conn.send(key, ['SET', key, conn.codec.encode(value), 'PX', '60000']);
    const stored = await conn.send<Buffer | null>(key, ['GET', key], { buffers: true });
    check(stored !== null, 'codec value was not stored');
    const decoded = conn.codec.decode(stored);
    check(JSON.stringify(decoded) === JSON.stringify(value), 'codec round trip changed the value');
    report(
      args.verbose,
      `codec round trip through ${key} (${stored.length} bytes of ${conn.codec.name})`,
      decoded,
    );
  }
  if (wants('pubsub')) {
    const channel = conn.keys.channel('example');
    const controller = new AbortController();
    const subscription = await conn.subscribe({ channels: [channel], signal: controller.signal });
    await conn.publish(channel, conn.codec.encode({ hello: 'world' }));
    for await (const message of subscription) {
      report(
        args.verbose,
        `received a message on ${message.channel}`,
        conn.codec.decode(message.message),
      );
      controller.abort();
    }
    check(subscription.closed, 'subscription did not end on abort');
    report(args.verbose, 'subscription ended by abort');
  }
});
