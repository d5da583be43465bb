/**
 * A JSON value: what a free-form field (a bot's status data, a process's `params`, a broadcast's
 * `data`) may hold once checked. Numbers are finite; objects are plain.
 */
export type JsonValue =
  | null
  | boolean
  | number
  | string
  | JsonValue[]
  | { [key: string]: JsonValue };
