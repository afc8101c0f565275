/**
 * The pipeline as the commands use it: a name or path → parsed page → graph →
 * plan for a platform. (Owned by the parse/graph/resolve stages.)
 */
import type {Graph} from '../graph/types.js'
import type {Plan} from '../resolve/types.js'
import type {Interaction} from '../execute/events.js'

export interface PlanRequest {
  /** A runbook name (`runbooks/<name>.md`) or a path. */
  target: string
  includePaths: string[]
  /** `--os ID[:VERSION]` */
  os?: string
  /** `--arch` */
  arch?: string
  /** `--os-release FILE` */
  osRelease?: string
  /** `--procedure TEXT` */
  procedure?: string
  /** `--choose LABEL`, repeatable */
  choose: string[]
  /** `--set NAME=VALUE` */
  set: Record<string, string>
  /** Where `RUNBOOK_<NAME>` values are read from. */
  env: NodeJS.ProcessEnv
  /** Asked when a procedure or choice is not given by flags; without it, a missing one is a usage error. */
  ask?: Pick<Interaction, 'choose'>
  /** A dry-run shows the first procedure when none is given instead of failing. */
  dryRun?: boolean
}

export interface Loaded {
  graph: Graph
  plan: Plan
}

export async function loadPlan(_request: PlanRequest): Promise<Loaded> {
  throw new Error('loadPlan: not implemented yet')
}
