export { CLOSE_LOAD_CALLS, describeConformance } from './describe-conformance.js';
export { describeStallConformance, STALL_SOCKET_TIMEOUT_MS } from './describe-stalls.js';
export { type GarbageKind, garbageKinds } from './garbage.js';
export { PROTOTYPE_NAMES } from './hostile.js';
export { type KeyspaceSnapshot, keyspaceDiff, snapshotKeyspace } from './snapshot.js';
export {
  type ConformanceTable,
  defineConformance,
  type FamilySpec,
  type FieldKind,
  type LifecycleMethod,
  type MethodKind,
  type MethodNames,
  type MethodSpec,
  type ParamKind,
  type ParamSpec,
} from './table.js';
