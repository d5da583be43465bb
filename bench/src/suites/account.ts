import { AccountCache } from '@fullon/account';
import { msgpackCodec } from '@fullon/core';
// Internals of @fullon/account, imported by path so the baseline runs the very same script and keys.
import { AccountKeys } from '../../../packages/account/src/keys.js';
import { BalanceLayout, PositionLayout } from '../../../packages/account/src/layouts.js';
import { PUT_FIELD } from '../../../packages/account/src/scripts/put-field.js';
import type { Contest, Variant } from '../runner.js';
import type { BenchClients, BenchSuite } from '../suite.js';

const SYMBOLS = 1_000;
const EX_ID = 'bench-account';
const TTL_MS = String(86_400_000);

/** The position written by call `i`: 1 000 symbols in turn. */
function positionAt(i: number) {
  return { symbol: `SYM${i % SYMBOLS}/USDT`, volume: 0.5 + (i % 7), price: 60_000 + (i % 997) };
}

/** The balance written by call `i`: 1 000 currencies in turn. */
function balanceAt(i: number) {
  const free = 100 + (i % 997);
  return { currency: `C${i % SYMBOLS}`, total: free + 1, free, used: 1 };
}

/** Fills every symbol and currency once, so reads always hit (and loads the script). */
async function seed(clients: BenchClients): Promise<void> {
  const accounts = new AccountCache(clients.msgpack);
  await accounts.upsertPositions(
    EX_ID,
    Array.from({ length: SYMBOLS }, (_, i) => positionAt(i)),
  );
  await accounts.setUserBalances(
    EX_ID,
    Object.fromEntries(
      Array.from({ length: SYMBOLS }, (_, i) => {
        const { currency, ...balance } = balanceAt(i);
        return [currency, balance];
      }),
    ),
  );
  await accounts.updateUserBalance(EX_ID, 'C0', { total: 1, free: 1, used: 0 });
}

/** setPosition / getPosition and updateUserBalance / getUserBalance against raw node-redis. */
function contests(clients: BenchClients): Contest[] {
  const accounts = new AccountCache(clients.msgpack);
  const keys = new AccountKeys(clients.msgpack.keys);
  const positions = keys.positions(EX_ID);
  const balances = keys.balances(EX_ID);
  const { nodeRedis } = clients;

  const rawPut = (
    hash: string,
    field: (i: number) => string,
    bytes: (i: number) => Buffer,
  ): Variant => ({
    name: '(a) raw node-redis, same script by SHA',
    run: (i) =>
      nodeRedis.sendCommand([
        'EVALSHA',
        PUT_FIELD.sha,
        '2',
        hash,
        keys.index,
        EX_ID,
        TTL_MS,
        field(i),
        bytes(i),
      ]),
  });
  const rawGet = <T>(
    hash: string,
    field: (i: number) => string,
    decode: (b: Buffer, f: string) => T,
  ): Variant => ({
    name: '(a) raw node-redis HGET + decode',
    run: async (i) => {
      const f = field(i);
      const bytes = await nodeRedis.sendCommand<Buffer | null>(['HGET', hash, f], {
        returnBuffers: true,
      });
      return bytes === null ? null : decode(bytes, f);
    },
  });
  const symbol = (i: number) => `SYM${i % SYMBOLS}/USDT`;
  const currency = (i: number) => `C${i % SYMBOLS}`;

  return [
    {
      op: 'setPosition',
      ours: { name: 'ours', run: (i) => accounts.setPosition(EX_ID, positionAt(i)) },
      baselines: [
        rawPut(positions, symbol, (i) =>
          PositionLayout.encode(msgpackCodec, { ...positionAt(i), exId: EX_ID }),
        ),
      ],
    },
    {
      op: 'getPosition',
      ours: { name: 'ours', run: (i) => accounts.getPosition(EX_ID, symbol(i)) },
      baselines: [
        rawGet(positions, symbol, (bytes, f) =>
          PositionLayout.decode(msgpackCodec, bytes, positions, f, { symbol: f }),
        ),
      ],
    },
    {
      op: 'updateUserBalance',
      ours: {
        name: 'ours',
        run: (i) => {
          const { currency: c, ...balance } = balanceAt(i);
          return accounts.updateUserBalance(EX_ID, c, balance);
        },
      },
      baselines: [
        rawPut(balances, currency, (i) =>
          BalanceLayout.encode(msgpackCodec, { ...balanceAt(i), exId: EX_ID }),
        ),
      ],
    },
    {
      op: 'getUserBalance',
      ours: { name: 'ours', run: (i) => accounts.getUserBalance(EX_ID, currency(i)) },
      baselines: [
        rawGet(balances, currency, (bytes, f) =>
          BalanceLayout.decode(msgpackCodec, bytes, balances, f, { currency: f, exId: EX_ID }),
        ),
      ],
    },
  ];
}

/** The account suite: positions and balances, written and read one at a time. */
export const suite: BenchSuite = { name: 'account', seed, contests };
