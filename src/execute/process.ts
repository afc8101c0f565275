/**
 * Running one script: bash with -e and pipefail, in its own process group, in
 * the run's work folder, output streamed (masked) to the step log as bytes and
 * to the reporter as blocks of whole lines. During a run, scripts go to the run's shell (shell-host.ts);
 * a script that needs the terminal gets a bash of its own, reading the script
 * from fd 3. Either way the script is never in argv, so that substituted
 * secrets never show in `ps`.
 */
import {loadExeca} from './lazy-execa.js'
import {constants} from 'node:os'
import type {Readable} from 'node:stream'
import type {StepLog} from './step-log.js'
import type {Masker} from './secrets.js'
import {groupAlive, signalGroup, type Interrupts} from './interrupt.js'
import {OutputPump, type OutputSink, type PumpOptions, type StreamName} from './output-pump.js'
import {outputPipes} from './output-pipes.js'
import {ERR_TRAP, NON_INTERACTIVE, type ShellPool} from './shell-host.js'

const NO_ENV: Record<string, string> = {}

/** The script from fd 3 into a variable, then fd 3 closed (BOOTSTRAP says why). */
export const READ_SCRIPT = 'RUNBOOK_S=$(cat <&3); exec 3<&-'
/** Runs what READ_SCRIPT read, with the variable gone before the script's first line. */
export const RUN_SCRIPT = 'eval "unset RUNBOOK_S; $RUNBOOK_S"'

/**
 * Reads the script from fd 3 and closes it, so the step's commands never
 * inherit it; the ERR trap names the line that stopped the script (LINENO in
 * eval counts on from the eval's own line, hence RUNBOOK_LINE0). The script is
 * read into a variable first: `eval "$(cat <&3)"` ran an empty script, and
 * succeeded, when the read failed.
 */
export const BOOTSTRAP = `RUNBOOK_LINE0=$LINENO; ${ERR_TRAP}; ${READ_SCRIPT}; ${RUN_SCRIPT}`
export const FAILED_LINE = /^runbook: line (\d+) exited with \d+$/

/**
 * The prelude (the sudo stand-in, never a value) comes as an argument and is
 * run from the same line as the script's eval: the script's lines are then the
 * shell's lines from 1, in the ERR trap and in bash's own messages alike.
 */
export function bashArgs(prelude = ''): string[] {
  return ['--noprofile', '--norc', '-e', '-o', 'pipefail', '-c', `eval "$1"; set --; ${BOOTSTRAP}`, 'runbook', prelude]
}

/** After the shell exits, how long output may stay silent before we stop waiting for background holders of the pipe. */
export const LINGER_MS = 2000

export interface ScriptOptions {
  script: string
  /** Shell code run before the script (the sudo stand-in); never holds a value. */
  prelude?: string
  cwd: string
  env?: Record<string, string>
  /** Hand the terminal over (stdio inherited, same process group): output is not captured. */
  interactive?: boolean
  masker: Masker
  log?: StepLog
  /** The output, a block of whole lines at a time (see output-pump.ts). */
  onOutput?: OutputSink
  interrupts?: Interrupts
  /** The run's shells: a step then forks from a running bash instead of starting one. */
  shells?: ShellPool
}

export interface ScriptResult {
  exitCode?: number
  signal?: string
  startedAt: Date
  endedAt: Date
  /** The script could not be started at all. */
  error?: string
  /** Background processes kept the output open after the shell exited. */
  lingering?: boolean
  /** The connection to the machine the script ran on was lost: its outcome is unknown (the step is interrupted, resumable). */
  lost?: boolean
  /** The line of the script (1-based) whose command stopped it, when the shell said. */
  failedLine?: number
}

export async function runScript(opts: ScriptOptions): Promise<ScriptResult> {
  const interactive = opts.interactive ?? false
  if (opts.shells && !interactive && fitsShell(opts.script)) return runInShell(opts, opts.shells)
  const startedAt = new Date()
  const execa = await loadExeca()
  // Real pipes, as in the run's shell (output-pipes.ts), else Node's sockets.
  const pipes = interactive ? undefined : outputPipes(2)
  // The writers go once the child has them (also when the spawn throws).
  const subprocess = (() => {
    try {
      return execa('bash', bashArgs(opts.prelude), {
        cwd: opts.cwd,
        env: {...(interactive ? {} : NON_INTERACTIVE), ...opts.env},
        stdio: interactive
          ? ['inherit', 'inherit', 'inherit', new TextEncoder().encode(opts.script)]
          : // execa hands a file descriptor to the child as it is (its types name only 'pipe' and the like).
            (['ignore', pipes?.writers[0] ?? 'pipe', pipes?.writers[1] ?? 'pipe', new TextEncoder().encode(opts.script)] as unknown as ['ignore', 'pipe', 'pipe', Uint8Array]),
        buffer: false,
        detached: !interactive,
        reject: false,
        cleanup: false,
      })
    } finally {
      pipes?.closeWriters()
    }
  })()
  const pid = subprocess.pid
  if (pid !== undefined) opts.interrupts?.setChild(pid, !interactive)

  const watch = watchFailedLine(opts)
  const streams: Array<[Readable, StreamName]> = []
  const [stdout, stderr] = pipes?.readers ?? [subprocess.stdout, subprocess.stderr]
  if (!interactive && stdout && stderr) streams.push([stdout, 'stdout'], [stderr, 'stderr'])
  const pump = pumpStreams(streams, watch.options)

  const exited = new Promise<{code: number | null; signal: NodeJS.Signals | null}>((resolve) =>
    subprocess.once('exit', (code, signal) => resolve({code, signal})),
  )
  const settled = subprocess.then((r) => ({code: r.exitCode ?? null, signal: (r.signal ?? null) as NodeJS.Signals | null, error: r.exitCode === undefined && !r.signal ? r.shortMessage : undefined}))
  const outcome: {code: number | null; signal: NodeJS.Signals | null; error?: string} = await Promise.race([exited, settled])

  // When stopped by the user, leave nothing of the step's group behind.
  if (opts.interrupts?.interrupted && pid !== undefined && !interactive) await reapGroup(pid, opts.interrupts)
  const lingering = await pump.settle()
  opts.interrupts?.clearChild()
  const result: ScriptResult = {startedAt, endedAt: new Date()}
  if (outcome.code !== null) result.exitCode = outcome.code
  if (outcome.signal) result.signal = outcome.signal
  if (outcome.error) result.error = opts.masker.mask(outcome.error)
  if (lingering) result.lingering = true
  return withFailedLine(result, watch.line())
}

/**
 * The run's shell reads a script byte by byte (bash cannot buffer a pipe it
 * reads with `read`): about 1 ms a kilobyte, cheaper than a process of its own
 * up to here. NUL would end the script early; bash drops it anyway.
 */
const SHELL_SCRIPT_MAX = 32 * 1024

function fitsShell(script: string): boolean {
  return script.length <= SHELL_SCRIPT_MAX && !script.includes('\0')
}

/** In the run's shell: a forked subshell instead of a new process (see shell-host.ts). */
async function runInShell(opts: ScriptOptions, shells: ShellPool): Promise<ScriptResult> {
  const startedAt = new Date()
  const watch = watchFailedLine(opts)
  const host = shells.get({cwd: opts.cwd, env: opts.env ?? NO_ENV, prelude: opts.prelude ?? ''})
  const outcome = await host.run({
    script: opts.script,
    stdout: new OutputPump('stdout', watch.options),
    stderr: new OutputPump('stderr', watch.options),
    onStart: (pid) => opts.interrupts?.setChild(pid, true),
    lingerMs: LINGER_MS,
  })
  if (opts.interrupts?.interrupted && outcome.pid !== undefined) await reapGroup(outcome.pid, opts.interrupts)
  opts.interrupts?.clearChild()
  const result: ScriptResult = {startedAt, endedAt: new Date()}
  const status = outcome.status
  if (status !== undefined) {
    // bash reports a step killed by signal N as 128+N, like a step that exited so; only our own stop tells them apart.
    const signal = opts.interrupts?.interrupted && status > 128 ? signalName(status - 128) : undefined
    if (signal) result.signal = signal
    else result.exitCode = status
  }
  if (outcome.error) result.error = opts.masker.mask(outcome.error)
  if (outcome.lingering) result.lingering = true
  return withFailedLine(result, watch.line())
}

function signalName(n: number): string | undefined {
  return Object.entries(constants.signals).find(([, v]) => v === n)?.[0]
}

/**
 * The ERR trap's line (`runbook: line N exited with M`) on stderr gives the
 * failing line: the pump options that watch for it on the way to `opts.onOutput`
 * and the log, and the line it saw last. Used for local and remote steps alike.
 */
export function watchFailedLine(opts: Pick<ScriptOptions, 'masker' | 'log' | 'onOutput'>): {options: PumpOptions; line: () => number | undefined} {
  let failedLine: number | undefined
  const options: PumpOptions = {
    masker: opts.masker,
    ...(opts.log ? {log: opts.log} : {}),
    onOutput: (stream, block) => {
      // Only a block that holds the trap's words is decoded to look (a flood on stderr stays bytes).
      if (stream === 'stderr' && (!block.bytes || block.bytes.some((b) => b.includes(TRAP_PREFIX)))) failedLine = failedLineIn(block.text) ?? failedLine
      opts.onOutput?.(stream, block)
    },
  }
  return {options, line: () => failedLine}
}

const TRAP_PREFIX = 'runbook: line '

/** The line number in the last whole line of `block` that is the ERR trap's report, if one is. */
export function failedLineIn(block: string): number | undefined {
  for (let at = block.lastIndexOf(TRAP_PREFIX); at !== -1; at = at === 0 ? -1 : block.lastIndexOf(TRAP_PREFIX, at - 1)) {
    if (at > 0 && block.charCodeAt(at - 1) !== 0x0a) continue
    const end = block.indexOf('\n', at)
    const m = FAILED_LINE.exec(block.slice(at, end === -1 ? block.length : end))
    if (m) return Number(m[1])
  }
  return undefined
}

/** Names the failing line in `result` when the shell said which and the script did fail. */
export function withFailedLine(result: ScriptResult, line: number | undefined): ScriptResult {
  if (line !== undefined && line > 0 && result.exitCode !== 0) result.failedLine = line
  return result
}

/** Waits for the group to go (the interrupt timer SIGKILLs it after 3 s, a second Ctrl-C at once). */
async function reapGroup(pid: number, interrupts: Interrupts): Promise<void> {
  const deadline = Date.now() + interrupts.graceMs + 500
  while (groupAlive(pid)) {
    if (Date.now() > deadline) interrupts.killGroup(pid)
    await new Promise((r) => setTimeout(r, 50))
  }
  signalGroup(pid, 'SIGKILL')
}

/** Pumps each stream as it flows; `settle` resolves when the streams end (or go quiet after the shell exited). */
function pumpStreams(streams: Array<[Readable, StreamName]>, options: PumpOptions) {
  let open = streams.length
  let lastData = Date.now()
  let finish: (() => void) | undefined
  const ended = new Promise<void>((resolve) => {
    finish = resolve
    if (open === 0) resolve()
  })
  for (const [stream, name] of streams) {
    const pump = new OutputPump(name, options)
    stream.on('data', (data: Buffer) => {
      lastData = Date.now()
      pump.take(data)
    })
    let done = false
    const close = () => {
      if (done) return
      done = true
      pump.end()
      if (--open === 0) finish?.()
    }
    stream.once('end', close)
    stream.once('close', close)
    stream.once('error', close)
  }
  return {
    async settle(): Promise<boolean> {
      // The quiet period counts from the shell's exit, not from older output.
      lastData = Math.max(lastData, Date.now())
      for (;;) {
        const quiet = LINGER_MS - (Date.now() - lastData)
        if (quiet <= 0) break
        const timer = new Promise<'timeout'>((r) => setTimeout(() => r('timeout'), quiet).unref())
        if ((await Promise.race([ended.then(() => 'ended' as const), timer])) === 'ended') return false
      }
      // A daemon the step started still holds the pipe: stop listening and let it be.
      for (const [stream] of streams) {
        stream.removeAllListeners('data')
        stream.resume()
        ;(stream as Readable & {unref?: () => void}).unref?.()
      }
      return open > 0
    },
  }
}
