import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { redisTarget, useTestConnection } from '@fullon/core/testing';
import { describe, expect, it, onTestFinished } from 'vitest';
import type { Section, WorkerSettings } from '../test/lease-worker.js';

const WORKERS = 8;
const SYMBOLS = ['S0', 'S1', 'S2', 'S3', 'S4'];
const TTL_MS = 300;
const DURATION_MS = 10_000;
/** A section that ended this long after its acquisition was sent certainly ran inside its lease. */
const SAFE_MS = TTL_MS - 25;

const workerFile = fileURLToPath(new URL('../test/lease-worker.ts', import.meta.url));
const packageDir = fileURLToPath(new URL('..', import.meta.url));

/** A worker process: ready once connected; `go()` starts its contention; `done` has its sections. */
interface Worker {
  ready: Promise<void>;
  go(): void;
  /** Kills the process if it is still running (a failed or timed-out test leaves no orphan). */
  stop(): void;
  done: Promise<Section[]>;
}

/** Starts one worker process. */
function startWorker(settings: WorkerSettings): Worker {
  let markReady: () => void = () => undefined;
  const ready = new Promise<void>((resolve) => {
    markReady = resolve;
  });
  let child: ReturnType<typeof spawn> | undefined;
  const done = new Promise<Section[]>((resolve, reject) => {
    child = spawn(
      process.execPath,
      ['--import', 'tsx', '--conditions=@fullon/source', workerFile],
      {
        cwd: packageDir,
        env: { ...process.env, FULLON_LEASE_WORKER: JSON.stringify(settings) },
        stdio: ['pipe', 'pipe', 'pipe'],
      },
    );
    let out = '';
    let err = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      out += chunk.toString('utf8');
      if (out.startsWith('ready\n')) markReady();
    });
    child.stderr?.on('data', (chunk: Buffer) => {
      err += chunk.toString('utf8');
    });
    child.stdin?.on('error', () => undefined); // a worker that died cannot take its go
    child.on('error', reject);
    child.on('close', (code) => {
      markReady(); // a worker that died before ready must not hold the others
      if (code !== 0) reject(new Error(`worker ${settings.botId} exited ${code}: ${err}`));
      else resolve(JSON.parse(out.slice('ready\n'.length).trim()) as Section[]);
    });
  });
  done.catch(() => undefined); // awaited later; a failure is reported there
  return {
    ready,
    go: () => {
      child?.stdin?.end('go\n');
    },
    stop: () => {
      if (child !== undefined && child.exitCode === null) child.kill();
    },
    done,
  };
}

describe('blocks under contention from several processes', () => {
  const conn = useTestConnection();

  it(`${WORKERS} processes, ${SYMBOLS.length} symbols, ${TTL_MS} ms leases: no two holders overlap with valid tokens`, async () => {
    const target = redisTarget();
    const address =
      target.mode === 'cluster' ? { clusterNodes: target.nodes } : { url: target.url };
    const workers = Array.from({ length: WORKERS }, (_, i) =>
      startWorker({
        connect: { ...address, prefix: conn().keys.prefix },
        botId: `bot-${i}`,
        exId: 'contention',
        symbols: SYMBOLS,
        ttlMs: TTL_MS,
        durationMs: DURATION_MS,
      }),
    );
    // Starting 8 Node processes with tsx takes a few seconds on a quiet machine and much longer
    // on a loaded one: the contention starts only once every worker is connected.
    // Runs after a pass, a failure or a timeout alike: no worker outlives the test.
    onTestFinished(() => {
      for (const w of workers) w.stop();
    });
    const startedAt = performance.now();
    await Promise.all(workers.map((w) => w.ready));
    const startupMs = Math.round(performance.now() - startedAt);
    for (const w of workers) w.go();
    const sections = (await Promise.all(workers.map((w) => w.done))).flat();
    const valid = sections.filter((s) => s.startOk && s.endOk);
    const fenced = sections.filter((s) => !(s.startOk && s.endOk));
    console.log(
      `lease contention: workers ready after ${startupMs} ms; ${sections.length} blocks taken, ${valid.length} sections accepted, ${fenced.length} refused by the fence`,
    );
    expect(valid.length).toBeGreaterThan(0);

    for (const symbol of SYMBOLS) {
      const mine = sections.filter((s) => s.symbol === symbol);
      // Every acquisition has its own token, and tokens grow with acquisition time.
      expect(new Set(mine.map((s) => s.token)).size).toBe(mine.length);
      const byToken = [...mine].sort((a, b) => a.token - b.token);
      for (let i = 1; i < byToken.length; i++) {
        const [prev, next] = [byToken[i - 1], byToken[i]];
        expect(next?.expiresAt ?? 0).toBeGreaterThanOrEqual(prev?.expiresAt ?? 0);
      }
      // No two accepted sections overlap.
      const accepted = valid.filter((s) => s.symbol === symbol).sort((a, b) => a.start - b.start);
      for (let i = 1; i < accepted.length; i++) {
        const [prev, next] = [accepted[i - 1], accepted[i]];
        expect(
          prev?.end ?? 0,
          `${symbol}: sections ${prev?.token} and ${next?.token} overlap`,
        ).toBeLessThan(next?.start ?? 0);
      }
    }
    // A section that ended within its lease was exclusive: the fence accepted both writes.
    for (const s of sections.filter((x) => x.elapsedEnd < SAFE_MS)) {
      expect(s.startOk && s.endOk, `token ${s.token} refused inside its lease`).toBe(true);
    }
    for (const s of sections.filter((x) => x.elapsedStart < SAFE_MS)) {
      expect(s.startOk, `token ${s.token} refused at its start, inside its lease`).toBe(true);
    }
  }, 240_000); // a bound on the whole run, startup included; not a timing assertion
});
