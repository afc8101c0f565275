/**
 * Reading a step's script for what it may change: `inferEffects(script)`.
 * Every command the script may run counts, in any branch, through `sudo`,
 * `env`, `sh -c "…"`, pipelines, subshells and substitutions.
 */
import {posix} from 'node:path'
import type {Effect} from './effect-types.js'
import {fileEffect, resolvePath, type Ctx, type Handler} from './commands/context.js'
import {fileCommands} from './commands/files.js'
import {IRREVERSIBLE, onlyAsksForInfo, READ_ONLY, SOMETIMES} from './commands/known.js'
import {packageCommands} from './commands/packages.js'
import {initScript, serviceCommands} from './commands/services.js'
import {wrapperCommands} from './commands/wrappers.js'
import type {SimpleCommand} from './shell/lexer.js'
import {parseScript, ShellSyntaxError} from './shell/script.js'
import {evalWord, type Arg} from './shell/words.js'

export type * from './effect-types.js'
export {describeEffect} from './describe.js'

const HANDLERS: Record<string, Handler> = {...wrapperCommands, ...fileCommands, ...packageCommands, ...serviceCommands}
/** Redirections that write to their target. */
const WRITES: Record<string, 'write' | 'append'> = {'>': 'write', '>|': 'write', '&>': 'write', '<>': 'write', '>>': 'append', '&>>': 'append'}
/** Nesting limit for `sh -c "sh -c …"` and substitutions. */
const MAX_DEPTH = 8

export interface InferOptions {
  /** Variables known before the script starts (`HOME`…). Others are dynamic. */
  env?: Record<string, string | undefined>
}

export async function inferEffects(script: string, options: InferOptions = {}): Promise<Effect[]> {
  const effects: Effect[] = []
  const seen = new Set<string>()
  const vars = new Map<string, string | null>()
  for (const [k, v] of Object.entries(options.env ?? {})) if (v !== undefined) vars.set(k, v)
  const ctx: Ctx & {depth: number; unmask: (v: string) => string} = {
    cwd: '',
    vars,
    depth: 0,
    unmask: (v) => v,
    add(effect) {
      const e = unmaskEffect(effect, ctx.unmask)
      const key = JSON.stringify(e)
      if (!seen.has(key)) {
        seen.add(key)
        effects.push(e)
      }
    },
    async script(text) {
      if (ctx.depth >= MAX_DEPTH) return ctx.add({kind: 'unknown', via: 'nested shell'})
      ctx.depth++
      try {
        await walkScript(text, ctx)
      } finally {
        ctx.depth--
      }
    },
    run: (argv) => dispatch(argv, ctx),
  }
  await walkScript(script, ctx)
  return effects
}

async function walkScript(text: string, ctx: Ctx & {unmask: (v: string) => string}): Promise<void> {
  let parsed
  try {
    parsed = await parseScript(text)
  } catch (error) {
    if (!(error instanceof ShellSyntaxError)) throw error
    return ctx.add({kind: 'unknown', via: '(unparsable shell)'})
  }
  const outer = ctx.unmask
  const inner = parsed.unmask
  ctx.unmask = (v) => outer(inner(v))
  try {
    for (const command of parsed.commands) await walkCommand(command, ctx)
  } finally {
    ctx.unmask = outer
  }
}

async function walkCommand(command: SimpleCommand, ctx: Ctx): Promise<void> {
  for (const sub of command.subs) await ctx.script(sub)
  const argv = command.words.map((w) => evalWord(w, ctx.vars))
  if (argv.length === 0) {
    // Bare assignments persist in the script; `FOO=1 cmd` only affects cmd.
    for (const a of command.assigns) ctx.vars.set(a.name, evalWord(a.value, ctx.vars).value)
  }
  for (const r of command.redirs) {
    // `>&2` duplicates a descriptor; `>&file` writes a file.
    const op = WRITES[r.op] ?? (r.op === '>&' && !/^[0-9-]+$/.test(r.target.raw) ? 'write' : undefined)
    if (op) fileEffect(ctx, op, evalWord(r.target, ctx.vars), r.op)
  }
  if (argv.length) await dispatch(argv, ctx)
}

async function dispatch(argv: Arg[], ctx: Ctx): Promise<void> {
  const [program, ...args] = argv
  if (!program) return
  if (program.value === null) return ctx.add({kind: 'unknown', via: program.raw})
  const name = posix.basename(program.value)
  const values = args.map((a) => a.value ?? a.raw)
  if (name === 'cd') return changeDirectory(args[0], ctx)
  const handler = HANDLERS[name] ?? (program.value.startsWith('/etc/init.d/') ? initScript : undefined)
  if (handler) return handler(args, ctx, name)
  if (SOMETIMES[name]?.changes(values)) return ctx.add({kind: 'irreversible', via: name, reason: SOMETIMES[name]!.reason})
  if (READ_ONLY.has(name) || onlyAsksForInfo(values)) return
  if (IRREVERSIBLE[name]) return ctx.add({kind: 'irreversible', via: name, reason: IRREVERSIBLE[name]!})
  if (program.value.includes('/')) return ctx.add({kind: 'irreversible', via: name, reason: `runs the program ${name}`})
  ctx.add({kind: 'unknown', via: name})
}

function changeDirectory(dir: Arg | undefined, ctx: Ctx): void {
  if (!dir || dir.value === '-') ctx.cwd = ctx.vars.get('HOME') ?? null
  else if (dir.value === null) ctx.cwd = null
  else if (dir.value.startsWith('/')) ctx.cwd = resolvePath('', dir.value)
  else if (ctx.cwd !== null) ctx.cwd = resolvePath(ctx.cwd, dir.value)
}

/** Placeholders were masked for parsing; effects show them as the page wrote them. */
function unmaskEffect(effect: Effect, unmask: (v: string) => string): Effect {
  switch (effect.kind) {
    case 'file':
      return {...effect, path: unmask(effect.path), ...(effect.dir ? {dir: unmask(effect.dir)} : {}), ...(effect.into ? {into: effect.into.map(unmask)} : {})}
    case 'package':
      return {...effect, packages: effect.packages.map(unmask)}
    case 'service':
      return {...effect, units: effect.units.map(unmask)}
    case 'irreversible':
      return {...effect, reason: unmask(effect.reason)}
    case 'unknown':
      return {...effect, via: unmask(effect.via)}
  }
}
