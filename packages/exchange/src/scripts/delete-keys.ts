import { defineScript } from '@fullon/core';

/**
 * Deletes several keys in one step (they share a hash tag).
 *
 * KEYS every key to delete
 * Returns how many existed.
 */
export const deleteKeys = defineScript(
  'exchange.delete-keys',
  `-- KEYS[1..] keys to delete | no ARGV
return redis.call('DEL', unpack(KEYS))
`,
);
