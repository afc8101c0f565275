/**
 * Service state (enabled? running?) as each manager reports it, and the
 * commands that bring a unit back to a recorded state. Where the manager does
 * not work (systemctl in a container without systemd) the state is `unknown`
 * and nothing is done about it.
 */
import {RunbookError} from '../../errors.js'
import type {ServiceManager} from '../../effects/effect-types.js'
import {probe} from './system.js'

export type Enabled = 'enabled' | 'disabled' | 'static' | 'masked' | 'not-found' | 'other' | 'unknown'
export type Active = 'active' | 'inactive' | 'unknown'

export interface ServiceState {
  manager: ServiceManager
  unit: string
  enabled: Enabled
  active: Active
}

export type ServiceAction = 'start' | 'stop' | 'enable' | 'disable' | 'mask' | 'unmask'

export async function serviceState(manager: ServiceManager, unit: string): Promise<ServiceState> {
  const state: ServiceState = {manager, unit, enabled: 'unknown', active: 'unknown'}
  if (manager === 'systemd') {
    const e = await probe('systemctl', ['is-enabled', unit])
    const word = e.stdout.trim().split('\n')[0] ?? ''
    if (e.missing) return state
    if (['enabled', 'enabled-runtime', 'alias'].includes(word)) state.enabled = 'enabled'
    else if (['disabled', 'static', 'masked'].includes(word)) state.enabled = word as Enabled
    else if (/No such file|not-found|does not exist/.test(e.stderr + word)) state.enabled = 'not-found'
    else if (word) state.enabled = 'other'
    // is-active needs a running systemd; "inactive" from a dead bus would be a lie.
    const a = await probe('systemctl', ['is-active', unit])
    const aw = a.stdout.trim()
    if (['active', 'reloading', 'activating'].includes(aw)) state.active = 'active'
    else if (['inactive', 'failed', 'deactivating'].includes(aw)) state.active = 'inactive'
  } else if (manager === 'sysv') {
    const r = await probe('service', [unit, 'status'])
    if (r.exitCode === 0) state.active = 'active'
    else if (r.exitCode !== undefined && r.exitCode >= 1 && r.exitCode <= 3) state.active = 'inactive'
  } else {
    const r = await probe('tarantoolctl', ['status', unit])
    // No tarantoolctl means no instance of it can be running.
    state.active = r.exitCode === 0 ? 'active' : 'inactive'
  }
  return state
}

/** What brings `now` back to `before`; empty when either side is unknown. */
export function serviceUndo(before: ServiceState, now: ServiceState): ServiceAction[] {
  const actions: ServiceAction[] = []
  if (before.active !== 'unknown' && now.active !== 'unknown' && before.active !== now.active) {
    actions.push(before.active === 'active' ? 'start' : 'stop')
  }
  const b = before.enabled
  const n = now.enabled
  if (b !== 'unknown' && n !== 'unknown' && b !== n) {
    if (n === 'masked') actions.push('unmask')
    if (b === 'masked') actions.push('mask')
    else if (b === 'enabled') actions.push('enable')
    else if (n === 'enabled') actions.push('disable')
  }
  return actions
}

export async function applyServiceAction(manager: ServiceManager, unit: string, action: ServiceAction): Promise<void> {
  const [file, args] =
    manager === 'systemd' ? ['systemctl', [action, unit]] : manager === 'sysv' ? ['service', [unit, action]] : ['tarantoolctl', [action, unit]]
  const r = await probe(file, args as string[])
  if (r.exitCode !== 0) {
    throw new RunbookError(`Could not ${action} ${unit}: ${file} ${(args as string[]).join(' ')} exited with ${r.exitCode ?? 'no status'} (${(r.stderr || r.stdout).trim().split('\n').slice(-3).join(' ')}). Fix the cause and run the rollback again.`, 1)
  }
}
