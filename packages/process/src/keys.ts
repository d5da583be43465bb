import type { KeyBuilderLike } from '@fullon/core';

/**
 * Hash tag of every process key: the registry is one slot, so one script may write a record
 * together with the indexes. Processes are few (hundreds live, their history bounded by the
 * TTL), so one slot serves them comfortably.
 */
const TAG = 'processes';

/**
 * Every key and channel of `@fullon/process`. The only place this package names keys.
 *
 * | key / channel | type | content | bound |
 * |---|---|---|---|
 * | `process:{processes}:<processId>` | string | the record tuple | TTL `ttlMs` (24 h) from its last heartbeat; a stopped record `ttlMs` from its stop |
 * | `process-live:{processes}` | zset | processId → lastSeen (ms), every process not stopped | entries older than `ttlMs` pruned by writes (≤ 100 per write) and by cleanup; key TTL `ttlMs` from the last write |
 * | `process-stopped:{processes}` | zset | processId → stop time (ms) | same |
 * | `process-components:{processes}` | hash | component → processId of its latest registration | entries of expired records dropped by cleanup; key TTL `ttlMs` from the last write |
 * | channel `ch:process-broadcast:<type>` | pub/sub | broadcast tuples | n/a |
 * @internal Imported by the cache, its tests and `bench/` by relative path.
 */
export class ProcessKeys {
  readonly #kb: KeyBuilderLike;
  /** The index of processes not stopped, by last heartbeat. */
  readonly live: string;
  /** The index of stopped processes, by stop time. */
  readonly stopped: string;
  /** Component → latest processId. */
  readonly components: string;

  /** @param kb - The connection's key builder. */
  constructor(kb: KeyBuilderLike) {
    this.#kb = kb;
    this.live = kb.tagged('process-live', TAG);
    this.stopped = kb.tagged('process-stopped', TAG);
    this.components = kb.tagged('process-components', TAG);
  }

  /**
   * @param processId - A process id.
   * @returns The key of its record.
   */
  record(processId: string): string {
    return this.#kb.tagged('process', TAG, processId);
  }

  /**
   * @param type - A process type.
   * @returns The channel of broadcasts to that type.
   */
  broadcast(type: string): string {
    return this.#kb.channel('process-broadcast', type);
  }
}
