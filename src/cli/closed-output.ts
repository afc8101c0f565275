/**
 * A reader that goes away (`runbook log ID | head -1`, a closed ssh session)
 * makes the next write to stdout or stderr fail with EPIPE. That is no error
 * of ours: a command that only prints ends quietly, and a run goes on to its
 * end with everything in its logs and state (it must never be left `running`
 * because the terminal went away). Any other write error is reported once.
 */
let keepRunning = false

/** Called by `run`/`resume`: a closed output must not stop the steps. */
export function keepRunningWhenOutputCloses(): void {
  keepRunning = true
}

export function guardOutput(): void {
  for (const stream of [process.stdout, process.stderr]) {
    stream.on('error', (error: NodeJS.ErrnoException) => {
      if (keepRunning) return
      // Nothing more can be shown: end now, as the command would have.
      process.exit(error.code === 'EPIPE' ? (typeof process.exitCode === 'number' ? process.exitCode : 0) : 1)
    })
  }
}
