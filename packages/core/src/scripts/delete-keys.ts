import { defineScript } from './script.js';

/**
 * Deletes several keys in one step (they share a hash tag).
 *
 * KEYS every key to delete | no ARGV
 * Returns how many existed.
 */
export const DELETE_KEYS = defineScript(
  'core.delete-keys',
  `-- KEYS[1..] keys to delete | no ARGV
return redis.call('DEL', unpack(KEYS))
`,
);
