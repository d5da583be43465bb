import { defineLayout } from '@fullon/core/author';
import { StatusEntry } from './schema.js';

/**
 * How one entry of a bot status record is stored in the bot's hash: `[1, key, value]`. The key
 * travels with the value, so bytes copied under another field fail the identity check.
 * @internal
 */
export const StatusEntryLayout = defineLayout({
  name: 'bot-status-entry',
  version: 1,
  schema: StatusEntry,
  fields: ['key', 'value'],
});
