import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createConnection, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { ClusterNode } from '../config/config.js';
import { ConfigurationError, ConnectionError, TimeoutError } from '../errors.js';
import { sleep } from '../util/sleep.js';
import {
  probeRedisTls,
  type RedisServerTls,
  redisCliTlsArgs,
  tlsServerArgs,
} from './redis-server-tls.js';

const run = promisify(execFile);

/** How to get a `redis-server` binary, printed when none is on `PATH`. */
export const REDIS_INSTALL_HINT = [
  'redis-server was not found on PATH. Install one of:',
  '  Debian/Ubuntu:  sudo apt-get install -y redis-server',
  '  macOS:          brew install redis',
  '  Docker:         docker compose up -d   (from this repository; then set REDIS_URL=redis://localhost:6379)',
].join('\n');

/**
 * Whether a `redis-server` binary is on `PATH`.
 * @returns Its version line, or `null`.
 */
export async function findRedisServer(): Promise<string | null> {
  try {
    const { stdout } = await run('redis-server', ['--version']);
    return stdout.trim();
  } catch {
    return null;
  }
}

function canListen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

/**
 * Finds a free TCP port on 127.0.0.1.
 * @param withBus - Also require `port + 10000` free (the cluster bus port).
 * @returns A port that was free a moment ago.
 */
export async function findFreePort(withBus = false): Promise<number> {
  for (let attempt = 0; attempt < 200; attempt++) {
    const port = 20_000 + Math.floor(Math.random() * 30_000);
    if ((await canListen(port)) && (!withBus || (await canListen(port + 10_000)))) return port;
  }
  throw new ConnectionError('no free port found on 127.0.0.1');
}

/**
 * Sends PING over a raw socket.
 * @param host - Host.
 * @param port - Port.
 * @param timeoutMs - Give up after this long. Defaults to 500 ms.
 * @returns `true` when the answer is `+PONG` (or an auth error, which still proves a Redis).
 */
export function probeRedis(host: string, port: number, timeoutMs = 500): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection({ host, port });
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once('error', () => done(false));
    socket.once('connect', () => socket.write('PING\r\n'));
    socket.once('data', (data) => done(/^(\+PONG|-NOAUTH)/.test(data.toString())));
  });
}

async function waitFor(
  what: string,
  timeoutMs: number,
  check: () => Promise<boolean>,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return;
    await sleep(50);
  }
  throw new TimeoutError(`${what} not ready after ${timeoutMs} ms`);
}

const running = new Set<ChildProcess>();
let exitHookInstalled = false;

function track(child: ChildProcess): void {
  running.add(child);
  child.once('exit', () => running.delete(child));
  if (!exitHookInstalled) {
    exitHookInstalled = true;
    process.once('exit', () => {
      for (const c of running) c.kill('SIGKILL');
    });
  }
}

function exited(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => child.once('exit', () => resolve()));
}

/** A `redis-server` process this program started. */
export interface RedisServerHandle {
  /** Its port on 127.0.0.1 (the TLS port of a TLS server). */
  readonly port: number;
  /** `redis://127.0.0.1:<port>`, or `rediss://…` for a TLS server. */
  readonly url: string;
  /** Kills the process at once (SIGKILL), as a crash would. */
  killServer(): Promise<void>;
  /** Starts it again on the same port (empty: nothing is persisted). */
  restartServer(): Promise<void>;
  /** Freezes the process (SIGSTOP): connections stay open, nothing is answered. */
  pauseServer(): void;
  /** Lets a paused process run again (SIGCONT). */
  resumeServer(): void;
  /** Stops it for good. Idempotent. */
  stop(): Promise<void>;
}

/** Options of {@link startRedisServer}. */
export interface StartRedisOptions {
  /** Port; a free one is picked when omitted. */
  port?: number;
  /** Extra `redis-server` arguments. */
  args?: readonly string[];
  /** Working directory for files the server writes (cluster config). */
  dir?: string;
  /** Serve TLS only, on `port` (the plaintext port is off). Defaults to plaintext. */
  tls?: RedisServerTls;
}

/**
 * Starts a throwaway `redis-server` on 127.0.0.1 (`--save '' --appendonly no`) and waits until it
 * answers PING. With `tls`, it serves TLS only (`--tls-port`, `--port 0`).
 * @param options - Port, extra arguments, working directory, TLS.
 * @returns A handle that can kill, restart and stop it.
 * @throws {ConfigurationError} with install instructions when `redis-server` is not on PATH.
 */
export async function startRedisServer(
  options: StartRedisOptions = {},
): Promise<RedisServerHandle> {
  if ((await findRedisServer()) === null)
    throw new ConfigurationError('redis-server', REDIS_INSTALL_HINT);
  const port =
    options.port ?? (await findFreePort(options.args?.includes('--cluster-enabled') ?? false));
  const dir = options.dir ?? tmpdir();
  const args = [
    ...(options.tls === undefined ? ['--port', String(port)] : tlsServerArgs(port, options.tls)),
    '--bind',
    '127.0.0.1',
    '--save',
    '',
    '--appendonly',
    'no',
    '--dir',
    dir,
  ];
  args.push(...(options.args ?? []));
  let child: ChildProcess | undefined;
  const launch = async () => {
    const started = spawn('redis-server', args, { stdio: 'ignore' });
    track(started);
    child = started;
    await waitFor(`redis-server on port ${port}`, 10_000, async () => {
      if (started.exitCode !== null)
        throw new ConnectionError(`redis-server on port ${port} exited (${started.exitCode})`);
      return (options.tls === undefined ? probeRedis : probeRedisTls)('127.0.0.1', port);
    });
  };
  const halt = async (signal: NodeJS.Signals) => {
    const current = child;
    child = undefined;
    if (current === undefined) return;
    current.kill(signal);
    await exited(current);
  };
  await launch();
  return {
    port,
    url: `${options.tls === undefined ? 'redis' : 'rediss'}://127.0.0.1:${port}`,
    killServer: () => halt('SIGKILL'),
    restartServer: async () => {
      await halt('SIGKILL');
      await launch();
    },
    pauseServer: () => {
      child?.kill('SIGSTOP');
    },
    resumeServer: () => {
      child?.kill('SIGCONT');
    },
    stop: async () => {
      child?.kill('SIGCONT'); // a stopped process would not act on SIGTERM
      await halt('SIGTERM');
    },
  };
}

/** A Redis Cluster of processes this program started. */
export interface RedisClusterHandle {
  /** Seed nodes (the masters at start). */
  readonly nodes: ClusterNode[];
  /** The per-node handles: masters first, then replicas. */
  readonly servers: readonly RedisServerHandle[];
  /** Stops every node and removes the cluster files. */
  stop(): Promise<void>;
}

async function clusterStateOk(port: number, nodes: number, cli: string[]): Promise<boolean> {
  try {
    const { stdout } = await run('redis-cli', [...cli, '-p', String(port), 'cluster', 'info']);
    return stdout.includes('cluster_state:ok') && stdout.includes(`cluster_known_nodes:${nodes}`);
  } catch {
    return false;
  }
}

/** Whether the replica on `port` has finished its first sync with its master. */
async function replicaInSync(port: number, cli: string[]): Promise<boolean> {
  try {
    const { stdout } = await run('redis-cli', [...cli, '-p', String(port), 'info', 'replication']);
    return !stdout.includes('role:slave') || stdout.includes('master_link_status:up');
  } catch {
    return false;
  }
}

/** Options of {@link startRedisCluster}. */
export interface StartClusterOptions {
  /** Replicas per master (each can take over when its master dies). Defaults to 0. */
  replicas?: number;
  /**
   * `cluster-node-timeout`: how long a node may be unreachable before a failover starts.
   * Defaults to 5 000 ms.
   */
  nodeTimeoutMs?: number;
  /**
   * Every node TLS-only, the cluster bus and replication too (`--tls-cluster yes`,
   * `--tls-replication yes`); the server certificate must also be valid as a client
   * certificate (nodes present it to each other). Defaults to plaintext.
   */
  tls?: RedisServerTls;
}

/**
 * Starts a cluster of `masters` nodes, each with `replicas` replicas (`redis-cli --cluster
 * create`), and waits until every node reports `cluster_state:ok` and every replica is in sync.
 * Servers are listed masters first, in port order, as `redis-cli` assigns them.
 * @param masters - Number of masters. Defaults to 3.
 * @param options - Replicas per master, the node timeout, TLS.
 * @returns A handle with the seed nodes (the masters) and every server.
 */
export async function startRedisCluster(
  masters = 3,
  options: StartClusterOptions = {},
): Promise<RedisClusterHandle> {
  const replicas = options.replicas ?? 0;
  const { tls } = options;
  const cli = tls === undefined ? [] : redisCliTlsArgs(tls);
  const total = masters * (1 + replicas);
  const dir = mkdtempSync(join(tmpdir(), 'fullon-cluster-'));
  const servers: RedisServerHandle[] = [];
  const stop = async () => {
    await Promise.all(servers.map((s) => s.stop()));
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    for (let i = 0; i < total; i++) {
      const port = await findFreePort(true);
      servers.push(
        await startRedisServer({
          port,
          dir,
          ...(tls === undefined ? {} : { tls }),
          args: [
            ...(tls === undefined ? [] : ['--tls-cluster', 'yes', '--tls-replication', 'yes']),
            '--cluster-enabled',
            'yes',
            '--cluster-config-file',
            `nodes-${port}.conf`,
            '--cluster-node-timeout',
            String(options.nodeTimeoutMs ?? 5000),
            // A replica may always take over, however long it was cut off.
            '--cluster-replica-validity-factor',
            '0',
          ],
        }),
      );
    }
    const addresses = servers.map((s) => `127.0.0.1:${s.port}`);
    await run('redis-cli', [
      ...cli,
      '--cluster',
      'create',
      ...addresses,
      '--cluster-replicas',
      String(replicas),
      '--cluster-yes',
    ]);
    for (const server of servers) {
      await waitFor(
        `cluster node ${server.port}`,
        20_000,
        async () =>
          (await clusterStateOk(server.port, total, cli)) &&
          (await replicaInSync(server.port, cli)),
      );
    }
  } catch (error) {
    await stop();
    throw error;
  }
  const seeds = servers.slice(0, masters);
  return { nodes: seeds.map((s) => ({ host: '127.0.0.1', port: s.port })), servers, stop };
}
