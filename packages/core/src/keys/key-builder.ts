import { validatePrefix } from '../config/config.js';
import { FullonCacheError } from '../errors.js';

/** Marks a position in a channel pattern that matches any single name. */
export const WILDCARD: unique symbol = Symbol('fullon.wildcard');

/** A channel-pattern part: a literal name, or {@link WILDCARD}. */
export type PatternPart = string | typeof WILDCARD;

// Characters that may stand in a key as they are. Everything else is percent-encoded, which
// removes ':' (our separator), '{' '}' (hash tags), glob characters, spaces and newlines.
const SAFE = /^[A-Za-z0-9/_.\-+@#=,~^|!$&()'"<>;]*$/;
const UNSAFE_CHAR = /[^A-Za-z0-9/_.\-+@#=,~^|!$&()'"<>;]/gu;
const FAMILY = /^[a-z][a-z0-9-]*$/;

/**
 * Stands for the empty name. Never produced otherwise (a real `%` is written `%25`), and never
 * empty: an empty part would give the hash tag `{}`, which Redis Cluster ignores, so keys of
 * one empty tag would scatter over slots.
 */
const EMPTY_PART = '%';

/**
 * Escapes one name (a symbol, an exchange, an id) so that it can stand between separators.
 * Injective: two different names never give the same result, and the result is never empty
 * (the empty name becomes `%`).
 * @param name - Any string, including `{`, `}`, `:`, `*`, spaces or newlines.
 * @returns The name with every unsafe character percent-encoded (UTF-8 bytes).
 */
export function escapeKeyPart(name: string): string {
  if (name === '') return EMPTY_PART;
  if (SAFE.test(name)) return name;
  return name.replace(UNSAFE_CHAR, (ch) => {
    let out = '';
    for (const byte of Buffer.from(ch, 'utf8'))
      out += `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
    return out;
  });
}

/**
 * Reverses {@link escapeKeyPart}.
 * @param part - An escaped name.
 * @returns The original name.
 */
export function unescapeKeyPart(part: string): string {
  if (part === EMPTY_PART) return '';
  return part.includes('%') ? decodeURIComponent(part) : part;
}

const checkedFamilies = new Set<string>();

function checkFamily(family: string): string {
  if (checkedFamilies.has(family)) return family;
  if (FAMILY.test(family)) checkedFamilies.add(family);
  else {
    throw new FullonCacheError(`key family "${family}" must match ${FAMILY.source}`);
  }
  return family;
}

/**
 * Builds every key and channel name under one prefix.
 *
 * Keys read `prefix:family:part:part`; a tagged key reads `prefix:family:{tag}:part`, so keys
 * with the same tag land in the same cluster slot and one Lua script may touch them together.
 * Every part is escaped with {@link escapeKeyPart}, so hostile names can neither collide nor
 * leave the prefix, and the tag is exactly the escaped name. Domain packages call this only
 * from their own `keys.ts`.
 *
 * @example
 * ```ts
 * const kb = new KeyBuilder('fullon');
 * kb.tagged('tick', 'binance', 'BTC/USDT'); // 'fullon:tick:{binance}:BTC/USDT'
 * ```
 */
export class KeyBuilder {
  /** The prefix; validated by the configuration so it holds no tag or glob character. */
  readonly prefix: string;
  readonly #head: string;
  readonly #channelHead: string;

  /**
   * @param prefix - Key prefix, e.g. `fullon`.
   * @throws {ConfigurationError} (variable `prefix`) unless it is 1–64 letters, digits, `_`,
   * `.` or `-`: anything else could add a hash tag, a level or a glob to every key.
   */
  constructor(prefix: string) {
    this.prefix = validatePrefix(prefix, 'prefix');
    this.#head = `${prefix}:`;
    this.#channelHead = `${prefix}:ch:`;
  }

  /**
   * A plain key: `prefix:family:parts…`.
   * @param family - Key family, lower-case letters, digits and dashes.
   * @param parts - Names, escaped here.
   * @returns The key.
   */
  key(family: string, ...parts: string[]): string {
    let out = this.#head + checkFamily(family);
    for (const part of parts) out += `:${escapeKeyPart(part)}`;
    return out;
  }

  /**
   * A key with a hash tag: `prefix:family:{tag}:parts…`.
   * @param family - Key family.
   * @param tag - Name that decides the cluster slot (e.g. the exchange).
   * @param parts - Further names.
   * @returns The key.
   */
  tagged(family: string, tag: string, ...parts: string[]): string {
    let out = `${this.#head}${checkFamily(family)}:{${escapeKeyPart(tag)}}`;
    for (const part of parts) out += `:${escapeKeyPart(part)}`;
    return out;
  }

  /**
   * A pub/sub channel: `prefix:ch:family:parts…`.
   * @param family - Channel family.
   * @param parts - Names, escaped here.
   * @returns The channel name.
   */
  channel(family: string, ...parts: string[]): string {
    let out = this.#channelHead + checkFamily(family);
    for (const part of parts) out += `:${escapeKeyPart(part)}`;
    return out;
  }

  /**
   * A channel pattern for PSUBSCRIBE; {@link WILDCARD} matches one name, and a trailing
   * wildcard matches the rest. Escaped names hold no glob characters, so literals stay literal.
   * @param family - Channel family.
   * @param parts - Names or {@link WILDCARD}.
   * @returns The glob pattern.
   */
  channelPattern(family: string, ...parts: PatternPart[]): string {
    let out = this.#channelHead + checkFamily(family);
    for (const part of parts) out += `:${part === WILDCARD ? '*' : escapeKeyPart(part)}`;
    return out;
  }

  /** @returns The SCAN pattern matching every key under this prefix and nothing else. */
  scanPattern(): string {
    return `${this.#head}*`;
  }
}
