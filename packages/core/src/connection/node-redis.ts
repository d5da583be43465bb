/**
 * The one module that imports node-redis: every other part of the connection goes through the
 * transport, so a move to node-redis v5 changes this folder's transport files only.
 * @internal
 * @module
 */
import {
  ClientClosedError,
  ClientOfflineError,
  createClient,
  createCluster,
  ErrorReply,
} from 'redis';

export { createClient, createCluster };

/** A node-redis v4 client to one server (also the type of a cluster's node clients). */
export type StandaloneClient = ReturnType<typeof createClient>;

/** A node-redis v4 cluster client. */
export type ClusterClient = ReturnType<typeof createCluster>;

/**
 * Whether `error` is an error reply of the server (the command reached Redis and was refused).
 * @param error - Anything caught.
 * @returns `true` for a node-redis `ErrorReply`.
 */
export function isServerReply(error: unknown): error is Error {
  return error instanceof ErrorReply;
}

/**
 * Whether `error` says the client was offline, so the command was never written.
 * @param error - Anything caught.
 * @returns `true` for a node-redis `ClientOfflineError`.
 */
export function isOffline(error: unknown): boolean {
  return error instanceof ClientOfflineError;
}

/**
 * Whether `error` proves the command was never written: the client was offline or closed, or
 * no pooled connection came in time (generic-pool's `TimeoutError`).
 * @param error - Anything caught.
 * @returns `true` when the command certainly did not reach the server.
 */
export function isNotSent(error: unknown): boolean {
  return (
    error instanceof ClientOfflineError ||
    error instanceof ClientClosedError ||
    (error instanceof Error && error.name === 'TimeoutError')
  );
}
