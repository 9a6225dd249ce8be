// Ctrl-C handling for long runs. A signal handler only runs when the event loop is free, so the
// md and train loops yield to it between steps/batches (`checkpointYield`); the first SIGINT sets
// a flag the loop sees, and the loop then writes its final checkpoint and exits with status 130.
// A second SIGINT exits at once (the last periodic checkpoint is still on disk).

let interrupted = false;
let installed = false;

/** Start listening for SIGINT/SIGTERM (idempotent). */
export function watchInterrupts(): void {
  if (installed) return;
  installed = true;
  const onSignal = (signal: NodeJS.Signals) => {
    if (interrupted) process.exit(130);
    interrupted = true;
    process.stderr.write(`\n${signal}: stopping after this step and writing a checkpoint (press Ctrl-C again to quit at once)\n`);
  };
  process.on("SIGINT", onSignal);
  process.on("SIGTERM", onSignal);
}

/** True once SIGINT/SIGTERM arrived. */
export const wasInterrupted = (): boolean => interrupted;

/** Let pending signal handlers run. */
export const yieldToEventLoop = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/** Exit status for a run stopped by a signal (128 + SIGINT). */
export const INTERRUPTED_EXIT = 130;
