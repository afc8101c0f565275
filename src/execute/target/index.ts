/**
 * The targets of a run, one per role: this machine for `local` unless
 * `--host local=…` sends it elsewhere, SSH for every role given a destination.
 * A role with no target has its steps shown and skipped.
 */
import type {Destination} from './destination.js'
import {LocalTarget} from './local.js'
import {closeSshTargets, sshTarget} from './ssh.js'
import type {Target} from './types.js'

export type {Target, ExecResult} from './types.js'
export {describeDestination, parseDestination, type Destination} from './destination.js'
export {LocalTarget} from './local.js'
export {SshTarget, sshTarget, closeSshTargets} from './ssh.js'

export class Targets {
  private readonly byRole = new Map<string, Target>()

  constructor(destinations: Destination[] = []) {
    for (const d of destinations) this.byRole.set(d.role, sshTarget(d))
    if (!this.byRole.has('local')) this.byRole.set('local', new LocalTarget('local'))
  }

  /** The target of a role; undefined when the run has none for it. */
  of(role: string | undefined): Target | undefined {
    return this.byRole.get(role ?? 'local')
  }

  async close(): Promise<void> {
    await closeSshTargets()
  }
}
