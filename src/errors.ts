/**
 * Errors a user sees: one paragraph that names the file and line (or the flag)
 * and says what to do. The CLI prints `message` alone; the stack only with --debug.
 */
export type ExitCode = 0 | 1 | 2 | 130

export class RunbookError extends Error {
  override name = 'RunbookError'
  constructor(
    message: string,
    /** 2: bad usage or input; 1: a step or check failed; 130: interrupted. */
    readonly exitCode: ExitCode = 2,
  ) {
    super(message)
  }
}

/** Bad flags or bad input files: exit 2. */
export class UsageError extends RunbookError {
  override name = 'UsageError'
  constructor(message: string) {
    super(message, 2)
  }
}
