/**
 * Running one script: bash with -e and pipefail, in its own process group, in
 * the run's work folder, output streamed line by line (masked) to the reporter
 * and the step log. The script reaches bash through fd 3, not argv, so that
 * substituted secrets never show in `ps`.
 */
import {execa} from 'execa'
import {isUtf8} from 'node:buffer'
import type {Readable} from 'node:stream'
import {LineSplitter} from './lines.js'
import type {StepLog} from './step-log.js'
import type {Masker} from './secrets.js'
import {groupAlive, signalGroup, type Interrupts} from './interrupt.js'

/**
 * Reads the script from fd 3 and closes it, so the step's commands never
 * inherit it; the ERR trap names the line that stopped the script (LINENO in
 * eval counts on from the eval's own line, hence RUNBOOK_LINE0).
 */
const BOOTSTRAP = `RUNBOOK_LINE0=$LINENO; trap 'printf "runbook: line %s exited with %s\\n" "$((LINENO - RUNBOOK_LINE0 + 1))" "$?" >&2' ERR; eval "$(cat <&3)" 3<&-`
const FAILED_LINE = /^runbook: line (\d+) exited with \d+$/

/** The prelude (the sudo stand-in) goes in argv, before the eval: line numbers then count from the script's first line. */
export function bashArgs(prelude = ''): string[] {
  return ['--noprofile', '--norc', '-e', '-o', 'pipefail', '-c', prelude + BOOTSTRAP, 'runbook']
}

/** After the shell exits, how long output may stay silent before we stop waiting for background holders of the pipe. */
const LINGER_MS = 2000

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
  onLine?: (stream: 'stdout' | 'stderr', line: string) => void
  interrupts?: Interrupts
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
  /** The line of the script (1-based) whose command stopped it, when the shell said. */
  failedLine?: number
}

export async function runScript(opts: ScriptOptions): Promise<ScriptResult> {
  const interactive = opts.interactive ?? false
  const startedAt = new Date()
  const subprocess = execa('bash', bashArgs(opts.prelude), {
    cwd: opts.cwd,
    env: {...(interactive ? {} : {DEBIAN_FRONTEND: 'noninteractive'}), ...opts.env},
    stdio: interactive
      ? ['inherit', 'inherit', 'inherit', new TextEncoder().encode(opts.script)]
      : ['ignore', 'pipe', 'pipe', new TextEncoder().encode(opts.script)],
    buffer: false,
    detached: !interactive,
    reject: false,
    cleanup: false,
  })
  const pid = subprocess.pid
  if (pid !== undefined) opts.interrupts?.setChild(pid, !interactive)

  const streams: Array<[Readable, 'stdout' | 'stderr']> = []
  if (!interactive && subprocess.stdout && subprocess.stderr) {
    streams.push([subprocess.stdout, 'stdout'], [subprocess.stderr, 'stderr'])
  }
  let failedLine: number | undefined
  const pump = pumpLines(streams, {
    ...opts,
    onLine: (stream, line) => {
      const m = stream === 'stderr' ? FAILED_LINE.exec(line) : null
      if (m) failedLine = Number(m[1])
      opts.onLine?.(stream, line)
    },
  })

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
  if (failedLine !== undefined && failedLine > 0 && result.exitCode !== 0) result.failedLine = failedLine
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

/** Streams lines out as they arrive; `settle` resolves when the streams end (or go quiet after the shell exited). */
function pumpLines(streams: Array<[Readable, 'stdout' | 'stderr']>, opts: ScriptOptions) {
  let open = streams.length
  let lastData = Date.now()
  let finish: (() => void) | undefined
  const ended = new Promise<void>((resolve) => {
    finish = resolve
    if (open === 0) resolve()
  })
  const {masker, log} = opts
  const onLine = opts.onLine
  for (const [stream, name] of streams) {
    const splitter = new LineSplitter()
    // Line by line: the masked line goes to onLine and, newline restored, to the log chunk.
    let chunk = ''
    const masked = (text: string, newline: boolean) => {
      const shown = masker.mask(text)
      onLine?.(name, shown)
      chunk += newline ? shown + '\n' : shown
    }
    const plain = onLine ? (text: string) => onLine(name, text) : () => {}
    // The decoder holds no bytes of an unfinished character (true after any chunk that is whole UTF-8).
    let clean = true
    const take = (data: Buffer | string) => {
      if (masker.empty) {
        // Nothing to hide: the lines go to the log as one piece, as the splitter found them.
        const before = splitter.pending
        const text = splitter.each(data, plain)
        const whole = typeof data !== 'string' && isUtf8(data)
        if (clean && whole && !splitter.cut && text.endsWith('\n')) {
          // The same bytes as encoding `text` would give, without encoding it: the line
          // begun in earlier chunks, then this chunk up to its last newline.
          const bytes = data as Buffer
          log?.writeBytes(bytes.subarray(0, bytes.lastIndexOf(10) + 1), before)
        } else {
          log?.write(text)
        }
        clean = whole
      } else {
        chunk = ''
        splitter.each(data, masked)
        log?.write(chunk)
        chunk = ''
      }
    }
    stream.on('data', (data: Buffer) => {
      lastData = Date.now()
      take(data)
    })
    let done = false
    const close = () => {
      if (done) return
      done = true
      for (const line of splitter.end()) masked(line.text, line.newline)
      log?.write(chunk)
      chunk = ''
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
