import { EpochMs, FiniteNumber, Id, isWellFormed, Name, NonNegative } from '@fullon/core/author';
import * as v from 'valibot';

/** Free text of up to 4 096 characters (a reason, a command), well-formed. */
export const OrderText = v.pipe(
  v.string('must be a string'),
  v.maxLength(4_096, 'must be at most 4 096 characters'),
  v.check(isWellFormed, 'must be well-formed text (it holds a lone UTF-16 surrogate)'),
);

/** An order side. */
export const OrderSide = v.picklist(['buy', 'sell'], "must be 'buy' or 'sell'");
/** Output type of {@link OrderSide}. */
export type OrderSide = v.InferOutput<typeof OrderSide>;

const entries = {
  orderId: v.optional(Id),
  exOrderId: v.optional(Name),
  exchange: v.optional(Name),
  symbol: Name,
  side: OrderSide,
  status: v.optional(Name),
  volume: NonNegative,
  price: v.optional(NonNegative),
  finalVolume: v.optional(NonNegative),
  plimit: v.optional(NonNegative),
  tick: v.optional(NonNegative),
  orderType: v.optional(Name),
  futures: v.optional(v.boolean('must be a boolean')),
  leverage: v.optional(FiniteNumber),
  exId: v.optional(Id),
  botId: v.optional(Id),
  userId: v.optional(Id),
  command: v.optional(OrderText),
  reason: v.optional(OrderText),
  timestamp: v.optional(EpochMs),
};

/** The fields of an order, without the rule that it has an id (see {@link Order}). */
export const OrderFields = v.object(entries);

const hasId = (o: { orderId?: unknown; exOrderId?: unknown }) =>
  o.orderId !== undefined || o.exOrderId !== undefined;
const ID_MESSAGE = 'an order needs an orderId or an exOrderId';

/**
 * An order: `symbol`, `side` and `volume`, and at least one of `orderId` / `exOrderId`; every
 * other field optional. Times are epoch milliseconds. Its id in keys and queues is `orderId`,
 * or `exOrderId` when it has no `orderId` (`7` and `'7'` are the same id).
 */
export const Order = v.pipe(
  OrderFields,
  v.rawCheck(({ dataset, addIssue }) => {
    if (dataset.typed && !hasId(dataset.value)) {
      addIssue({ message: ID_MESSAGE, path: idPath(dataset.value) });
    }
  }),
);
/** Output type of {@link Order}. */
export type Order = v.InferOutput<typeof Order>;

/**
 * The fields `updateOrder` merges: any subset of {@link Order}'s fields, with at least one of
 * `orderId` / `exOrderId` naming the order.
 */
export const OrderPatch = v.pipe(
  v.partial(OrderFields),
  v.rawCheck(({ dataset, addIssue }) => {
    if (dataset.typed && !hasId(dataset.value)) {
      addIssue({ message: ID_MESSAGE, path: idPath(dataset.value) });
    }
  }),
);
/** Output type of {@link OrderPatch}. */
export type OrderPatch = v.InferOutput<typeof OrderPatch>;

function idPath(input: Record<string, unknown>): [v.ObjectPathItem] {
  return [{ type: 'object', origin: 'value', input, key: 'orderId', value: undefined }];
}

/** Statuses after which an order is kept only for the retention (`ttlMs`), case-insensitive. */
export const TERMINAL_STATUSES: readonly string[] = [
  'canceled',
  'cancelled',
  'filled',
  'closed',
  'rejected',
  'expired',
];

/**
 * @param order - An order or a patch holding its id.
 * @returns The order's id as it appears in keys and queues: `orderId`, else `exOrderId`.
 */
export function orderKeyId(order: {
  orderId?: Id | undefined;
  exOrderId?: string | undefined;
}): string {
  return String(order.orderId ?? order.exOrderId);
}
