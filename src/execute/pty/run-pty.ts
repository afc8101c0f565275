/**
 * A step on a pseudo-terminal: for commands that may ask a person something
 * (see when.ts). The step sees a terminal; its output goes through a terminal
 * emulator (screen.ts), so the log keeps the lines a person saw (a `\r`
 * progress bar ends as one line) and the raw stream goes beside it.
 *
 * The script reaches bash on a FIFO in a private folder (mode 0700; a FIFO's
 * bytes live in kernel memory, never on disk), removed as soon as bash has it
 * open: never in argv or the environment. node-pty gives the child a session
 * of its own, so the session id is the step's group, as for the run's shell.
 * The shell marks the end of the script's output and waits for the runner to
 * have read it before it exits (end-mark.ts): Linux drops what a terminal
 * still holds when its last process exits.
 *
 * Prompts: when the output goes quiet and a process of the step's session is
 * blocked reading the terminal (waiting.ts), the prompt line is matched
 * against the declared answers and the first that matches is typed. With a
 * person attached the screen says it waits; with nobody, the step is stopped
 * and fails with the prompt it showed.
 */
import {mkdtempSync, rmSync, constants as fsConstants} from 'node:fs'
import {open, type FileHandle} from 'node:fs/promises'
import {spawnSync} from 'node:child_process'
import {randomBytes} from 'node:crypto'
import {constants, tmpdir} from 'node:os'
import {join} from 'node:path'
import type {IPty} from '@lydell/node-pty'
import type {Masker} from '../secrets.js'
import type {StepLog} from '../step-log.js'
import type {Interrupts} from '../interrupt.js'
import {groupAlive, signalGroup} from '../interrupt.js'
import type {Reporter, StepTerminal, TerminalLease} from '../events.js'
import type {ScriptResult} from '../process.js'
import type {OutputSink} from '../output-pump.js'
import {FAILED_LINE} from '../process.js'
import {NON_INTERACTIVE} from '../shell-host.js'
import {EndMark, markedBootstrap} from './end-mark.js'
import {StepScreen} from './screen.js'
import {TextBlock} from '../lines.js'
import {terminalOf, waitsForInput} from './waiting.js'
import {matchAnswer, type ResolvedAnswer} from './answer-match.js'

/** Output quiet this long before the step's processes are looked at. */
const QUIET_MS = 250
/** How often, while quiet. */
const POLL_MS = 100
/** Nobody to answer: how long a step may wait at a prompt before it is stopped. */
export const UNANSWERED_MS = 1500
/** Screen updates sent at most this often. */
const SCREEN_MS = 80
const DEFAULT_SIZE = {cols: 100, rows: 30}

export interface PtyScriptOptions {
  script: string
  prelude?: string
  cwd: string
  env?: Record<string, string>
  masker: Masker
  log?: StepLog
  /** The raw stream (masked line by line), beside the log. */
  rawLog?: StepLog
  /** The screen's lines as they scroll off or complete, one at a time (a block of one line). */
  onOutput?: OutputSink
  interrupts?: Interrupts
  answers: ResolvedAnswer[]
  /** Connects the step to a person (the Interaction's attachStep, bound to the step); absent when nobody is there. */
  attach?: (terminal: StepTerminal) => TerminalLease
  stepId: string
  reporter?: Reporter
  /** Nobody to answer: stop after waiting this long at a prompt (1.5 s). */
  unansweredMs?: number
}

export interface PtyResult extends ScriptResult {
  /** The step waited at a prompt nobody could answer: the prompt line (masked). */
  unanswered?: string
  /** Answers typed, by pattern, in order. */
  answered: string[]
}

export async function runOnPty(opts: PtyScriptOptions): Promise<PtyResult> {
  const startedAt = new Date()
  const {default: pty} = await import('@lydell/node-pty')
  const fifoDir = mkdtempSync(join(tmpdir(), 'runbook-pty-'))
  const fifo = join(fifoDir, 'script')
  // Where the runner tells the shell that it has read the step's output to its end (end-mark.ts).
  const ackFifo = join(fifoDir, 'read')
  const made = spawnSync('mkfifo', ['-m', '600', fifo, ackFifo], {encoding: 'utf8'})
  if (made.status !== 0) {
    rmSync(fifoDir, {recursive: true, force: true})
    return {startedAt, endedAt: new Date(), error: `could not make a FIFO for the script (${(made.stderr || made.error?.message || '').trim()})`, answered: []}
  }
  // Open for reading and writing: the open does not wait for the shell, and the line stays in the FIFO until the shell reads it.
  let ack: FileHandle
  try {
    ack = await open(ackFifo, fsConstants.O_RDWR)
  } catch (error) {
    rmSync(fifoDir, {recursive: true, force: true})
    return {startedAt, endedAt: new Date(), error: `could not open the FIFO the step's end is told on (${(error as Error).message})`, answered: []}
  }
  const mark = new EndMark(randomBytes(12).toString('hex'))

  let term: IPty | undefined
  const outputListeners = new Set<(data: string) => void>()
  const failedLines: number[] = []
  let lease: TerminalLease | undefined
  const screen = new StepScreen(DEFAULT_SIZE.cols, DEFAULT_SIZE.rows, (line) => {
    const shown = opts.masker.mask(line)
    const m = FAILED_LINE.exec(shown)
    if (m) failedLines.push(Number(m[1]))
    opts.log?.write(shown + '\n')
    if (!lease?.direct) opts.onOutput?.('stdout', new TextBlock(shown))
  })
  const maskedScreen = () => ({rows: screen.visibleRows().map((row) => opts.masker.mask(row)), cursor: screen.cursor()})
  const terminal: StepTerminal = {
    input: (data) => term?.write(data),
    resize: (cols, rows) => {
      screen.resize(cols, rows)
      if (term && cols > 0 && rows > 0) term.resize(cols, rows)
    },
    onOutput: (listener) => {
      outputListeners.add(listener)
      return () => outputListeners.delete(listener)
    },
    screen: async () => {
      await screen.drained()
      return maskedScreen()
    },
  }
  lease = opts.attach?.(terminal)
  const cols = lease?.cols ?? DEFAULT_SIZE.cols
  const rows = lease?.rows ?? DEFAULT_SIZE.rows
  screen.resize(cols, rows)

  // A person at a terminal can answer debconf; nobody else can.
  const env = {...process.env, TERM: 'xterm-256color', ...(lease ? {} : NON_INTERACTIVE), ...opts.env} as Record<string, string>
  delete env.RUNBOOK_SCRIPT
  // fd 4 first: the folder goes once the script is read from the FIFO on fd 3.
  const shell = `eval "$2"; exec 4<"$3" 3<"$1"; RUNBOOK_END=$4; set --; ${markedBootstrap()}`
  try {
    term = pty.spawn('bash', ['--noprofile', '--norc', '-e', '-o', 'pipefail', '-c', shell, 'runbook', fifo, opts.prelude ?? '', ackFifo, mark.nonce], {
      name: 'xterm-256color',
      cols,
      rows,
      cwd: opts.cwd,
      env,
    })
  } catch (error) {
    // No terminal to be had: nothing of the step's may stay open or on disk.
    await ack.close()
    rmSync(fifoDir, {recursive: true, force: true})
    throw error
  }
  const pid = term.pid
  opts.interrupts?.setChild(pid, true)
  const fed = feedScript(fifo, opts.script).finally(() => rmSync(fifoDir, {recursive: true, force: true}))

  const raw = new RawLog(opts.rawLog, opts.masker)
  let lastOutput = Date.now()
  let screenDirty = false
  let waiting: string | undefined
  let answeredAt = -1
  let unanswered: string | undefined
  const answered: string[] = []
  let slave: string | undefined

  const sendScreen = () => {
    screenDirty = false
    if (!opts.reporter || !lease || lease.direct) return
    const {rows: shown, cursor} = maskedScreen()
    opts.reporter({type: 'screen', stepId: opts.stepId, rows: shown, cursor, ...(waiting !== undefined ? {waiting: {prompt: opts.masker.mask(waiting)}} : {})})
  }
  const screenTimer = setInterval(() => {
    if (screenDirty) sendScreen()
  }, SCREEN_MS)

  const receive = (data: string) => {
    if (data === '') return
    raw.take(data)
    // Dirty once the emulator has drawn the data, not when it arrives: its parser runs later (in slices
    // for a long write), and a screen sent in between would be the last one a quiet program ever shows.
    void screen.write(data).then(() => {
      screenDirty = true
    })
    if (outputListeners.size > 0) {
      const shown = opts.masker.empty ? data : opts.masker.mask(data)
      for (const listener of outputListeners) listener(shown)
    }
    if (waiting !== undefined) {
      waiting = undefined
      screenDirty = true
    }
  }
  term.onData((chunk) => {
    lastOutput = Date.now()
    const seen = mark.seen
    receive(mark.take(chunk))
    // Everything the script printed is in: the shell may exit.
    if (!seen && mark.seen) void ack.write('\n').catch(() => {})
  })

  let checking = false
  const poll = setInterval(() => {
    if (checking || Date.now() - lastOutput < QUIET_MS || unanswered !== undefined) return
    checking = true
    void (async () => {
      await screen.drained()
      slave ??= terminalOf(pid)
      const blocked = slave !== undefined && waitsForInput(pid, slave)
      if (!blocked) {
        if (waiting !== undefined) {
          waiting = undefined
          screenDirty = true
        }
        return
      }
      const prompt = screen.promptLine(answeredAt)
      const answer = matchAnswer(opts.answers, prompt)
      if (answer) {
        answeredAt = screen.cursorLine()
        answered.push(answer.pattern)
        opts.log?.write(`# answered ${JSON.stringify(opts.masker.mask(prompt))} (${answer.from}: ${answer.pattern})\n`)
        // Counted as output: the program needs a moment to take it before it is looked at again.
        lastOutput = Date.now()
        term?.write(answer.value + '\r')
        return
      }
      if (waiting === undefined) {
        waiting = prompt
        screenDirty = true
      }
      if (!lease && Date.now() - lastOutput >= (opts.unansweredMs ?? UNANSWERED_MS)) {
        unanswered = prompt
        opts.log?.write(`# waited for input nobody can give: ${JSON.stringify(opts.masker.mask(prompt))}\n`)
        signalGroup(pid, 'SIGTERM')
        setTimeout(() => signalGroup(pid, 'SIGKILL'), 1000).unref()
      }
    })().finally(() => {
      checking = false
    })
  }, POLL_MS)

  const exit = await new Promise<{exitCode: number; signal?: number}>((resolve) => term!.onExit(resolve))
  clearInterval(poll)
  // No mark (the shell was killed): what the kernel still holds may arrive after the exit; give it a moment.
  if (!mark.seen) await new Promise((r) => setTimeout(r, 30))
  receive(mark.flush())
  await ack.close()
  if (opts.interrupts?.interrupted) await reap(pid, opts.interrupts)
  clearInterval(screenTimer)
  await screen.finish()
  raw.end()
  await lease?.release()
  // bash never opened the FIFO (it died first): open its reading end so that our writer lets go.
  await unblock(fifo, fed)
  opts.interrupts?.clearChild()
  screen.dispose()
  try {
    term.kill('SIGHUP')
  } catch {
    // gone already
  }

  const result: PtyResult = {startedAt, endedAt: new Date(), answered}
  const signal = exit.signal ? Object.entries(constants.signals).find(([, n]) => n === exit.signal)?.[0] : undefined
  if (signal) result.signal = signal
  else result.exitCode = exit.exitCode
  if (unanswered !== undefined) result.unanswered = opts.masker.mask(unanswered)
  const line = failedLines.at(-1)
  if (line !== undefined && line > 0 && result.exitCode !== 0) result.failedLine = line
  return result
}

/** Writes the script into the FIFO once bash opens it, then closes it (bash reads to EOF). */
async function feedScript(fifo: string, script: string): Promise<void> {
  const handle = await open(fifo, 'w')
  try {
    await handle.writeFile(script)
  } finally {
    await handle.close()
  }
}

async function unblock(fifo: string, fed: Promise<void>): Promise<void> {
  const settled = await Promise.race([fed.then(() => true, () => true), new Promise<false>((r) => setImmediate(() => r(false)))])
  if (settled) return
  try {
    const reader = await open(fifo, fsConstants.O_RDONLY | fsConstants.O_NONBLOCK)
    await fed.catch(() => {})
    await reader.close()
  } catch {
    // The folder went with the writer already.
  }
}

/** Waits for the group to go after a stop (SIGKILL once the grace is over). */
async function reap(pid: number, interrupts: Interrupts): Promise<void> {
  const deadline = Date.now() + interrupts.graceMs + 500
  while (groupAlive(pid)) {
    if (Date.now() > deadline) interrupts.killGroup(pid)
    await new Promise((r) => setTimeout(r, 50))
  }
}

/** The raw stream, masked a line at a time (a secret split across two chunks is still whole in its line). */
class RawLog {
  private pending = ''

  constructor(
    private readonly log: StepLog | undefined,
    private readonly masker: Masker,
  ) {}

  take(data: string): void {
    if (!this.log) return
    this.pending += data
    const nl = this.pending.lastIndexOf('\n')
    // A progress bar that never ends its line is written once it holds 64 KiB.
    if (nl === -1 && this.pending.length < 65536) return
    const cut = nl === -1 ? this.pending.length : nl + 1
    this.log.write(this.masker.mask(this.pending.slice(0, cut)))
    this.pending = this.pending.slice(cut)
  }

  end(): void {
    if (this.pending) this.log?.write(this.masker.mask(this.pending))
    this.pending = ''
  }
}
