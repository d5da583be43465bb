/**
 * Counts the operations in flight (a script call, or a multi-command operation), so close()
 * can wait for each to finish whole before it closes the link.
 * @internal
 */
export class Operations {
  #count = 0;
  #progress = 0;
  #idle: (() => void) | undefined;

  /** An operation began. */
  readonly enter = (): void => {
    this.#count++;
  };

  /** An operation settled. */
  readonly leave = (): void => {
    this.#count--;
    this.#progress++;
    if (this.#count === 0) this.#idle?.();
  };

  /**
   * Waits until no operation is left. An operation's commands are each bounded by the socket
   * timeout, but one may never settle (a body awaiting something else): the wait gives up
   * once `quietMs` passed without any operation settling.
   * @param quietMs - How long to wait without progress.
   * @returns Once idle, or once stuck for `quietMs`.
   */
  idle(quietMs: number): Promise<void> {
    if (this.#count === 0) return Promise.resolve();
    return new Promise<void>((resolve) => {
      let seen = this.#progress;
      const timer = setInterval(() => {
        if (this.#progress !== seen) seen = this.#progress;
        else done();
      }, quietMs);
      const done = () => {
        clearInterval(timer);
        this.#idle = undefined;
        resolve();
      };
      this.#idle = done;
    });
  }
}
