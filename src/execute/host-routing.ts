/**
 * Which machine runs each action of a run: the role the page gives it goes
 * to that role's target (`--host`, `--inventory`), and with --all-hosts a
 * role without one runs here; an action with no target is shown, not run.
 * Also what the run's state records of its hosts, and how a step that runs
 * elsewhere is labelled in the reports and its log.
 */
import type {Plan, PlannedAction, PlannedStep} from '../resolve/types.js'
import type {HostState} from './state.js'
import type {Destination, Target, Targets} from './target/index.js'

/** The role of an action: the graph's name, or `other` for a hint from before roles. */
export function roleOf(action: PlannedAction): string {
  return action.host.role ?? (action.host.where === 'other' ? 'other' : 'local')
}

/** The hosts a run records: every role the plan or the flags name, with its destination and where its platform came from; undefined for a run on this machine alone. */
export function runHosts(plan: Plan, destinations: Destination[]): HostState[] | undefined {
  if (destinations.length === 0 && !plan.hosts) return undefined
  const platforms = new Map((plan.hosts ?? []).map((h) => [h.role, h.platform.source]))
  const roles = new Set(['local', ...platforms.keys(), ...destinations.map((d) => d.role)])
  return [...roles].map((role) => {
    const destination = destinations.find((d) => d.role === role)
    const platformSource = role === 'local' ? plan.platform.source : platforms.get(role)
    return {role, ...(destination ? {destination} : {}), ...(platformSource ? {platformSource} : {})}
  })
}

export class HostRouting {
  constructor(
    private readonly targets: Targets,
    private readonly allHosts: boolean,
  ) {}

  /** Where an action runs: its role's target; with --all-hosts, a role without one runs here. */
  targetOf(action: PlannedAction): Target | undefined {
    return this.targets.of(roleOf(action)) ?? (this.allHosts ? this.targets.of('local') : undefined)
  }

  /** Every action of the step belongs to a host this run has no target for (shown, not run). */
  runsNowhere(step: PlannedStep): boolean {
    if (step.actions.length === 0) return step.host === 'other' && !this.allHosts
    return step.actions.every((a) => this.targetOf(a) === undefined)
  }

  /** The roles the step's actions run on, in order. */
  rolesOf(step: PlannedStep): string[] {
    return [...new Set(step.actions.filter((a) => this.targetOf(a)).map((a) => this.targetOf(a)!.role))]
  }

  /** `web (root@127.0.0.2:2222)` for a step that runs elsewhere; undefined on this machine alone. */
  label(step: PlannedStep): string | undefined {
    const remote = [...new Set(step.actions.map((a) => this.targetOf(a)).filter((t): t is Target => t !== undefined && t.kind === 'ssh'))]
    if (remote.length === 0) return undefined
    const local = step.actions.some((a) => this.targetOf(a)?.kind === 'local')
    return [...(local ? ['local'] : []), ...remote.map((t) => `${t.role} (${t.label})`)].join(' + ')
  }

  /** The notice for an action meant for a host this run has no target for, inside a step that runs. */
  skippedAction(step: PlannedStep, action: PlannedAction): string {
    const role = roleOf(action)
    const flag = role === 'other' ? '--all-hosts' : `--host ${role}=USER@HOST`
    return `Step ${step.number}: skipping a command meant for another host (${action.host.reason}); to run it there, pass ${flag}.`
  }
}
