/** Most keys one script call or command carries by default, so a large batch never blocks Redis for long. */
export const DEFAULT_CHUNK_SIZE = 500;

/**
 * Runs `work` over consecutive slices of `items`, all slices concurrently, and joins the
 * results in input order.
 * @param items - The items to split.
 * @param work - Handles one slice; `start` is the slice's offset in `items`.
 * @param size - Slice length. Defaults to 500.
 * @returns Every slice's results, flattened in order.
 */
export async function inChunks<T, R>(
  items: readonly T[],
  work: (slice: T[], start: number) => Promise<R[]>,
  size = DEFAULT_CHUNK_SIZE,
): Promise<R[]> {
  const calls: Promise<R[]>[] = [];
  for (let start = 0; start < items.length; start += size) {
    calls.push(work(items.slice(start, start + size), start));
  }
  return (await Promise.all(calls)).flat();
}

/**
 * Groups items by a name (an exchange, a queue), keeping each item's position in the input.
 * @param items - The items.
 * @param nameOf - The group of one item.
 * @returns Group name → positions in `items`, in input order.
 */
export function groupPositions<T>(
  items: readonly T[],
  nameOf: (item: T) => string,
): Map<string, number[]> {
  const groups = new Map<string, number[]>();
  items.forEach((item, i) => {
    const name = nameOf(item);
    const group = groups.get(name);
    if (group === undefined) groups.set(name, [i]);
    else group.push(i);
  });
  return groups;
}

/**
 * Runs `work` over consecutive slices of `items`, one slice after another (the next starts when
 * the previous settled), and joins the results in input order. Use it where slices must not
 * overlap (each is one atomic script call on shared keys) or where a failure should stop the
 * rest; {@link inChunks} runs them concurrently.
 * @param items - The items to split.
 * @param work - Handles one slice; `start` is the slice's offset in `items`.
 * @param size - Slice length. Defaults to 500.
 * @returns Every slice's results, flattened in order.
 * @throws whatever `work` throws; later slices are not run.
 */
export async function inChunksSequentially<T, R>(
  items: readonly T[],
  work: (slice: T[], start: number) => Promise<R[]>,
  size = DEFAULT_CHUNK_SIZE,
): Promise<R[]> {
  const results: R[] = [];
  for (let start = 0; start < items.length; start += size) {
    for (const result of await work(items.slice(start, start + size), start)) results.push(result);
  }
  return results;
}
