/**
 * Options of one program's argv, getopt style: `-abc`, `-oFILE`, `-o FILE`,
 * `--name=value`, `--name value`, `--`. Each program lists the options that
 * take a value; everything else is a flag or an operand.
 */
import type {Arg} from '../shell/words.js'
import {append} from '../../../arrays.js'

export interface Opts {
  flags: Set<string>
  values: Map<string, Arg[]>
  operands: Arg[]
}

export interface OptSpec {
  /** Short option letters that take a value: `'otS'`. */
  short?: string
  /** Long option names (without `--`) that take a value. */
  long?: string[]
  /** Long or short names meaning the same thing: `{output: 'o'}`. */
  alias?: Record<string, string>
  /** Stop at the first operand (the rest belongs to a command: `sudo`, `env`). */
  stopAtOperand?: boolean
}

export function getopt(args: Arg[], spec: OptSpec): Opts {
  const out: Opts = {flags: new Set(), values: new Map(), operands: []}
  const name = (n: string) => spec.alias?.[n] ?? n
  const put = (n: string, v: Arg) => out.values.set(name(n), [...(out.values.get(name(n)) ?? []), v])
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!
    const text = arg.value ?? arg.prefix
    if (arg.value === '--') {
      append(out.operands, args.slice(i + 1))
      break
    }
    if (arg.value !== null && text.startsWith('--') && text.length > 2) {
      const eq = text.indexOf('=')
      const long = eq < 0 ? text.slice(2) : text.slice(2, eq)
      if (eq >= 0) put(long, sub(arg, eq + 1))
      else if (spec.long?.includes(long) && i + 1 < args.length) put(long, args[++i]!)
      else out.flags.add(name(long))
    } else if (arg.value !== null && text.startsWith('-') && text.length > 1) {
      for (let j = 1; j < text.length; j++) {
        const letter = text[j]!
        if (spec.short?.includes(letter)) {
          if (j + 1 < text.length) put(letter, sub(arg, j + 1))
          else if (i + 1 < args.length) put(letter, args[++i]!)
          break
        }
        out.flags.add(name(letter))
      }
    } else {
      out.operands.push(arg)
      if (spec.stopAtOperand) {
        append(out.operands, args.slice(i + 1))
        break
      }
    }
  }
  return out
}

/** The rest of a static argument from `at`: the `FILE` of `-oFILE`. */
export function sub(arg: Arg, at: number): Arg {
  const value = arg.value === null ? null : arg.value.slice(at)
  return {value, raw: arg.raw, prefix: value ?? '', procSubst: arg.procSubst}
}

export function has(opts: Opts, ...names: string[]): boolean {
  return names.some((n) => opts.flags.has(n) || opts.values.has(n))
}

export function last(opts: Opts, n: string): Arg | undefined {
  const list = opts.values.get(n)
  return list?.[list.length - 1]
}
