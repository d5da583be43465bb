// Public API of @fullon/process.
export type { ProcessCacheOptions } from './options.js';
export { ProcessCache } from './process-cache.js';
export type { Broadcast, ProcessRecord, ProcessStatus, ProcessType } from './schema.js';
export { isJsonValue, JsonObject, JsonValue, PROCESS_STATUSES, PROCESS_TYPES } from './schema.js';
export type {
  ActiveProcessesOptions,
  BroadcastSubscribeOptions,
  BroadcastSubscription,
  CleanupOptions,
  ProcessMetrics,
  ProcessUpdate,
  RegisterProcessOptions,
  SystemHealth,
  SystemHealthOptions,
} from './types.js';
