/** Default time cached metadata (symbols, exchanges, catalog) lives: 86 400 000 ms (24 h). */
export const DEFAULT_METADATA_TTL_MS = 86_400_000;

/** Default cap of a websocket error list: the newest 1 000 messages are kept. */
export const DEFAULT_WS_ERROR_CAP = 1_000;

/** How long a read-through loader may take before its waiters get a `TimeoutError`: 30 s. */
export const DEFAULT_LOAD_TIMEOUT_MS = 30_000;
