/**
 * One action of a step, by kind: `exec` and `check` run, `manual` asks,
 * `edit` opens an editor, `file-content` applies KEY=VALUE settings or asks.
 */
import {resolve as resolvePath} from 'node:path'
import {readFileSync} from 'node:fs'
import type {Placeholder} from '../graph/types.js'
import type {Plan, PlannedAction, PlannedStep} from '../resolve/types.js'
import type {Interaction, Reporter} from './events.js'
import {substitute, substituteLiteral} from '../resolve/substitute.js'
import type {Masker} from './secrets.js'
import type {StepLog} from './step-log.js'
import type {Interrupts} from './interrupt.js'
import {runScript, type ScriptResult} from './process.js'
import type {ShellPool} from './shell-host.js'
import {OutputTail, type OutputBlock} from './lines.js'
import type {OutputSink, StreamName} from './output-pump.js'
import {findPlaceholders} from '../graph/placeholders.js'
import {terminalUse} from './pty/when.js'
import {rawLogPath} from './paths.js'
import type {ResolvedAnswer} from './pty/answer-match.js'
import type {Target} from './target/types.js'
import type {SshTarget} from './target/ssh.js'

export interface ActionContext {
  plan: Plan
  step: PlannedStep
  values: Record<string, string>
  masker: Masker
  workDir: string
  journalDir: string
  log: StepLog
  reporter: Reporter
  interaction: Interaction
  interrupts: Interrupts
  yes: boolean
  /** Put before every script (the sudo stand-in). */
  prelude: string
  env: Record<string, string>
  /** The run's shells, kept up from step to step. */
  shells?: ShellPool
  resumeCommand: string
  /** Answers for this step's prompts: the page's, then `--answer`'s. */
  answers: ResolvedAnswer[]
  /** Where the action runs (this machine when absent). */
  target?: Target
  runId?: string
  /** The step runs again after a stop: a remote command the last runner left may have finished meanwhile. */
  rerun?: boolean
}

export type ActionOutcome =
  | {ok: true}
  | {
      ok: false
      error: string
      exitCode?: number
      signal?: string
      interrupted?: boolean
      /** The run stops here without offering retry/skip (a person has to act first). */
      stop?: boolean
      tail?: string[]
    }

const TAIL_LINES = 10

/**
 * The text an action starts from: the template as written. The plan's `script`
 * has non-secret values shell-quoted in for display, which is wrong for file
 * contents and instructions; here every value goes in for its own kind.
 */
function sourceText(action: PlannedAction): string {
  return action.template
}

/**
 * Placeholder records for an action: every spelling its template has (`<TOKEN>`,
 * `<token>`), found as the graph found them, with the plan's word on secrecy.
 */
export function placeholdersFor(plan: Plan, action: PlannedAction): Placeholder[] {
  const used = new Set(action.placeholders)
  const secret = new Map(plan.parameters.map((p) => [p.name, p.secret]))
  return findPlaceholders(sourceText(action))
    .filter((p) => used.has(p.name))
    .map((p) => ({...p, secret: secret.get(p.name) ?? p.secret}))
}

function missingValues(placeholders: Placeholder[], values: Record<string, string>): string[] {
  return [...new Set(placeholders.filter((p) => values[p.raw] === undefined && values[p.name] === undefined).map((p) => p.name))]
}

export async function runAction(ctx: ActionContext, action: PlannedAction, index: number): Promise<ActionOutcome> {
  const placeholders = placeholdersFor(ctx.plan, action)
  const literal = () => substituteLiteral(sourceText(action), ctx.values, placeholders)
  if (action.kind === 'manual') return manual(ctx, action, index, ctx.masker.mask(literal()))
  const remote = ctx.target?.kind === 'ssh' ? (ctx.target as SshTarget) : undefined
  if (remote && (action.kind === 'file-content' || action.kind === 'edit')) {
    const what = action.kind === 'edit' ? `edit ${action.file ?? 'a file'}` : `put this content in ${action.file ?? 'the file the guide names'}:\n${ctx.masker.mask(literal())}\n`
    return manual(ctx, action, index, `On ${remote.role} (${remote.label}), ${what}`)
  }
  if (action.kind === 'file-content') return fileContent(ctx, action, index, literal())

  const missing = missingValues(placeholders, ctx.values)
  if (missing.length > 0) {
    return {ok: false, stop: true, error: `No value for ${missing.join(', ')}: pass ${missing.map((n) => `--set ${n}=…`).join(' ')} (or set ${missing.map((n) => `RUNBOOK_${n}`).join(', ')}).`}
  }
  const script = await substitute(sourceText(action), ctx.values, placeholders, {source: action.source})
  const display = ctx.masker.mask(script)
  if (remote) return runRemote(ctx, remote, action, index, script, display)
  ctx.reporter({type: 'action-start', step: ctx.step, action, index, display})
  ctx.log.write(`$ ${display}\n`)
  if (action.kind === 'edit') return edit(ctx, action, script, display)

  const tail = new OutputTail(TAIL_LINES)
  const onOutput = reportOutput(ctx, tail)
  if (onPty(ctx, action, script)) return finish(ctx, action, await runPtyAction(ctx, action, script, onOutput), display, tail.lines())
  const run = (interactive: boolean) =>
    runScript({
      prelude: ctx.prelude,
      script,
      cwd: ctx.workDir,
      env: ctx.env,
      interactive,
      masker: ctx.masker,
      log: ctx.log,
      interrupts: ctx.interrupts,
      ...(ctx.shells ? {shells: ctx.shells} : {}),
      onOutput,
    })
  const withTerminal = ctx.interaction.withTerminal?.bind(ctx.interaction)
  const result = action.interactive && withTerminal ? await withTerminal(() => run(true)) : await run(false)
  return finish(ctx, action, result, display, tail.lines())
}

/**
 * A step goes to a pseudo-terminal when it may ask something: the page marks
 * it interactive (a pager, `read`), its commands are known to ask (a script
 * run from a file, `apt-get install` without -y, `dpkg -i`, `certbot`…, see
 * pty/when.ts), or the page declares answers for it. All others run in the
 * run's shell, which costs a fork.
 */
function onPty(ctx: ActionContext, action: PlannedAction, script: string): boolean {
  return terminalUse({kind: action.kind, interactive: action.interactive, script}, ctx.step.answers?.length ?? 0).pty
}

/** The step's output blocks go to the reporter as they come; the tail keeps their last lines for a failure. */
function reportOutput(ctx: ActionContext, tail: OutputTail): OutputSink {
  return (stream, block) => {
    tail.push(block)
    ctx.reporter(new OutputEvent(ctx.step.id, stream, block))
  }
}

/**
 * An output event whose text is decoded only if a reporter reads it (the
 * plain one shows printable bytes as they are). The getter is the class's:
 * an object literal with a getter of its own got a shape of its own, and
 * V8 kept those shapes, and through them every block's bytes, until a full
 * collection (the runner's memory doubled over a flood).
 */
class OutputEvent {
  readonly type = 'output'
  readonly bytes: readonly Buffer[] | undefined

  constructor(
    readonly stepId: string,
    readonly stream: StreamName,
    private readonly block: OutputBlock,
  ) {
    this.bytes = block.bytes
  }

  get text(): string {
    return this.block.text
  }
}

async function runPtyAction(ctx: ActionContext, action: PlannedAction, script: string, onOutput: OutputSink): Promise<ScriptResult & {unanswered?: string}> {
  const [{runOnPty}, {StepLog}] = await Promise.all([import('./pty/run-pty.js'), import('./step-log.js')])
  const attachStep = ctx.interaction.attachStep?.bind(ctx.interaction)
  const rawLog = new StepLog(rawLogPath(ctx.log.file))
  try {
    return await runOnPty({
      script,
      prelude: ctx.prelude,
      cwd: ctx.workDir,
      env: ctx.env,
      masker: ctx.masker,
      log: ctx.log,
      rawLog,
      interrupts: ctx.interrupts,
      answers: ctx.answers,
      stepId: ctx.step.id,
      reporter: ctx.reporter,
      ...(attachStep ? {attach: (terminal) => attachStep(ctx.step, terminal, {whole: action.interactive})} : {}),
      onOutput,
    })
  } finally {
    await rawLog.close().catch(() => {})
  }
}

/**
 * On another machine. A rerun first asks that machine about the command the
 * stopped runner left: still running (wait for it), or finished (take its
 * status, never run it twice).
 */
async function runRemote(
  ctx: ActionContext, target: SshTarget, action: PlannedAction, index: number, script: string, display: string,
): Promise<ActionOutcome> {
  const tail = new OutputTail(TAIL_LINES)
  const onOutput = reportOutput(ctx, tail)
  const runId = ctx.runId ?? ''
  const tag = `${ctx.step.id}.a${index + 1}`
  if (ctx.rerun) {
    let left = await target.leftover(runId, tag)
    if (left.state === 'running') {
      ctx.reporter({type: 'notice', level: 'warning', message: `Step ${ctx.step.number}: its command from the stopped run is still running on ${target.role} (${target.label}); waiting for it to end.`})
      while (left.state === 'running' && !ctx.interrupts.interrupted) {
        await new Promise((r) => setTimeout(r, 1000))
        left = await target.leftover(runId, tag)
      }
      if (ctx.interrupts.interrupted) return {ok: false, interrupted: true, error: 'interrupted'}
    }
    if (left.state === 'finished') {
      await target.claim(runId, tag)
      ctx.log.write(`$ ${display}\n# finished on ${target.label} after the runner stopped: exit ${left.status} (its output was not seen)\n`)
      ctx.reporter({type: 'notice', level: 'info', message: `Step ${ctx.step.number}: the command \`${display.split('\n')[0]}\` finished on ${target.role} after the runner stopped (exit ${left.status}); it is not run again.`})
      if (left.status === 0) return {ok: true}
      return {ok: false, error: `Command \`${display.split('\n')[0]}\` exited with code ${left.status} on ${target.role} (after the runner stopped).`, exitCode: left.status}
    }
  }
  ctx.reporter({type: 'action-start', step: ctx.step, action, index, display, host: `${target.role} (${target.label})`})
  ctx.log.write(`$ ${display}\n# on ${target.label}\n`)
  const result = await target.runStep({script, cwd: '', masker: ctx.masker, log: ctx.log, interrupts: ctx.interrupts, onOutput, runId, tag})
  if (result.lost) {
    ctx.log.write(`# ${result.error}\n`)
    ctx.reporter({type: 'action-end', stepId: ctx.step.id, actionId: action.id})
    return {ok: false, interrupted: true, error: `${result.error}. The step is interrupted; resume to run it again (a command that finished meanwhile is not run twice).`, tail: tail.lines()}
  }
  return finish(ctx, action, result, display, tail.lines(), target.label)
}

function finish(ctx: ActionContext, action: PlannedAction, result: ScriptResult & {unanswered?: string}, display: string, tail: string[], on?: string): ActionOutcome {
  ctx.log.write(result.signal ? `# killed by ${result.signal}\n` : `# exit ${result.exitCode ?? '?'}\n`)
  ctx.reporter({
    type: 'action-end',
    stepId: ctx.step.id,
    actionId: action.id,
    ...(result.exitCode === undefined ? {} : {exitCode: result.exitCode}),
    ...(result.signal ? {signal: result.signal} : {}),
  })
  if (result.lingering) {
    ctx.reporter({type: 'notice', level: 'warning', message: `A background process started by step ${ctx.step.number} still holds its output open; its further output is not logged.`})
  }
  if (ctx.interrupts.interrupted) return {ok: false, interrupted: true, error: 'interrupted', ...codes(result)}
  if (result.unanswered !== undefined) return {ok: false, error: unansweredError(ctx, result.unanswered), tail: [...tail], ...codes(result)}
  if (result.exitCode === 0) return {ok: true}
  const lines = display.split('\n')
  const what = action.kind === 'check' ? 'Check' : 'Command'
  const how = result.error ?? (result.signal ? `was killed by ${result.signal}` : `exited with code ${result.exitCode}`)
  const at = result.failedLine !== undefined && lines.length > 1 ? lines[result.failedLine - 1] : undefined
  const which = at !== undefined ? `Line ${result.failedLine} of the ${what.toLowerCase()}, \`${at.trim()}\`,` : `${what} \`${lines[0]}${lines.length > 1 ? ' …' : ''}\``
  return {ok: false, error: `${which} ${how}${on ? ` on ${on}` : ''}.`, tail: [...tail], ...codes(result)}
}

/** One paragraph: which step, what it asked, the three ways to answer it. */
function unansweredError(ctx: ActionContext, prompt: string): string {
  const asked = prompt.trim() === '' ? 'waited for input without printing a prompt' : `asked ${JSON.stringify(prompt.trim())}`
  // The prompt's own words make the pattern: its trailing `: `, `? ` or `> ` is left out.
  const pattern = prompt.trim().replace(/[\s:?>]+$/, '').slice(-60).trim().replace(/=/g, '\\=') || 'PATTERN'
  const flag = `--answer ${quoteArg(`${pattern}=VALUE`)}`
  return (
    `Step ${ctx.step.number} (${ctx.step.title}) ${asked} and stopped to wait for an answer, but there is no terminal to ask on, and no declared answer matches; it was stopped rather than fed an empty answer. ` +
    `Answer it with ${flag} (text the prompt shows, then what to type), declare it in the page next to the command (a :::answers fence or an <!-- answers ${pattern}=VALUE --> comment), or run it at a terminal.`
  )
}

function quoteArg(text: string): string {
  return `'${text.replace(/'/g, `'\\''`)}'`
}

function codes(result: ScriptResult): {exitCode?: number; signal?: string} {
  return {...(result.exitCode === undefined ? {} : {exitCode: result.exitCode}), ...(result.signal ? {signal: result.signal} : {})}
}

async function manual(ctx: ActionContext, action: PlannedAction, index: number, text: string): Promise<ActionOutcome> {
  ctx.reporter({type: 'action-start', step: ctx.step, action, index, display: text})
  ctx.log.write(`# by hand: ${text}\n`)
  if (ctx.yes) {
    ctx.reporter({type: 'notice', level: 'info', message: `Taken as done (--yes): ${text}`})
    return {ok: true}
  }
  if (await ctx.interaction.confirmManual(action, ctx.step)) return {ok: true}
  return {ok: false, stop: true, error: `Step ${ctx.step.number} needs this done by hand: ${text} Do it, then continue with: ${ctx.resumeCommand} --yes`}
}

async function edit(ctx: ActionContext, action: PlannedAction, script: string, display: string): Promise<ActionOutcome> {
  // Loaded by the steps that need them: a run of plain commands never does.
  const {editTarget, editorScript} = await import('./editor.js')
  const file = editTarget(action, script)
  if (action.sameEditAs) {
    // The page says "open the file" again for another setting: one editor session covers both.
    ctx.log.write(`# ${file ?? 'the file'} was opened by the edit above; not opened again\n`)
    return {ok: true}
  }
  const withTerminal = ctx.interaction.withTerminal?.bind(ctx.interaction)
  if (!withTerminal) {
    // Without a terminal the edit can happen only as the page's own content block right after it says.
    if (ctx.yes && (await appliedByNextBlock(ctx, action, file))) {
      ctx.reporter({type: 'notice', level: 'info', message: `No terminal for an editor: ${file} gets the settings of the block that follows (--yes).`})
      return {ok: true}
    }
    return {
      ok: false,
      stop: true,
      error: `Step ${ctx.step.number} asks you to edit ${file ?? 'a file'} (\`${display}\`), and there is no terminal to open an editor in${ctx.yes ? ' (--yes does not take an edit as done)' : ''}. Continue at a terminal, where the editor opens: ${ctx.resumeCommand}`,
    }
  }
  const editor = editorScript(action, script)
  const result = await withTerminal(() =>
    runScript({prelude: ctx.prelude, script: editor, cwd: ctx.workDir, env: ctx.env, interactive: true, masker: ctx.masker, interrupts: ctx.interrupts}),
  )
  return finish(ctx, action, result, ctx.masker.mask(editor), [])
}

async function fileContent(ctx: ActionContext, action: PlannedAction, index: number, content: string): Promise<ActionOutcome> {
  const target = action.file ? resolvePath(ctx.workDir, action.file) : undefined
  const shown = ctx.masker.mask(content)
  ctx.reporter({type: 'action-start', step: ctx.step, action, index, display: shown})
  ctx.reporter({type: 'notice', level: 'info', message: `${target ? `Content for ${target}` : 'File content'}:\n${shown}`})
  const {applySettingsToFile, isKeyValueTarget, parseSettings} = await import('./kv-file.js')
  const settings = target && isKeyValueTarget(target) ? parseSettings(content) : undefined
  if (target && settings) {
    const applied = applySettingsToFile(target, settings, ctx.journalDir)
    const keys = settings.map((s) => s.key).join(', ')
    ctx.log.write(`# set ${keys} in ${target}${applied.backup ? ` (backup: ${applied.backup})` : ' (new file)'}\n`)
    ctx.reporter({type: 'notice', level: 'info', message: `Set ${keys} in ${target}${applied.backup ? `; the original is saved in ${applied.backup}` : ''}.`})
    return {ok: true}
  }
  ctx.log.write(`# content for ${target ?? 'a file'}:\n${shown}\n`)
  // --yes takes such a block as done only when the file already holds it: never an edit that did not happen.
  if (ctx.yes && target && fileHolds(target, content)) return {ok: true}
  if (!ctx.yes && (await ctx.interaction.confirmManual(action, ctx.step))) return {ok: true}
  return {
    ok: false,
    stop: true,
    error: `Step ${ctx.step.number} needs the content above put in ${target ?? 'the file the guide names'}. Do it, then continue with: ${ctx.resumeCommand} --yes`,
  }
}

/** The next action of the step is a content block of settings for the same file: it applies what the edit was for. */
async function appliedByNextBlock(ctx: ActionContext, action: PlannedAction, file: string | undefined): Promise<boolean> {
  const next = ctx.step.actions[ctx.step.actions.indexOf(action) + 1]
  if (!file || next?.kind !== 'file-content' || !next.file) return false
  if (resolvePath(ctx.workDir, next.file) !== resolvePath(ctx.workDir, file)) return false
  const {isKeyValueTarget, parseSettings} = await import('./kv-file.js')
  return isKeyValueTarget(file) && parseSettings(next.script) !== undefined
}

function fileHolds(file: string, content: string): boolean {
  try {
    return readFileSync(file, 'utf8').includes(content.trim())
  } catch {
    return false
  }
}
