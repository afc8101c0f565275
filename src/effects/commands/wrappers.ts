/**
 * Programs that run another command (`sudo`, `env`, `timeout`, `xargs`) or a
 * script (`sh -c "…"`, `bash FILE`, `curl … | sh`): we look through them.
 */
import {posix} from 'node:path'
import {literal, type Handler} from './context.js'
import {getopt, has, last, type OptSpec} from './getopt.js'
import {FLOCK_OPTIONS, SCRIPT_OPTIONS, SU_OPTIONS, SUDO_OPTIONS, WATCH_OPTIONS} from './options.js'

/** A wrapper described by the options it takes before the command it runs. */
function passThrough(spec: OptSpec, skip = 0): Handler {
  return async (args, ctx) => {
    const o = getopt(args, {...spec, stopAtOperand: true})
    await ctx.run(o.operands.slice(skip))
  }
}

const sudo: Handler = async (args, ctx) => {
  const o = getopt(args, SUDO_OPTIONS)
  if (has(o, 'l', 'v', 'k', 'K', 'V', 'list', 'validate', 'version')) return
  if (has(o, 'e', 'edit')) {
    for (const a of o.operands) await ctx.run([literal('sudoedit'), a])
    return
  }
  if (o.operands.length === 0 && has(o, 'i', 's', 'login', 'shell')) return ctx.add({kind: 'unknown', via: 'sudo -i'})
  await ctx.run(o.operands)
}

const env: Handler = async (args, ctx) => {
  const o = getopt(args, {short: 'uCS', long: ['unset', 'chdir', 'split-string'], stopAtOperand: true})
  if (has(o, 'S', 'C')) return ctx.add({kind: 'unknown', via: 'env'})
  let i = 0
  while (i < o.operands.length && (o.operands[i]!.value ?? o.operands[i]!.prefix).includes('=')) i++
  await ctx.run(o.operands.slice(i))
}

const timeout: Handler = async (args, ctx) => {
  const o = getopt(args, {short: 'sk', long: ['signal', 'kill-after'], stopAtOperand: true})
  await ctx.run(o.operands.slice(1)) // the first operand is the duration
}

/** `xargs CMD ARGS`: more arguments arrive on stdin, so CMD's operands are unknown. */
const xargs: Handler = async (args, ctx) => {
  const o = getopt(args, {short: 'IiEeLlnPsad', long: ['replace', 'max-args', 'max-procs', 'delimiter', 'arg-file', 'max-lines', 'max-chars', 'eof'], stopAtOperand: true})
  const command = o.operands.length ? o.operands : [literal('echo')]
  await ctx.run([...command, {value: null, raw: '(arguments from stdin)', prefix: '', procSubst: false}])
}

const SHELLS = new Set(['sh', 'bash', 'dash', 'zsh', 'ksh', 'ash'])

const shell: Handler = async (args, ctx, name) => {
  const o = getopt(args, {short: 'oO', long: ['rcfile', 'init-file'], stopAtOperand: true})
  if (has(o, 'c')) {
    const script = o.operands[0]
    if (script?.value == null) return ctx.add({kind: 'unknown', via: `${name} -c`})
    return ctx.script(script.value)
  }
  const file = o.operands[0]
  if (!file || has(o, 's')) return ctx.add({kind: 'irreversible', via: name, reason: `runs a script read from standard input with ${name}`})
  if (file.procSubst) return ctx.add({kind: 'irreversible', via: name, reason: `runs a downloaded script with ${name}`})
  ctx.add({kind: 'irreversible', via: name, reason: `runs the script ${file.value === null ? file.raw : posix.basename(file.value)}`})
}

/** A program whose `-c SCRIPT` a shell runs (su, script): that script's effects, else unknown. */
function runsOptionC(name: string, spec: OptSpec): Handler {
  return async (args, ctx) => {
    const script = last(getopt(args, spec), 'c')
    if (!script) return ctx.add({kind: 'unknown', via: name})
    if (script.value === null) return ctx.add({kind: 'unknown', via: `${name} -c`})
    await ctx.script(script.value)
  }
}

const su = runsOptionC('su', SU_OPTIONS)

/** `flock [opts] FILE -c SCRIPT` runs the script with sh; `flock [opts] FILE CMD ARGS` runs the command. */
const flock: Handler = async (args, ctx) => {
  const o = getopt(args, FLOCK_OPTIONS)
  const [, next, script] = o.operands
  if (next?.value === '-c' || next?.value === '--command') {
    if (script?.value == null) return ctx.add({kind: 'unknown', via: 'flock -c'})
    return ctx.script(script.value)
  }
  await ctx.run(o.operands.slice(1))
}

/** `script -c SCRIPT [FILE]` runs the script with the user's shell and writes the session to FILE (or ./typescript). */
const scriptCmd = runsOptionC('script', SCRIPT_OPTIONS)

const evalCmd: Handler = async (args, ctx) => {
  if (args.some((a) => a.value === null)) return ctx.add({kind: 'unknown', via: 'eval'})
  await ctx.script(args.map((a) => a.value).join(' '))
}

/** `command -v X` looks a program up; `command X` runs it. */
const command: Handler = async (args, ctx) => {
  const o = getopt(args, {stopAtOperand: true})
  if (has(o, 'v', 'V')) return
  await ctx.run(o.operands)
}

export const wrapperCommands: Record<string, Handler> = {
  sudo, doas: passThrough({short: 'uC'}), env, timeout, xargs, su, eval: evalCmd, command,
  nohup: passThrough({}), exec: passThrough({short: 'a'}), builtin: passThrough({}), time: passThrough({short: 'fo'}),
  nice: passThrough({short: 'n', long: ['adjustment']}), ionice: passThrough({short: 'cnp'}), setsid: passThrough({}),
  stdbuf: passThrough({short: 'ioe'}), runuser: passThrough({short: 'ugc', long: ['user', 'group', 'command']}), chronic: passThrough({}),
  watch: passThrough(WATCH_OPTIONS), flock, script: scriptCmd,
  ...Object.fromEntries([...SHELLS].map((s) => [s, shell])),
}
