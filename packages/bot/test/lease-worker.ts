// A contender of the multi-process lease test (src/lease-contention.test.ts), run as its own
// process: takes blocks on random symbols, and inside each block makes two fenced writes
// (start, end) to a resource that refuses a token lower than the highest it has seen. Pauses
// are often longer than the lease, so leases expire under the worker's feet. Prints what it
// saw as one JSON line.
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { BotCache } from '@fullon/bot';
import { type CacheConnectionLike, type ConnectOptions, connect } from '@fullon/core';
import { defineScript, LUA_NOW_MS, LUA_SCRIPT_REPLY, ScriptReply } from '@fullon/core/author';

/** One block taken, and what the resource said about its two writes. */
export interface Section {
  symbol: string;
  token: number;
  /** Lease expiry the acquisition reported (server ms). */
  expiresAt: number;
  startOk: boolean;
  endOk: boolean;
  /** Server time (µs) of the start and end writes. */
  start: number;
  end: number;
  /** Local ms from sending the acquisition to the reply of the start / end write. */
  elapsedStart: number;
  elapsedEnd: number;
}

/** The worker's settings, passed as JSON in FULLON_LEASE_WORKER. */
export interface WorkerSettings {
  connect: ConnectOptions;
  botId: string;
  exId: string;
  symbols: string[];
  ttlMs: number;
  durationMs: number;
}

/** The protected resource: accepts a write unless its token is lower than the highest seen. */
const FENCED_WRITE = defineScript(
  'test.fenced-write',
  `-- KEYS[1] the resource | ARGV[1] token, ARGV[2] writer
${LUA_NOW_MS}${LUA_SCRIPT_REPLY}
local highest = tonumber(redis.call('HGET', KEYS[1], 'highest') or '0')
local now = now_us()
if tonumber(ARGV[1]) < highest then return {ScriptReply.stale, now} end
redis.call('HSET', KEYS[1], 'highest', ARGV[1], 'writer', ARGV[2])
return {ScriptReply.ok, now}
`,
);

async function fencedWrite(
  conn: CacheConnectionLike,
  symbol: string,
  token: number,
  writer: string,
): Promise<[boolean, number]> {
  const key = conn.keys.tagged('test-fenced', symbol);
  const [ok, at] = await conn.runScript<[number, number]>(
    FENCED_WRITE,
    [key],
    [String(token), writer],
  );
  return [ok === ScriptReply.ok, at];
}

async function run(settings: WorkerSettings): Promise<Section[]> {
  const conn = await connect(settings.connect);
  const bots = new BotCache(conn);
  const sections: Section[] = [];
  const { exId, botId, symbols, ttlMs } = settings;
  // Start together: say ready, wait for the parent's go (any line on stdin).
  process.stdout.write('ready\n');
  const go = await new Promise<boolean>((resolve) => {
    process.stdin.once('data', () => resolve(true));
    process.stdin.once('end', () => resolve(false)); // the parent is gone: do not contend
  });
  if (!go) {
    await conn.close();
    return sections;
  }
  process.stdin.pause();
  const deadline = performance.now() + settings.durationMs;
  try {
    while (performance.now() < deadline) {
      const symbol = symbols[Math.floor(Math.random() * symbols.length)] ?? 'S0';
      const sentAt = performance.now();
      const lease = await bots.blockExchange(exId, symbol, botId, { ttlMs });
      if (!lease.acquired) {
        await sleep(Math.random() * 30);
        continue;
      }
      const [startOk, start] = await fencedWrite(conn, symbol, lease.token, botId);
      const elapsedStart = performance.now() - sentAt;
      // Half the pauses outlast the lease: a stalled holder whose block another bot takes.
      await sleep(
        Math.random() < 0.5 ? Math.random() * (ttlMs / 2) : ttlMs + Math.random() * ttlMs,
      );
      const [endOk, end] = await fencedWrite(conn, symbol, lease.token, botId);
      const elapsedEnd = performance.now() - sentAt;
      sections.push({
        symbol,
        token: lease.token,
        expiresAt: lease.expiresAt,
        startOk,
        endOk,
        start,
        end,
        elapsedStart,
        elapsedEnd,
      });
      await bots.unblockExchange(exId, symbol, botId, { token: lease.token });
    }
  } finally {
    await conn.close();
  }
  return sections;
}

const settings = JSON.parse(process.env.FULLON_LEASE_WORKER ?? '{}') as WorkerSettings;
process.stdout.write(`${JSON.stringify(await run(settings))}\n`);
