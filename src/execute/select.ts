/**
 * `--from STEP` / `--only STEP`: a step number, an id, or a unique id prefix.
 */
import type {PlannedStep} from '../resolve/types.js'
import {UsageError} from '../errors.js'

export function findStep(steps: PlannedStep[], spec: string, flag: string): number {
  const wanted = spec.trim()
  if (/^\d+$/.test(wanted)) {
    const at = steps.findIndex((s) => s.number === Number(wanted))
    if (at !== -1) return at
  }
  const exact = steps.findIndex((s) => s.id === wanted)
  if (exact !== -1) return exact
  const prefixed = steps.map((s, i) => [s, i] as const).filter(([s]) => s.id.startsWith(wanted))
  if (prefixed.length === 1) return prefixed[0]![1]
  const known = steps.map((s) => `${s.number} (${s.id})`).join(', ')
  if (prefixed.length > 1) {
    throw new UsageError(`${flag} ${wanted}: matches steps ${prefixed.map(([s]) => s.id).join(', ')}. Give more of the id, or the step number.`)
  }
  throw new UsageError(`${flag} ${wanted}: no such step. Steps are: ${known}.`)
}

/** Which step indexes this invocation should consider running (the others are skipped as `filter`). */
export function selectedRange(steps: PlannedStep[], from?: string, only?: string): {first: number; last: number} {
  if (from !== undefined && only !== undefined) throw new UsageError('--from and --only cannot be used together: pick one.')
  if (only !== undefined) {
    const at = findStep(steps, only, '--only')
    return {first: at, last: at}
  }
  if (from !== undefined) return {first: findStep(steps, from, '--from'), last: steps.length - 1}
  return {first: 0, last: steps.length - 1}
}
