import type { FieldKind, ParamSpec } from './table.js';

/** A hostile value with a label for messages. */
export interface Hostile {
  readonly label: string;
  readonly value: unknown;
}

/** One generated call: valid arguments with one hostile value in them. */
export interface HostileCase {
  /** e.g. `exchange = ''` or `options.timeoutMs = NaN`. */
  readonly label: string;
  readonly args: unknown[];
  /** What the error must name: the parameter, or `param.field`'s field. */
  readonly names: string;
}

/** Names that are object-prototype members: valid names, but traps for `{}`-built results. */
export const PROTOTYPE_NAMES = [
  'constructor',
  '__proto__',
  'toString',
  'hasOwnProperty',
  'prototype',
  'valueOf',
] as const;

const HUGE_TEXT = 'x'.repeat(1_000_000);

function h(label: string, value: unknown): Hostile {
  return { label, value };
}

/** Not plain objects, where one is expected. */
const NOT_PLAIN: readonly Hostile[] = [
  h('null', null),
  h('42', 42),
  h("'text'", 'text'),
  h('[]', []),
  h('Map', new Map([['a', 1]])),
  h('Set', new Set([1])),
  h('Date', new Date(0)),
  h('a function', () => undefined),
];

const NOT_NUMBERS: readonly Hostile[] = [
  h('NaN', Number.NaN),
  h('Infinity', Number.POSITIVE_INFINITY),
  h('-Infinity', Number.NEGATIVE_INFINITY),
  h("'5'", '5'),
  h('null', null),
  h('{}', {}),
  h('true', true),
];

/** Strings no name may be (empty, too long, control characters, lone surrogates). */
const BAD_STRINGS: readonly Hostile[] = [
  h("''", ''),
  h('a 1e6-character string', HUGE_TEXT),
  h('a lone surrogate', 'a\uD800b'),
  h('a newline', 'a\nb'),
  h('a NUL', 'a\u0000b'),
];

const NOT_STRINGS: readonly Hostile[] = [
  h('42', 42),
  h('true', true),
  h('null', null),
  h('{}', {}),
  h('[]', []),
  h('NaN', Number.NaN),
  h('a Date', new Date(0)),
  h('a Map', new Map()),
];

const BAD_IDS: readonly Hostile[] = [
  h('-1', -1),
  h('1.5', 1.5),
  h('NaN', Number.NaN),
  h('Infinity', Number.POSITIVE_INFINITY),
  h('-Infinity', Number.NEGATIVE_INFINITY),
  h('2**64', 2 ** 64),
  h('1e308', 1e308),
  h('true', true),
  h('null', null),
  h('{}', {}),
  h('[]', []),
  ...BAD_STRINGS,
];

const BAD_EPOCH: readonly Hostile[] = [
  h('1 (seconds-like)', 1),
  h('1.7e9 (seconds)', 1.7e9),
  h('-1', -1),
  h('2**64', 2 ** 64),
  h('1e308', 1e308),
  ...NOT_NUMBERS,
];

const BAD_WAIT: readonly Hostile[] = [
  h('-1', -1),
  h('1.5', 1.5),
  h('2**64', 2 ** 64),
  h('1e308', 1e308),
  ...NOT_NUMBERS,
];

const BAD_TTL: readonly Hostile[] = [h('0', 0), h('-0', -0), ...BAD_WAIT];

const BAD_COUNT: readonly Hostile[] = [h('0', 0), h('-0', -0), ...BAD_WAIT];

const BAD_SIGNAL: readonly Hostile[] = [
  h('{}', {}),
  h("'signal'", 'signal'),
  h('42', 42),
  h('null', null),
  h('an EventTarget', new EventTarget()),
  h('a look-alike', { aborted: false, addEventListener: 1 }),
];

const BAD_BOOLEAN: readonly Hostile[] = [h("'true'", 'true'), h('1', 1), h('null', null)];

const BAD_TEXT: readonly Hostile[] = [
  ...NOT_STRINGS,
  h('a lone surrogate', 'a\uDC00'),
  h('a 1e6-character string', HUGE_TEXT),
];

/**
 * The hostile values for a field of a record or an options object.
 * @param kind - The field's kind.
 * @returns Values a valid call must reject there.
 */
export function hostileForField(kind: FieldKind): readonly Hostile[] {
  switch (kind) {
    case 'name':
      return [...NOT_STRINGS, ...BAD_STRINGS];
    case 'choice':
      return [...NOT_STRINGS, h("''", ''), h("'no such choice'", 'no such choice')];
    case 'id':
      return BAD_IDS;
    case 'text':
      return BAD_TEXT;
    case 'number':
      return NOT_NUMBERS;
    case 'nonNegative':
      return [h('-1', -1), ...NOT_NUMBERS];
    case 'epochMs':
      return BAD_EPOCH;
    case 'waitMs':
      return BAD_WAIT;
    case 'ttlMs':
      return BAD_TTL;
    case 'count':
      return BAD_COUNT;
    case 'boolean':
      return BAD_BOOLEAN;
    case 'signal':
      return BAD_SIGNAL;
  }
}

/**
 * The hostile values for a whole parameter.
 * @param spec - The parameter.
 * @returns Values a valid call must reject there.
 */
export function hostileForParam(spec: ParamSpec): readonly Hostile[] {
  const missing = spec.optional === true ? [] : [h('undefined', undefined)];
  switch (spec.kind) {
    case 'name':
      return [...missing, ...hostileForField('name').filter((x) => x.value !== undefined)];
    case 'id':
      return [...missing, ...BAD_IDS];
    case 'text':
      return [...missing, ...BAD_TEXT];
    case 'count':
      return [...missing, ...BAD_COUNT];
    case 'epochMs':
      return [...missing, ...BAD_EPOCH];
    case 'record':
    case 'map':
    case 'options':
      return [...missing, ...NOT_PLAIN];
    case 'records':
      return [
        ...missing,
        ...NOT_PLAIN.filter((x) => !Array.isArray(x.value)),
        h('{}', {}),
        h('[42]', [42]),
        h('[null]', [null]),
      ];
    case 'data':
      return [];
  }
}

/** Replaces `args[index]` with `value`, or one field of the object at `args[index]`. */
function withValue(args: readonly unknown[], index: number, value: unknown, field?: string) {
  const copy = [...args];
  if (field === undefined) {
    copy[index] = value;
    return copy;
  }
  const base = args[index];
  if (Array.isArray(base)) {
    const [first, ...rest] = base;
    copy[index] = [{ ...(first as object), [field]: value }, ...rest];
  } else {
    copy[index] = { ...(base as object), [field]: value };
  }
  return copy;
}

/**
 * Every hostile call of a method: each parameter replaced by each of its hostile values, then
 * each declared field of a record, records or options parameter.
 * @param params - The method's parameters.
 * @param valid - Valid arguments.
 * @returns The cases.
 */
export function hostileCases(
  params: readonly ParamSpec[],
  valid: readonly unknown[],
): HostileCase[] {
  const cases: HostileCase[] = [];
  params.forEach((param, index) => {
    for (const { label, value } of hostileForParam(param)) {
      cases.push({
        label: `${param.name} = ${label}`,
        args: withValue(valid, index, value),
        names: param.name,
      });
    }
    for (const [field, kind] of Object.entries(param.fields ?? {})) {
      for (const { label, value } of hostileForField(kind)) {
        cases.push({
          label: `${param.name}.${field} = ${label}`,
          args: withValue(valid, index, value, field),
          names: field,
        });
      }
    }
  });
  return cases;
}

/**
 * Valid arguments with each `name` parameter replaced by a name that needs escaping in keys
 * (`*`, `{`, `}`, `:` — ccxt's `BTC/USDT:USDT` has one) or is a prototype member: such a call
 * is valid and must settle without an untyped error.
 * @param params - The method's parameters.
 * @param valid - Valid arguments.
 * @returns The cases.
 */
export function awkwardNameCases(
  params: readonly ParamSpec[],
  valid: readonly unknown[],
): HostileCase[] {
  const awkward = ['a*b', '{x}', 'a}b{', 'BTC/USDT:USDT', ...PROTOTYPE_NAMES];
  const cases: HostileCase[] = [];
  params.forEach((param, index) => {
    if (param.kind !== 'name' && param.kind !== 'id') return;
    for (const name of awkward) {
      cases.push({
        label: `${param.name} = ${JSON.stringify(name)}`,
        args: withValue(valid, index, name),
        names: param.name,
      });
    }
  });
  return cases;
}
