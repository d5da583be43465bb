import type { SendOptions } from '../connection/connection-like.js';

/**
 * The send options that read bulk strings as `Buffer` (`conn.send(key, args, BUFFERS)`): codec
 * bytes must be read this way, since a UTF-8 string would mangle them. Frozen, so one shared
 * object serves every call.
 */
export const BUFFERS: SendOptions = Object.freeze({ buffers: true });
