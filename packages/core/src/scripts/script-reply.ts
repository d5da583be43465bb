/**
 * The status codes every Lua script replies with (alone, or as the first element of a reply
 * array), one meaning per number across every package. The Lua side is generated from this
 * object ({@link LUA_SCRIPT_REPLY}), so a script writes `return ScriptReply.wrongType` and its
 * invoker compares with `ScriptReply.wrongType`: no bare number on either side.
 *
 * Negative codes mean nothing was written and the call fails; `none`, `stale` and `conflict`
 * mean nothing was written and the call answers "no"; `ok` and `added` mean the script did its
 * work.
 */
export const ScriptReply = {
  /** Done: written, taken, acknowledged, released. */
  ok: 1,
  /** Nothing written: the key or entry is absent, or the queue is empty. */
  none: 0,
  /** Done, and something new was created (a new index member, a new field, a first holder). */
  added: 2,
  /** Nothing written: the stored value is newer, or the caller's token is no longer current. */
  stale: 3,
  /** Nothing written: someone else holds it, or it exists already. */
  conflict: 4,
  /** Nothing written: a key holds another Redis type than the script expects. */
  wrongType: -1,
  /** Nothing written: a stored value (a field, a member, a counter) is malformed. */
  corrupt: -2,
  /** Nothing written: the value the script would store breaks a rule (a merge puts bid above ask). */
  invalid: -3,
} as const;

/** One of {@link ScriptReply}'s codes. */
export type ScriptReply = (typeof ScriptReply)[keyof typeof ScriptReply];

/**
 * Defines the Lua table `ScriptReply` with the codes of the TypeScript {@link ScriptReply}
 * (`return ScriptReply.ok`, `return {ScriptReply.wrongType, 1}`); splice it into a script's source.
 */
export const LUA_SCRIPT_REPLY = `
local ScriptReply = {${Object.entries(ScriptReply)
  .map(([name, code]) => `${name} = ${code}`)
  .join(', ')}}
`;
