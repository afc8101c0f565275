/**
 * The parts of a step an export needs, per host role: the actions that run,
 * the tab conditions over them, and the groups that must be decided first.
 */
import {basename} from 'node:path'
import type {Action, Condition, Graph, Placeholder, Procedure, Step, TabGroup} from '../graph/types.js'
import {exported, hostRole} from './roles.js'

export interface Segment {
  role: string
  steps: Array<{step: Step; actions: Action[]}>
}

/** The page's file as exports name it: the file name only, so the bytes do not depend on where one runs from. */
export function pageName(graph: Graph): string {
  return basename(graph.file)
}

/** A group with its source named by file name (for messages in exported files). */
export function portableGroup(group: TabGroup): TabGroup {
  return {...group, source: {...group.source, file: basename(group.source.file)}}
}

/**
 * The procedure cut into runs of consecutive steps on one host role, in page
 * order: the NGINX steps between two postanalytics steps become a play of
 * their own, so that a fleet run keeps the page's order across hosts.
 */
export function segments(procedure: Procedure): Segment[] {
  const out: Segment[] = []
  for (const step of procedure.steps) {
    const roles: string[] = []
    for (const action of step.actions.filter(exported)) if (!roles.includes(hostRole(action))) roles.push(hostRole(action))
    if (roles.length === 0) roles.push('local')
    for (const role of roles) {
      const actions = step.actions.filter((a) => exported(a) && hostRole(a) === role)
      const last = out[out.length - 1]
      if (last && last.role === role) last.steps.push({step, actions})
      else out.push({role, steps: [{step, actions}]})
    }
  }
  return out
}

/** Each os/arch group an action's path decides, with the conditions that lead to it. */
export function decisionsOf(actions: Action[], graph: Graph): Array<{group: TabGroup; before: Condition[]}> {
  const seen = new Set<string>()
  const out: Array<{group: TabGroup; before: Condition[]}> = []
  for (const action of actions) {
    action.when.forEach((condition, i) => {
      const group = graph.groups[condition.group]
      if (!group || group.dimension === 'choice' || group.labels.length < 2) return
      const before = action.when.slice(0, i)
      const key = JSON.stringify([group.id, before])
      if (seen.has(key)) return
      seen.add(key)
      out.push({group, before})
    })
  }
  return out
}

/** Placeholders of some actions, once each by name, in order of first use. */
export function placeholdersOf(actions: Action[]): Placeholder[] {
  const byName = new Map<string, Placeholder>()
  for (const action of actions) for (const p of action.placeholders) if (!byName.has(p.name)) byName.set(p.name, p)
  return [...byName.values()]
}
