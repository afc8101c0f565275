/**
 * The plain reporter: one line per event, for pipes, CI and `--no-tui`; and
 * the Interaction that goes with it (readline prompts at a terminal, answers
 * from flags without one). Must not import Ink.
 */
import {createInterface} from 'node:readline'
import {Writable} from 'node:stream'
import type {PlannedAction, PlannedStep} from '../resolve/types.js'
import type {FailureChoice, Interaction, Reporter, RunEvent, StepChoice, StepStatus, StepTerminal, TerminalLease} from '../execute/events.js'
import {UsageError} from '../errors.js'
import {paint} from './color.js'
import {visible, visibleDeep} from './sanitize.js'
import {frameLines} from './frame-lines.js'

export function formatDuration(ms: number): string {
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)}s`
  const s = Math.round(ms / 1000)
  return `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s`
}

function otherHostReason(step: PlannedStep): string {
  return step.actions.find((a) => a.host.where === 'other')?.host.reason ?? 'another server'
}

const SKIP_TEXT = {
  'done-before': () => 'done before',
  filter: () => 'not selected',
  user: () => 'skipped by you',
  'other-host': (step: PlannedStep) => `other host: ${JSON.stringify(otherHostReason(step))}`,
} as const

function countsText(counts: Record<StepStatus, number>): string {
  const order: StepStatus[] = ['done', 'skipped', 'failed', 'interrupted', 'running', 'pending']
  return order.filter((s) => counts[s] > 0).map((s) => `${counts[s]} ${s}`).join(', ') || 'no steps'
}

/** Continuation lines of a multi-line text, indented under its first. */
function indent(text: string, first: string, rest: string): string {
  return text
    .split('\n')
    .map((line, i) => (i === 0 ? first : rest) + line)
    .join('\n')
}

/** Output gathered before one write: a flood costs a write per 64 KiB, whatever its lines. */
const OUTPUT_BATCH = 64 * 1024
/**
 * How long output may wait for more before it is written. A program writing
 * 4 KiB at a time brings the runner a chunk per write; a write each cost more
 * than everything else the reporter does with them (a quarter of a second of
 * CPU per 256 MiB, against a hundredth in 64 KiB writes). Nobody sees 5 ms.
 */
const OUTPUT_DELAY_MS = 5

/** Anything but printable ASCII, tab and newline: such output needs visible() and UTF-8. */
const NOT_PLAIN_ASCII = /[^\t\n\x20-\x7e]/

/** How a stream's lines are framed: before the first, between two (for each newline), after the last. */
interface Frame {
  head: string
  between: Buffer
  tail: string
}

function copyOf(bytes: Uint8Array): Buffer {
  const copy = Buffer.allocUnsafe(bytes.length)
  copy.set(bytes)
  return copy
}

/** A batch's room: a flood's blocks are copied in, and it is written when it holds OUTPUT_BATCH. */
const BATCH_ROOM = 4 * OUTPUT_BATCH

/**
 * Output bytes gathered for one write. Where the stream is the process's
 * own stdout or stderr, the kernel takes the bytes during the write, so a
 * written batch's memory is used again once its write is done (no buffer
 * made per write, none left for the garbage collector); any other stream
 * may keep what it is given, and gets a copy.
 */
class OutputBatch {
  private buffer: Buffer = Buffer.allocUnsafeSlow(BATCH_ROOM)
  private spare: Buffer[] = []
  size = 0

  constructor(
    private readonly out: NodeJS.WritableStream,
    private readonly reuse: boolean,
  ) {}

  add(bytes: Uint8Array): void {
    if (this.size + bytes.length > this.buffer.length) {
      this.flush()
      if (bytes.length > this.buffer.length) {
        this.out.write(copyOf(bytes))
        return
      }
    }
    this.buffer.set(bytes, this.size)
    this.size += bytes.length
  }

  flush(): void {
    if (this.size === 0) return
    const full = this.buffer.subarray(0, this.size)
    this.size = 0
    if (!this.reuse) {
      this.out.write(copyOf(full))
      return
    }
    const buffer = this.buffer
    this.out.write(full, () => this.spare.push(buffer))
    this.buffer = this.spare.pop() ?? Buffer.allocUnsafeSlow(BATCH_ROOM)
  }
}

export function createPlainReporter(out: NodeJS.WritableStream, opts: {color: boolean}): Reporter {
  const c = paint(opts.color)
  // A step's output comes a block of lines at a time. Blocks are written
  // together OUTPUT_DELAY_MS after the first of them, sooner when they pile
  // up, and always before anything else is printed, so the order stays as it was.
  const batch = new OutputBatch(out, out === process.stdout || out === process.stderr)
  let timer: ReturnType<typeof setTimeout> | undefined
  const bar = c.dim('  | ')
  // Each line gets the bar; stderr's lines are yellow too.
  const [yellowOn, yellowOff] = c.yellow('\u0000').split('\u0000') as [string, string]
  const frames: Record<'stdout' | 'stderr', Frame> = {
    stdout: {head: bar, between: Buffer.from('\n' + bar), tail: '\n'},
    stderr: {head: bar + yellowOn, between: Buffer.from(yellowOff + '\n' + bar + yellowOn), tail: yellowOff + '\n'},
  }
  const heads = {stdout: Buffer.from(frames.stdout.head), stderr: Buffer.from(frames.stderr.head)}
  const tails = {stdout: Buffer.from(frames.stdout.tail), stderr: Buffer.from(frames.stderr.tail)}
  const flush = () => {
    if (timer) clearTimeout(timer)
    timer = undefined
    batch.flush()
  }
  const print = (line: string) => {
    flush()
    out.write(line + '\n')
  }
  /**
   * The bytes as they are when they are all printable ASCII (the common
   * flood), framed without a string made (frame-lines.ts). False, with
   * nothing added, when a part is not plain: the block is then shown as
   * text, made visible.
   */
  const addBytes = (parts: readonly Buffer[], stream: 'stdout' | 'stderr'): boolean => {
    const add = (framed: Uint8Array) => {
      batch.add(heads[stream])
      batch.add(framed)
      batch.add(tails[stream])
    }
    // Each part is whole lines: its last newline is the frame's tail, not a `between`. The parts
    // before the last (a line that straddled two reads) are copied until the last is known plain too.
    const between = frames[stream].between
    const before: Buffer[] = []
    for (const part of parts.slice(0, -1)) if (!frameLines(part.subarray(0, -1), between, (bytes) => before.push(copyOf(bytes)))) return false
    return frameLines(parts[parts.length - 1]!.subarray(0, -1), between, (bytes) => {
      for (const framed of before) add(framed)
      add(bytes)
    })
  }
  const printOutput = (event: Extract<RunEvent, {type: 'output'}>) => {
    const {stream} = event
    if (!event.bytes || !addBytes(event.bytes, stream)) {
      const block = event.text
      const shown = NOT_PLAIN_ASCII.test(block) ? visible(block) : block
      const frame = frames[stream]
      batch.add(Buffer.from(frame.head + shown.replaceAll('\n', frame.between.toString()) + frame.tail))
    }
    if (batch.size >= OUTPUT_BATCH) flush()
    else timer ??= setTimeout(flush, OUTPUT_DELAY_MS)
  }
  return (raw: RunEvent) => {
    // Page text (titles, commands, labels) and step output are shown with control characters visible.
    const event = raw.type === 'output' ? raw : visibleDeep(raw)
    if (event.type !== 'output') flush()
    switch (event.type) {
      case 'run-start': {
        const p = event.plan
        const platform = p.platform.prettyName ?? [p.platform.id, p.platform.versionId].filter(Boolean).join(' ')
        print(c.bold(`${event.resumed ? 'Resuming' : 'Running'} ${p.runbook.title}`) + c.dim(` — ${p.procedure.title}, ${platform} ${p.platform.arch}`))
        print(c.dim(`Run ${event.runId} in ${event.runDir}`))
        break
      }
      case 'step-start':
        print(c.bold(`==> Step ${event.step.number}/${event.total}: ${event.step.title}`) + (event.host ? c.cyan(` [on ${event.host}]`) : '') + (event.attempt > 1 ? c.dim(` (attempt ${event.attempt})`) : ''))
        break
      case 'action-start':
        if (event.action.kind === 'file-content') break
        if (event.action.kind === 'manual') print(indent(event.display, c.cyan('By hand: '), '         '))
        else print(indent(event.display, event.host ? c.cyan(`${event.host.split(' ')[0]}$ `) : c.dim('$ '), '  '))
        break
      case 'output':
        printOutput(event)
        break
      case 'action-end':
      case 'screen':
        break
      case 'step-end':
        stepEnd(event)
        break
      case 'notice':
        print(indent(event.message, event.level === 'warning' ? c.yellow('! ') : c.dim('» '), '  '))
        break
      case 'run-end': {
        const time = formatDuration(event.durationMs)
        const head = {done: c.green('Done'), failed: c.red('Failed'), interrupted: c.yellow('Interrupted'), aborted: c.yellow('Stopped')}[event.status]
        print(`${head} in ${time}: ${countsText(event.counts)}.`)
        if (event.status !== 'done') print(c.dim(`Run folder: ${event.runDir}`))
        if (event.resumeCommand) print(`Resume with: ${event.resumeCommand}`)
        break
      }
    }
  }

  function stepEnd(event: Extract<RunEvent, {type: 'step-end'}>): void {
    const n = event.step.number
    const time = formatDuration(event.durationMs)
    switch (event.status) {
      case 'done':
        print(c.green(`✓ Step ${n} done`) + c.dim(` (${time})`))
        break
      case 'skipped':
        print(c.dim(`- Step ${n} skipped (${SKIP_TEXT[event.skipReason ?? 'user'](event.step)})`))
        break
      case 'failed':
      case 'interrupted': {
        const why = event.status === 'interrupted' ? 'interrupted' : `failed${event.exitCode === undefined ? '' : ` (exit ${event.exitCode})`}`
        print(c.red(`✗ Step ${n} ${why}`) + (event.logFile ? ` — log: ${event.logFile}` : ''))
        if (event.error && (event.status === 'failed' || event.error !== 'interrupted')) print(indent(event.error, '  ', '  '))
        if (event.troubleshooting) print(indent(event.troubleshooting, c.bold('  Troubleshooting: '), '    '))
        break
      }
      default:
        print(`- Step ${n} ${event.status}`)
    }
  }
}

export interface PlainInteractionOptions {
  yes: boolean
  input: NodeJS.ReadableStream
  output: NodeJS.WritableStream
  /** A person at the input: prompts; otherwise answers come from flags. */
  isTTY: boolean
}

/** Which flag answers a choice: procedures have their own. */
function flagFor(question: string): string {
  return /procedure/i.test(question) ? '--procedure' : '--choose'
}

export function createPlainInteraction(opts: PlainInteractionOptions): Interaction {
  if (!opts.isTTY) {
    return {
      async choose(question, options) {
        const flag = flagFor(question)
        throw new UsageError(`${question} There is no terminal to ask on: pass ${flag} with one of ${options.map((o) => JSON.stringify(o)).join(', ')}.`)
      },
      async promptValue(name) {
        throw new UsageError(`No value for ${name} and no terminal to ask on: pass --set ${name}=… or set RUNBOOK_${name}=….`)
      },
      async confirmManual() {
        return opts.yes
      },
      async confirmStep(): Promise<StepChoice> {
        return 'run'
      },
      async onFailure(): Promise<FailureChoice> {
        return 'abort'
      },
    }
  }
  const ask = (question: string, secret = false) => prompt(opts.input, opts.output, visible(question), secret)
  return {
    async choose(question, options) {
      opts.output.write(visible(`${question}\n${options.map((o, i) => `  ${i + 1}) ${o}`).join('\n')}\n`))
      for (;;) {
        const answer = Number((await ask(`Choice [1-${options.length}]: `)).trim())
        if (Number.isInteger(answer) && answer >= 1 && answer <= options.length) return answer - 1
      }
    },
    async confirmCondition(condition, role) {
      const what = role === 'optional' ? 'The page offers this' : 'The page runs this only if'
      const answer = await ask(`${what}: ${condition.text}\nRun it? [y/N] `)
      return /^y/i.test(answer.trim())
    },
    async promptValue(name, secret, hint) {
      return ask(`${hint ? `${hint}\n` : ''}${name}${secret ? ' (hidden)' : ''}: `, secret)
    },
    async confirmManual(action: PlannedAction, step: PlannedStep) {
      if (opts.yes) return true
      const answer = await ask(`Step ${step.number}: press Enter when this is done, or type q to stop: `)
      void action
      return !/^q/i.test(answer.trim())
    },
    async confirmStep(step, _index) {
      const answer = (await ask(`Run step ${step.number} (${step.title})? [Y]es/[s]kip/[q]uit: `)).trim()
      return /^s/i.test(answer) ? 'skip' : /^q/i.test(answer) ? 'quit' : 'run'
    },
    async onFailure(step, _error, _log, options) {
      const rollback = options?.canRollback ?? false
      for (;;) {
        const answer = (await ask(`Step ${step.number} failed: [r]etry, [s]kip, [a]bort${rollback ? ', roll[b]ack' : ''}? `)).trim().toLowerCase()
        const choices: Record<string, FailureChoice> = {r: 'retry', s: 'skip', a: 'abort', '': 'abort', ...(rollback ? {b: 'rollback' as const} : {})}
        const choice = choices[answer.slice(0, 1)]
        if (choice) return choice
      }
    },
    async withTerminal<T>(run: () => Promise<T>): Promise<T> {
      // No readline is kept open between prompts: the terminal is the program's.
      return run()
    },
    attachStep(_step, terminal) {
      return passThrough(terminal, opts.input as NodeJS.ReadStream, opts.output as NodeJS.WriteStream)
    },
  }
}

/**
 * Plain lines at a terminal: a step on a pseudo-terminal gets the person's
 * terminal for as long as it runs (raw keys in, its output straight out; the
 * reporter prints none of it meanwhile). Ctrl-C stays the runner's: it stops
 * the step as for any other.
 */
function passThrough(terminal: StepTerminal, input: NodeJS.ReadStream, output: NodeJS.WriteStream): TerminalLease {
  const raw = typeof input.setRawMode === 'function'
  const wasRaw = input.isRaw
  if (raw) input.setRawMode(true)
  const onKeys = (data: Buffer | string) => {
    const text = data.toString()
    if (text.includes('\u0003')) process.kill(process.pid, 'SIGINT')
    const rest = text.replace(/\u0003/g, '')
    if (rest) terminal.input(rest)
  }
  const onResize = () => terminal.resize(output.columns, output.rows)
  input.on('data', onKeys)
  input.resume()
  output.on('resize', onResize)
  const stop = terminal.onOutput((data) => output.write(data))
  return {
    cols: output.columns || 80,
    rows: output.rows || 24,
    direct: true,
    async release() {
      stop()
      output.off('resize', onResize)
      input.off('data', onKeys)
      input.pause()
      if (raw) input.setRawMode(wasRaw ?? false)
      // A step that ended mid-line leaves the next report on a line of its own.
      output.write('\r\n')
    },
  }
}

/** One question on a fresh readline; Ctrl-C is passed on as SIGINT to the process. */
function prompt(input: NodeJS.ReadableStream, output: NodeJS.WritableStream, question: string, secret: boolean): Promise<string> {
  let muted = false
  const sink = new Writable({
    write(chunk, _enc, done) {
      if (!muted) output.write(chunk)
      done()
    },
  })
  const rl = createInterface({input, output: sink, terminal: true})
  return new Promise((resolve) => {
    rl.on('SIGINT', () => {
      rl.close()
      output.write('\n')
      process.kill(process.pid, 'SIGINT')
    })
    rl.question(question, (answer) => {
      rl.close()
      if (secret) output.write('\n')
      resolve(answer)
    })
    muted = secret
  })
}
