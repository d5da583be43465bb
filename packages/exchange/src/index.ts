export { DEFAULT_METADATA_TTL_MS, DEFAULT_WS_ERROR_CAP } from './defaults.js';
export type { ExchangeCacheOptions, ExchangeLoaders, InvalidateTarget } from './exchange-cache.js';
export { ExchangeCache } from './exchange-cache.js';
export type { CachedSymbol, ExchangeInput } from './schema.js';
export { CatExchange, Exchange, Id, SymbolInfo, UpdateFrame } from './schema.js';
export type { SymbolCacheOptions } from './symbol-cache.js';
export { SymbolCache } from './symbol-cache.js';
export type { PopWsErrorOptions } from './ws-errors.js';
export { WsErrorMessage } from './ws-errors.js';
