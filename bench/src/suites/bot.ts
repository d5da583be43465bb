import { BotCache } from '@fullon/bot';
// Internals of @fullon/bot, imported by path so the baseline runs the very same script and keys.
import { BotKeys, leaseMember } from '../../../packages/bot/src/keys.js';
import { ACQUIRE } from '../../../packages/bot/src/scripts/acquire.js';
import type { Contest } from '../runner.js';
import type { BenchClients, BenchSuite } from '../suite.js';

const SYMBOLS = 1_000;
const EX_ID = 'bench-bot';
const BOT_ID = 'bench-holder';
const TTL_MS = '60000';

const symbolAt = (i: number) => `SYM${i % SYMBOLS}/USDT`;

/** Blocks every symbol once (so isBlocked always hits) and loads the script. */
async function seed(clients: BenchClients): Promise<void> {
  const bots = new BotCache(clients.msgpack);
  await Promise.all(
    Array.from({ length: SYMBOLS }, (_, i) => bots.blockExchange(EX_ID, symbolAt(i), BOT_ID)),
  );
}

/** blockExchange (the holder renewing) and isBlocked against raw node-redis. */
function contests(clients: BenchClients): Contest[] {
  const bots = new BotCache(clients.msgpack);
  const keys = new BotKeys(clients.msgpack.keys).block;
  // The baseline gets its keys and members precomputed: only our layer builds them per call.
  const leases = Array.from({ length: SYMBOLS }, (_, i) => keys.lease(EX_ID, symbolAt(i)));
  const members = Array.from({ length: SYMBOLS }, (_, i) => leaseMember(EX_ID, symbolAt(i)));
  const { nodeRedis } = clients;
  return [
    {
      op: 'blockExchange',
      ours: { name: 'ours', run: (i) => bots.blockExchange(EX_ID, symbolAt(i), BOT_ID) },
      baselines: [
        {
          name: '(a) raw node-redis, same script by SHA',
          run: (i) =>
            nodeRedis.sendCommand([
              'EVALSHA',
              ACQUIRE.sha,
              '3',
              leases[i % SYMBOLS] ?? '',
              keys.index,
              keys.fence,
              BOT_ID,
              TTL_MS,
              '0',
              members[i % SYMBOLS] ?? '',
            ]),
        },
      ],
    },
    {
      op: 'isBlocked',
      ours: { name: 'ours', run: (i) => bots.isBlocked(EX_ID, symbolAt(i)) },
      baselines: [
        {
          name: '(a) raw node-redis HMGET',
          run: async (i) => {
            const [holder] = await nodeRedis.sendCommand<(string | null)[]>([
              'HMGET',
              leases[i % SYMBOLS] ?? '',
              'h',
              't',
              'e',
            ]);
            return holder ?? null;
          },
        },
      ],
    },
  ];
}

/** The bot suite: taking (renewing) a block and asking who holds it. */
export const suite: BenchSuite = { name: 'bot', seed, contests };
