/**
 * The role the graph gives a block (command, file content, example, output,
 * conditional, optional) where the graph has roles: lint checks as shell only
 * what the engine would run, and flags shell fences the graph reads as
 * something else.
 */
import type {Action} from '../graph/types.js'

const SHOWN_ONLY = new Set(['file-content', 'example', 'output'])

export function roleOf(action: Action): string | undefined {
  const role = (action as {role?: unknown}).role
  return typeof role === 'string' ? role : undefined
}

/** Would the engine run it (an exec or check whose role, if any, is one that runs)? */
export function runs(action: Action): boolean {
  if (action.kind !== 'exec' && action.kind !== 'check') return false
  const role = roleOf(action)
  return role === undefined || !SHOWN_ONLY.has(role)
}
