/**
 * Dependency injection: a connection and the caches on it, registered in an awilix container
 * (default PROXY injection mode) and in a tsyringe container (factories, no decorators), and
 * closed by the container's `dispose()`. The server's client count is checked before, during
 * and after each container, so a connection left open fails the example.
 * Run: pnpm examples   (or: pnpm --filter @fullon/examples exec tsx --conditions=@fullon/source
 *      src/di.ts --operations awilix --verbose)
 */
import 'reflect-metadata'; // tsyringe refuses to load without a Reflect metadata polyfill
import { pathToFileURL } from 'node:url';
import { type CacheConnection, type ConnectOptions, connect } from '@fullon/core';
import { ensureRedis } from '@fullon/core/server';
import { TickCache } from '@fullon/tick';
import { type AwilixContainer, asFunction, asValue, createContainer } from 'awilix';
import {
  type DependencyContainer,
  type Disposable,
  instanceCachingFactory,
  container as rootContainer,
} from 'tsyringe';
import { check, exampleArgs, report } from './lib/example.js';

// ---------------------------------------------------------------------------------------------
// awilix
// ---------------------------------------------------------------------------------------------

/** What the awilix container holds. `connect()` is asynchronous, so the connection is a promise. */
export interface AwilixCradle {
  /** Where to connect: options or a `redis://` URL. */
  config: ConnectOptions | string;
  /** The shared connection, opened on first use and closed by `container.dispose()`. */
  connection: Promise<CacheConnection>;
  /** A TickCache on the shared connection. */
  ticks: Promise<TickCache>;
}

/**
 * An awilix container in its default (PROXY) injection mode: each factory receives the cradle
 * and destructures what it needs. Nothing connects until something resolves `connection`.
 * @param config - Connection options or a `redis://` URL.
 * @returns The container; `await container.dispose()` closes the connection.
 */
export function createAwilixContainer(
  config: ConnectOptions | string,
): AwilixContainer<AwilixCradle> {
  const container = createContainer<AwilixCradle>(); // InjectionMode.PROXY is the default
  container.register({
    config: asValue(config),
    connection: asFunction(({ config }: AwilixCradle) => connect(config))
      .singleton()
      // The disposer receives what the factory returned: the promise of the connection. A
      // connect that failed has nothing to close.
      .disposer((pending) => pending.then((conn) => conn.close(), ignore)),
    // A cache does not own a connection passed to it, so it needs no disposer of its own.
    ticks: asFunction(
      async ({ connection }: AwilixCradle) => new TickCache(await connection),
    ).singleton(),
  });
  return container;
}

// ---------------------------------------------------------------------------------------------
// tsyringe
// ---------------------------------------------------------------------------------------------

/** The tsyringe token of the shared connection. */
export const CONNECTION = Symbol('CacheConnection');

/**
 * Closes the connections it was given when the container is disposed. tsyringe's `dispose()`
 * only reaches instances the container constructed itself (`useClass`, `registerSingleton`):
 * values (`useValue`, `registerInstance`) and factory products (`useFactory`) are never
 * disposed. So the container constructs this small class (no constructor arguments: no
 * decorators or reflection needed) and the connection is handed to it.
 */
export class ConnectionLifetime implements Disposable {
  readonly #connections = new Set<CacheConnection>();

  /**
   * Closes `conn` when the container is disposed.
   * @param conn - An open connection.
   * @returns The same connection.
   */
  track(conn: CacheConnection): CacheConnection {
    this.#connections.add(conn);
    return conn;
  }

  /** Closes every tracked connection; called by `container.dispose()`. */
  async dispose(): Promise<void> {
    const open = [...this.#connections];
    this.#connections.clear();
    await Promise.all(open.map((conn) => conn.close()));
  }
}

/**
 * A tsyringe child container with the connection and a TickCache registered by factory. The
 * connection is opened here (tsyringe factories are synchronous) and closed by
 * `container.dispose()` through {@link ConnectionLifetime}.
 * @param config - Connection options or a `redis://` URL.
 * @returns The container; `await container.dispose()` closes the connection.
 */
export async function createTsyringeContainer(
  config: ConnectOptions | string,
): Promise<DependencyContainer> {
  const container = rootContainer.createChildContainer();
  container.registerSingleton(ConnectionLifetime);
  const conn = container.resolve(ConnectionLifetime).track(await connect(config));
  container.register<CacheConnection>(CONNECTION, { useValue: conn });
  container.register(TickCache, {
    useFactory: instanceCachingFactory(
      (c) => new TickCache(c.resolve<CacheConnection>(CONNECTION)),
    ),
  });
  return container;
}

// ---------------------------------------------------------------------------------------------
// The program
// ---------------------------------------------------------------------------------------------

/**
 * The server's `connected_clients` (from `INFO clients`).
 * @param probe - A connection of the caller's; it is one of the clients counted.
 * @returns The count.
 */
export async function connectedClients(probe: CacheConnection): Promise<number> {
  const info = String(await probe.send(undefined, ['INFO', 'clients']));
  const match = /connected_clients:(\d+)/.exec(info);
  check(match?.[1] !== undefined, 'INFO clients reports connected_clients');
  return Number(match[1]);
}

/**
 * The server's id of a connection's command socket (`CLIENT ID`).
 * @param conn - The connection.
 * @returns Its client id.
 */
export async function clientId(conn: CacheConnection): Promise<number> {
  return Number(await conn.send(undefined, ['CLIENT', 'ID']));
}

/**
 * Waits until the server no longer lists client `id` (a closed socket leaves the server's list
 * a moment after `close()` resolves). Exact on a server other programs share, unlike a count.
 * @param probe - A connection of the caller's.
 * @param id - The client id that must go.
 * @param timeoutMs - How long to wait. Defaults to 5 000 ms.
 * @returns Whether it went within `timeoutMs`.
 */
export async function clientGone(
  probe: CacheConnection,
  id: number,
  timeoutMs = 5_000,
): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const list = String(await probe.send(undefined, ['CLIENT', 'LIST']));
    if (!new RegExp(`(^|\\n)id=${id} `).test(list)) return true;
    if (Date.now() >= deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

function ignore(): void {}

async function useTicks(ticks: TickCache, exchange: string): Promise<void> {
  await ticks.setTicker({ symbol: 'BTC/USDT', exchange, price: 64_250.5, time: Date.now() });
  check((await ticks.getPrice('BTC/USDT', exchange)) === 64_250.5, `getPrice on ${exchange}`);
}

async function main(): Promise<void> {
  const args = exampleArgs(['awilix', 'tsyringe']);
  const wants = (name: string) => args.operations === 'all' || args.operations === name;
  const redis = await ensureRedis();
  const config: ConnectOptions = {
    ...redis.options,
    prefix: process.env.FULLON_CACHE_PREFIX ?? 'fullon-examples',
  };
  const probe = await connect(config);
  try {
    console.log(`== di (Redis: ${redis.description}, ${probe.mode})`);

    if (wants('awilix')) {
      const container = createAwilixContainer(config);
      const ticks = await container.cradle.ticks; // connects here, on first use
      check((await container.cradle.ticks) === ticks, 'singleton: one TickCache');
      await useTicks(ticks, 'awilix-demo');
      const id = await clientId(await container.cradle.connection);
      await container.dispose();
      check(await clientGone(probe, id), 'awilix dispose closed its connection');
      report(args.verbose, `awilix (PROXY): dispose closed client ${id}`);
    }

    if (wants('tsyringe')) {
      const container = await createTsyringeContainer(config);
      const ticks = container.resolve(TickCache);
      check(container.resolve(TickCache) === ticks, 'instanceCachingFactory: one TickCache');
      await useTicks(ticks, 'tsyringe-demo');
      const id = await clientId(container.resolve<CacheConnection>(CONNECTION));
      await container.dispose();
      check(await clientGone(probe, id), 'tsyringe dispose closed its connection');
      report(args.verbose, `tsyringe (factories): dispose closed client ${id}`);
    }
    await probe.clear();
    console.log('== di: ok');
  } finally {
    await probe.close();
    await redis.stop();
  }
}

// Run only as a program: the test imports the container factories above.
if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  try {
    await main();
  } catch (error) {
    console.error('== di: FAILED');
    console.error(error);
    process.exitCode = 1;
  }
}
