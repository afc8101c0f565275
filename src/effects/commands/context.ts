/**
 * What a command handler sees: the evaluated argv, the directory the script is
 * in (as far as `cd` lets us know), and where to put the effects it finds.
 */
import {posix} from 'node:path'
import type {Effect, FileEffect, FileOp} from '../effect-types.js'
import type {Arg} from '../shell/words.js'

export interface Ctx {
  /** `''`: the step's working directory; an absolute path after `cd /x`; null after `cd $X`. */
  cwd: string | null
  vars: Map<string, string | null>
  add(effect: Effect): void
  /** Effects of a script run by this one (`sh -c "…"`). */
  script(text: string): Promise<void>
  /** Runs a command given as argv (`sudo CMD…`, `xargs CMD…`). */
  run(argv: Arg[]): Promise<void>
}

export type Handler = (args: Arg[], ctx: Ctx, name: string) => void | Promise<void>

/** Not files: where writes go nowhere or to the terminal. */
const PSEUDO = ['/dev/', '/proc/self/fd/']
const KERNEL = ['/proc/', '/sys/']

/** Records a file effect for `arg`, resolving it against the known cwd. */
export function fileEffect(ctx: Ctx, op: FileOp, arg: Arg, via: string, extra: Partial<FileEffect> = {}): void {
  const value = arg.value
  if (value === '-' || (value !== null && PSEUDO.some((p) => value.startsWith(p)))) return
  if (value !== null && KERNEL.some((p) => value.startsWith(p))) {
    ctx.add({kind: 'irreversible', via, reason: `changes the kernel setting ${value}`})
    return
  }
  if (value !== null && (value.startsWith('/') || ctx.cwd !== null)) {
    ctx.add({kind: 'file', op, path: resolvePath(ctx.cwd ?? '', value), dynamic: false, via, ...extra})
    return
  }
  const effect: FileEffect = {kind: 'file', op, path: arg.raw, dynamic: true, via, ...extra}
  const slash = arg.prefix.lastIndexOf('/')
  if (slash >= 0 && (arg.prefix.startsWith('/') || ctx.cwd)) {
    effect.dir = resolvePath(ctx.cwd ?? '', arg.prefix.slice(0, slash + 1) || '/')
  }
  ctx.add(effect)
}

export function resolvePath(cwd: string, path: string): string {
  const joined = path.startsWith('/') || !cwd ? path : posix.join(cwd, path)
  const normal = posix.normalize(joined)
  return normal.length > 1 && normal.endsWith('/') ? normal.slice(0, -1) : normal
}

/** A static argument made from text we computed (a URL's file name). */
export function literal(value: string): Arg {
  return {value, raw: value, prefix: value, procSubst: false}
}

/** The last path segment of a URL, without query or credentials. */
export function urlFileName(url: string): string | null {
  try {
    const name = posix.basename(new URL(url).pathname)
    return name || null
  } catch {
    const name = posix.basename(url.split(/[?#]/)[0] ?? '')
    return name || null
  }
}

export function isUrl(text: string): boolean {
  return text.includes('://')
}
