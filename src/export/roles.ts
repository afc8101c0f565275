/**
 * What an action is for, and which host it runs on, read through small
 * accessors: the graph gains `Action.role` / `condition` (fidelity) and
 * `HostHint.role` (multi-host) in parallel work; until then these fall back to
 * what the graph already says (kind, local/other).
 */
import type {Action} from '../graph/types.js'
import {joinWords} from '../graph/text.js'

export type ActionRole = 'command' | 'file-content' | 'example' | 'output' | 'conditional' | 'optional'

interface Extended {
  role?: ActionRole
  roleReason?: string
  condition?: {slug: string; text: string}
}

export function actionRole(action: Action): ActionRole {
  const role = (action as Action & Extended).role
  if (role) return role
  return action.kind === 'file-content' ? 'file-content' : 'command'
}

/** For conditional and optional actions: the boolean variable that turns them on (default false), and why. */
export function actionSwitch(action: Action, stepId: string): {variable: string; text: string} | undefined {
  const role = actionRole(action)
  if (role !== 'conditional' && role !== 'optional') return undefined
  const extended = action as Action & Extended
  const slug = extended.condition?.slug ?? `${stepId}-${action.id.split('/').pop() ?? 'a'}`
  return {variable: `with_${joinWords(slug.toLowerCase(), '_')}`, text: extended.condition?.text ?? extended.roleReason ?? 'optional'}
}

/** Whether the export carries the action at all: examples and sample output never run. */
export function exported(action: Action): boolean {
  const role = actionRole(action)
  return role !== 'example' && role !== 'output'
}

/** The host role of an action: `local` for this procedure's host, else the role the page names (fallback `other`). */
export function hostRole(action: Action): string {
  const named = (action.host as {role?: string}).role
  if (named) return joinWords(named.toLowerCase(), '_') || action.host.where
  return action.host.where
}
