import {
  type CacheConnection,
  ConfigurationError,
  DecodeError,
  jsonCodec,
  msgpackCodec,
  ValidationError,
} from '@fullon/core';
import { rejection, testConnection, useTestConnection } from '@fullon/core/testing';
import { describe, expect, it } from 'vitest';
import { ProcessKeys } from './keys.js';
import { ProcessCache } from './process-cache.js';
import type { Broadcast, JsonObject } from './schema.js';

/** Object-prototype member names: each is a name like any other. */
const PROTO_NAMES = ['constructor', '__proto__', 'toString', 'hasOwnProperty', 'prototype'];

/** An object with those names as own keys (a literal `__proto__:` would set the prototype). */
function protoObject(value: (name: string, i: number) => unknown): JsonObject {
  const out: JsonObject = {};
  PROTO_NAMES.forEach((name, i) => {
    Object.defineProperty(out, name, { value: value(name, i), enumerable: true, writable: true });
  });
  return out;
}

/** Own property value, never an inherited one. */
function own(object: object | undefined, name: string): unknown {
  return object === undefined ? undefined : Object.getOwnPropertyDescriptor(object, name)?.value;
}

async function withOwnConnection(
  codec: typeof msgpackCodec,
  body: (conn: CacheConnection, reports: DecodeError[]) => Promise<void>,
): Promise<void> {
  const reports: DecodeError[] = [];
  const conn = await testConnection({ codec, onCorrupt: (error) => reports.push(error) });
  try {
    await body(conn, reports);
  } finally {
    await conn.clear();
    await conn.close();
  }
}

describe('ProcessCache: prototype names, wrong-type options, stored garbage', () => {
  const conn = useTestConnection();

  it('counts types and statuses named like Object.prototype members', async () => {
    await withOwnConnection(msgpackCodec, async (own_) => {
      const processes = new ProcessCache(own_);
      for (const name of PROTO_NAMES) {
        await processes.registerProcess(name, `c-${name}`, { status: name });
        await processes.registerProcess(name, `d-${name}`, { status: name });
      }
      const health = await processes.getSystemHealth();
      const metrics = await processes.getMetrics();
      expect(health.totalProcesses).toBe(10);
      for (const name of PROTO_NAMES) {
        expect(own(health.byType, name), name).toBe(2);
        expect(own(health.byStatus, name), name).toBe(2);
        expect(own(metrics.activeByType, name), name).toBe(2);
      }
      expect(Object.keys(health.byType).sort()).toEqual([...PROTO_NAMES].sort());
      expect(Object.keys(health.byStatus).sort()).toEqual([...PROTO_NAMES].sort());
      expect(Object.keys(metrics.activeByType).sort()).toEqual([...PROTO_NAMES].sort());
      const listed = await processes.getActiveProcesses({ type: '__proto__' });
      expect(listed.map((r) => r.status)).toEqual(['__proto__', '__proto__']);
    });
  });

  it('params named like Object.prototype members round-trip, through the merge too', async () => {
    for (const codec of [msgpackCodec, jsonCodec]) {
      await withOwnConnection(codec, async (own_, reports) => {
        const processes = new ProcessCache(own_);
        const params = protoObject((name, i) => ({ i, [name]: name }));
        const id = await processes.registerProcess('tick', 'proto-params', { params });
        const read = await processes.getProcess(id);
        expect(Object.keys(read?.params ?? {}).sort(), codec.name).toEqual([...PROTO_NAMES].sort());
        for (const [i, name] of PROTO_NAMES.entries()) {
          expect(own(read?.params, name), `${codec.name} ${name}`).toEqual(params[name]);
          expect(own(own(read?.params, name) as object, name), name).toBe(name);
          expect((own(read?.params, name) as { i: number }).i).toBe(i);
        }
        const merged = await processes.updateProcess(id, {
          params: protoObject(() => 'merged'),
        });
        for (const name of PROTO_NAMES) expect(own(merged?.params, name), name).toBe('merged');
        const listed = await processes.getActiveProcesses({ component: 'proto-params' });
        expect(listed.map((r) => own(r.params, '__proto__'))).toEqual(['merged']);
        // A name holding NUL (the escape of __proto__ in storage) is refused like any name
        // with a control character, so the escape can never meet a user's name.
        for (const bad of ['\u0000x', '\u0000__proto__', '\u0000\u0000']) {
          const error = await rejection(
            processes.registerProcess('tick', 'nul-params', { params: { [bad]: 1, x: 4 } }),
          );
          expect(ValidationError.is(error) && error.field, JSON.stringify(bad)).toBe(
            `options.params.${bad}`,
          );
        }
        expect(await processes.getComponentStatus('nul-params')).toBeNull();
        expect(reports).toEqual([]);
      });
    }
  });

  it('broadcast data named like Object.prototype members arrives whole', async () => {
    for (const codec of [msgpackCodec, jsonCodec]) {
      await withOwnConnection(codec, async (own_, reports) => {
        const processes = new ProcessCache(own_);
        const stream = processes.subscribeBroadcasts('__proto__');
        await stream.ready;
        const data = protoObject((name) => protoObject(() => name));
        await processes.broadcast('__proto__', 'hello', data);
        // A dropped first message shows as 'end' here instead of a hang.
        await processes.broadcast('__proto__', 'end');
        const next = await stream.next();
        await stream.close();
        const received = next.value as Broadcast;
        expect(received.message, codec.name).toBe('hello');
        expect(received.type).toBe('__proto__');
        expect(Object.keys(received.data).sort(), codec.name).toEqual([...PROTO_NAMES].sort());
        for (const name of PROTO_NAMES) {
          const inner = own(received.data, name) as object;
          expect(Object.keys(inner).sort(), name).toEqual([...PROTO_NAMES].sort());
          expect(own(inner, '__proto__'), name).toBe(name);
        }
        expect(reports).toEqual([]);
      });
    }
  });

  it('null or wrong-type options: ConfigurationError in the constructor, rejected ValidationError in methods', async () => {
    const processes = new ProcessCache(conn());
    for (const value of [null, 5, 'x', new Map(), new Date(), []]) {
      let error: unknown;
      try {
        new ProcessCache(conn(), value as object);
      } catch (caught) {
        error = caught;
      }
      expect(ConfigurationError.is(error) && error.variable, String(value)).toBe('options');
      const calls: (() => Promise<unknown>)[] = [
        () => processes.cleanupStaleProcesses(value as object),
        () => processes.getSystemHealth(value as object),
        () => processes.getActiveProcesses(value as object),
        () => processes.registerProcess('tick', 'opts', value as object),
        () => processes.updateProcess('some-id', value as object),
        () => processes.subscribeBroadcasts('tick', value as object).ready,
      ];
      for (const call of calls) {
        let promise: Promise<unknown> | undefined;
        expect(() => {
          promise = call();
        }, String(value)).not.toThrow();
        const rejected = await rejection(promise ?? Promise.resolve());
        expect(ValidationError.is(rejected) && rejected.field, `${call} ${String(value)}`).toMatch(
          /^(options|update)$/,
        );
      }
    }
  });

  it('params and data must be plain objects: a Map, Date or array is refused', async () => {
    const processes = new ProcessCache(conn());
    for (const value of [new Map([['a', 1]]), new Date(), [1], null]) {
      const registered = await rejection(
        processes.registerProcess('tick', 'p', { params: value as unknown as JsonObject }),
      );
      expect(ValidationError.is(registered) && registered.field).toBe('options.params');
      const sent = await rejection(
        processes.broadcast('tick', 'm', value as unknown as JsonObject),
      );
      expect(ValidationError.is(sent) && sent.field).toBe('data');
    }
  });

  it('rejects a lone surrogate in a message like in a name', async () => {
    const processes = new ProcessCache(conn());
    const id = await processes.registerProcess('tick', 'surrogates');
    const lone = 'half \uD800 a pair';
    const cases: [Promise<unknown>, string][] = [
      [processes.registerProcess('tick', 'surrogates', { message: lone }), 'options.message'],
      [processes.updateProcess(id, { message: lone }), 'message'],
      [processes.stopProcess(id, lone), 'message'],
      [processes.broadcast('tick', lone), 'message'],
    ];
    for (const [call, field] of cases) {
      const error = await rejection(call);
      expect(ValidationError.is(error) && error.field, field).toBe(field);
    }
    expect((await processes.getProcess(id))?.status).toBe('starting');
  });

  it('garbage in process-components is a DecodeError naming the key', async () => {
    const processes = new ProcessCache(conn());
    const { components } = new ProcessKeys(conn().keys);
    for (const garbage of ['', 'x'.repeat(300)]) {
      await conn().send(components, ['HSET', components, 'garbage-component', garbage]);
      const error = await rejection(processes.getComponentStatus('garbage-component'));
      expect(DecodeError.is(error) && [error.key, error.field], JSON.stringify(garbage)).toEqual([
        components,
        'garbage-component',
      ]);
    }
    await conn().send(components, ['HDEL', components, 'garbage-component']);
  });

  it('an out-of-range heartbeat score is skipped and reported, never listed as a time', async () => {
    await withOwnConnection(msgpackCodec, async (own_, reports) => {
      const processes = new ProcessCache(own_);
      const keys = new ProcessKeys(own_.keys);
      const good = await processes.registerProcess('tick', 'scores');
      const ids: string[] = [];
      const scores = ['inf', '-1', '1e300'];
      for (const score of scores) ids.push(await processes.registerProcess('tick', `s-${score}`));
      // After the registrations: a write prunes index entries older than the TTL (as -1 is).
      for (const [i, score] of scores.entries()) {
        await own_.send(keys.live, ['ZADD', keys.live, score, ids[i] ?? '']);
      }
      const listed = await processes.getActiveProcesses({ maxAgeMs: 1e15 });
      expect(listed.map((r) => r.processId)).toEqual([good]);
      expect(
        reports.map((r) => [r.key, r.field]),
        String(reports),
      ).toEqual(expect.arrayContaining(ids.map((id) => [keys.live, id])));
      reports.length = 0;
      const health = await processes.getSystemHealth({ maxAgeMs: 1e15 });
      expect(health.totalProcesses).toBe(1);
      expect(reports.length).toBe(3);
      reports.length = 0;
      // Cleanup drops the garbage entries (and reports them); the good process stays.
      expect(await processes.cleanupStaleProcesses()).toBe(3);
      expect(reports.map((r) => r.field).sort()).toEqual([...ids].sort());
      expect(await own_.send<number>(keys.live, ['ZCARD', keys.live])).toBe(1);
    });
  });
});
