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
  for (const name of ['stdout', 'stderr'] as const) whenFirstUsed(name, (stream) => {
    stream.on('error', (error: NodeJS.ErrnoException) => {
      if (keepRunning) return
      // Nothing more can be shown: end now, as the command would have.
      process.exit(error.code === 'EPIPE' ? (typeof process.exitCode === 'number' ? process.exitCode : 0) : 1)
    })
  })
}

/**
 * Node makes `process.stdout` and `process.stderr` on first use, and making
 * one loads the stream modules behind it (a pipe's, a file's or a
 * terminal's: about 10 ms). A command that never writes to one of them (a
 * dry-run and stderr) should not pay for it, so the handler is attached when
 * the stream is first asked for.
 */
function whenFirstUsed(name: 'stdout' | 'stderr', attach: (stream: NodeJS.WriteStream) => void): void {
  const made = Object.getOwnPropertyDescriptor(process, name)
  if (!made?.get || !made.configurable) return attach(process[name])
  Object.defineProperty(process, name, {
    configurable: true,
    enumerable: made.enumerable,
    get() {
      const stream = made.get!.call(process) as NodeJS.WriteStream
      Object.defineProperty(process, name, {...made})
      attach(stream)
      return stream
    },
  })
}
