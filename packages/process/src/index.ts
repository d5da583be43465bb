// Public API of @fullon/process.
export type { BroadcastSubscription } from './broadcast-subscription.js';
export type {
  ActiveProcessesOptions,
  BroadcastSubscribeOptions,
  CleanupOptions,
  ProcessCacheOptions,
  ProcessMetrics,
  ProcessUpdate,
  RegisterProcessOptions,
  SystemHealth,
  SystemHealthOptions,
} from './process-cache.js';
export { ProcessCache } from './process-cache.js';
export type { Broadcast, ProcessRecord, ProcessStatus, ProcessType } from './schema.js';
export { isJsonValue, JsonObject, JsonValue, PROCESS_STATUSES, PROCESS_TYPES } from './schema.js';
