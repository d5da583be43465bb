import { defineLayout } from '@fullon/core/author';
import { StatusEntry } from './schema.js';

/**
 * How one entry of a bot status record is stored in the bot's hash: `[2, key, botId, value]`.
 * The key and the bot travel with the value, so bytes copied under another field or into
 * another bot's record fail the identity check. (Version 1 lacked `botId`: such an entry reads
 * as corrupt until the bot's record is written again with `replace: true`, or expires.)
 * @internal
 */
export const StatusEntryLayout = defineLayout({
  name: 'bot-status-entry',
  version: 2,
  schema: StatusEntry,
  fields: ['key', 'botId', 'value'],
});
