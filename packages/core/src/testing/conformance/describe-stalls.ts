import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connect } from '../../connection/connect.js';
import type { CacheConnection } from '../../connection/connection.js';
import { ConnectionError } from '../../errors.js';
import { type RedisServerHandle, startRedisServer } from '../../server/redis-server.js';
import { describeOutcome, invokeMethod } from './invoke.js';
import type { ConformanceTable, MethodSpec } from './table.js';

/** Socket timeout of the stalled connection: the call must give up about then. */
export const STALL_SOCKET_TIMEOUT_MS = 1_000;
/** The wait the stalled call asks for (longer than the socket timeout). */
const STALLED_WAIT_MS = 3_000;
/** How long the later call may wait for the item (past the abandoned call's own deadline). */
const LATER_WAIT_MS = 8_000;
/** Slack on a busy two-core machine for a call to settle after its deadline. */
const SETTLE_MARGIN_MS = 1_500;

/** The arguments with the options' `timeoutMs` replaced. */
function withWait<C>(spec: MethodSpec<C>, timeoutMs: number): unknown[] {
  const args = spec.args(0);
  const index = spec.params.findIndex((p) => p.kind === 'options');
  if (index < 0) return args;
  args[index] = { ...(args[index] as object), timeoutMs };
  return args;
}

async function blockedClients(conn: CacheConnection): Promise<number> {
  const info = await conn.send<string>(undefined, ['INFO', 'clients']);
  return Number(/blocked_clients:(\d+)/.exec(info)?.[1] ?? 0);
}

/**
 * Registers the stall checks of a package's waiting methods (`take` entries with `pushItem`):
 * on a server the test owns, the call waits, the server is SIGSTOPped past the socket timeout
 * while another client pushes an item, and the call must settle by its deadline with a typed
 * error; after SIGCONT the item must reach a later call — never the abandoned one. Call it in a
 * `*.faults.test.ts` file (the `faults` project, one file at a time).
 * @param table - The package's table.
 */
export function describeStallConformance<C extends object>(table: ConformanceTable<C>): void {
  const takes = (Object.entries(table.methods) as [string, MethodSpec<C>][]).filter(
    ([, spec]) => spec.kind === 'take' && spec.pushItem !== undefined,
  );
  describe(`stall conformance: ${table.name}`, () => {
    let server: RedisServerHandle;
    beforeAll(async () => {
      server = await startRedisServer();
    });
    afterAll(async () => {
      await server.stop();
    });

    it('the table declares a stall case for every waiting method', () => {
      const waiting = Object.entries(table.methods)
        .filter(([, spec]) => (spec as MethodSpec<C>).kind === 'take')
        .map(([name]) => name);
      expect(takes.map(([name]) => name)).toEqual(waiting);
    });

    for (const [name, spec] of takes) {
      it(`${name}: settles by its deadline during a stall; the item pushed meanwhile reaches a later call`, async () => {
        const prefix = `stall-${name}`;
        const stalled = await connect({
          url: server.url,
          prefix,
          socketTimeoutMs: STALL_SOCKET_TIMEOUT_MS,
        });
        const other = await connect({ url: server.url, prefix });
        try {
          const cache = table.create(stalled);
          const pusher = table.create(other);
          await table.seed(pusher, other);
          // Drain what the seed queued, so the only item left is the one pushed in the stall.
          for (let n = 0; n < 1_000; n++) {
            const drained = await invokeMethod(pusher, name, spec, withWait(spec, 0));
            if (drained.kind !== 'resolved' || drained.value === null) break;
          }
          const started = performance.now();
          const call = invokeMethod(cache, name, spec, withWait(spec, STALLED_WAIT_MS));
          await expect.poll(() => blockedClients(other), { timeout: 5_000 }).toBeGreaterThan(0);
          server.pauseServer();
          const push = (spec.pushItem as (c: C) => Promise<void>)(pusher);
          const outcome = await call;
          const tookMs = performance.now() - started;
          server.resumeServer();
          await push;
          expect(
            outcome.kind === 'rejected' && ConnectionError.is(outcome.error),
            describeOutcome(outcome),
          ).toBe(true);
          expect(tookMs).toBeLessThan(STALLED_WAIT_MS + SETTLE_MARGIN_MS);
          const later = await invokeMethod(cache, name, spec, withWait(spec, LATER_WAIT_MS));
          expect(later.kind, describeOutcome(later)).toBe('resolved');
          expect(later.kind === 'resolved' ? later.value : null).not.toBeNull();
          const none = await invokeMethod(cache, name, spec, withWait(spec, 0));
          expect(none.kind === 'resolved' ? none.value : 'failed', 'delivered once').toBeNull();
        } finally {
          server.resumeServer();
          await stalled.clear().catch(() => undefined);
          await stalled.close();
          await other.close();
        }
      });
    }
  });
}
