/** A promise queue that runs tasks one at a time, in call order; a failed task does not stop the ones after it. */
export class SerialQueue {
  #tail: Promise<void> = Promise.resolve();

  /** Runs `fn` after every earlier task has settled. */
  run<T>(fn: () => Promise<T>): Promise<T> {
    const result = this.#tail.then(fn);
    this.#tail = result.then(
      () => undefined,
      () => undefined,
    );
    return result;
  }
}
