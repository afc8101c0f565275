/**
 * Parameter values for a run: `--set`, then `RUNBOOK_<NAME>` (both read by
 * loadPlan), then what the run recorded (non-secret only), then a prompt at a
 * terminal. A value still missing without a terminal is a usage error before
 * anything runs.
 */
import type {Plan} from '../../resolve/types.js'
import type {Interaction} from '../../execute/events.js'
import type {RunState} from '../../execute/state.js'
import {UsageError} from '../../errors.js'

export interface ValueSources {
  /** From `--set` and the environment, as loadPlan found them. */
  known: Record<string, string>
  recorded?: RunState
  /** Steps whose values are needed (the ones that may run). */
  needed: Set<string>
  /** Absent without a terminal. */
  prompt?: Interaction['promptValue']
}

/** Names used by the runnable actions of `steps` (instructions and other hosts' commands can do without). */
export function neededNames(plan: Plan, include: (stepIndex: number) => boolean, allHosts: boolean): Set<string> {
  const names = new Set<string>()
  plan.steps.forEach((step, i) => {
    if (!include(i) || (step.host === 'other' && !allHosts)) return
    for (const action of step.actions) {
      if (action.kind === 'manual' || (action.host.where === 'other' && !allHosts)) continue
      for (const name of action.placeholders) names.add(name)
    }
    for (const answer of step.answers ?? []) for (const name of answer.placeholders) names.add(name)
  })
  return names
}

export async function gatherValues(plan: Plan, sources: ValueSources): Promise<Record<string, string>> {
  const recorded = new Map<string, string>()
  for (const p of sources.recorded?.parameters ?? []) if (!p.secret) recorded.set(p.name, p.value)

  const values: Record<string, string> = {}
  const missing: string[] = []
  for (const p of plan.parameters) {
    const value = sources.known[p.name] ?? recorded.get(p.name)
    if (value !== undefined) values[p.name] = value
    else if (sources.needed.has(p.name)) missing.push(p.name)
  }
  if (missing.length > 0 && !sources.prompt) {
    throw new UsageError(
      `No value for ${missing.join(', ')}, and no terminal to ask on. Pass ${missing.map((n) => `--set ${n}=…`).join(' ')}, or set ${missing.map((n) => `RUNBOOK_${n}=…`).join(' ')} in the environment.`,
    )
  }
  for (const name of missing) {
    const p = plan.parameters.find((q) => q.name === name)!
    values[name] = await sources.prompt!(name, p.secret, `${p.raw} in ${p.source.file}:${p.source.line}`)
  }
  return values
}
