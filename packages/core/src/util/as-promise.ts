/**
 * Runs `body` and returns its promise; a synchronous throw in it (bad input found before any
 * I/O) becomes a rejected promise instead. It lets a hot method skip `async`, which costs a
 * promise layer per call, and still reject rather than throw on bad input.
 * @param body - The method's work, returning the promise of its result.
 * @returns That promise, or a promise rejected with what `body` threw.
 */
export function asPromise<T>(body: () => Promise<T>): Promise<T> {
  try {
    return body();
  } catch (error) {
    return Promise.reject(error);
  }
}
