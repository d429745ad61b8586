// Work done between requests, a few milliseconds at a time.
/**
 * Runs `step` (a small piece of work; true when all is done) between
 * requests: about `sliceMs` at a time, one step at least and at most
 * `maxSteps`, then the event loop's turn. A step that throws rejects the
 * promise (thrown from a timer, it would end the process).
 */
export function inSlices(step: () => boolean, sliceMs: number, maxSteps = Infinity): Promise<void> {
  return new Promise((resolve, reject) => {
    const slice = () => {
      try {
        const until = performance.now() + sliceMs;
        for (let n = 1; ; n++) {
          if (step()) return resolve();
          if (n >= maxSteps || performance.now() >= until) break;
        }
      } catch (e) {
        return reject(e);
      }
      setImmediate(slice);
    };
    slice();
  });
}
