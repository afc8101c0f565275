/**
 * The pipeline as the commands use it: a name or path → parsed page → graph →
 * plan for a platform. (Owned by the parse/graph/resolve stages.)
 */
import type {Graph} from '../graph/types.js'
import type {Plan} from '../resolve/types.js'
import type {Interaction} from '../execute/events.js'
import {UsageError} from '../errors.js'
import {parameterName} from '../graph/placeholders.js'
import {buildPlan} from '../resolve/plan.js'
import {detectPlatform} from '../resolve/platform.js'
import {loadGraph} from './load.js'
import {checkRoles, type HostFlags} from './hosts.js'
import type {Platform} from '../resolve/types.js'
import type {Destination} from '../execute/target/destination.js'

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
  /** `--with SLUG|all`, repeatable */
  with?: string[]
  /** Condition decisions recorded by an earlier attempt of the run (slug → taken). */
  answeredConditions?: Record<string, boolean>
  /** `--set NAME=VALUE` */
  set: Record<string, string>
  /** Where `RUNBOOK_<NAME>` values are read from. */
  env: NodeJS.ProcessEnv
  /** Asked when a procedure or choice is not given by flags; without it, a missing one is a usage error. */
  ask?: Pick<Interaction, 'choose' | 'confirmCondition'>
  /** A dry-run shows the first procedure when none is given instead of failing. */
  dryRun?: boolean
  /** Choices recorded by an earlier attempt of the run (choice key → label). */
  answered?: Record<string, string>
  /** `--host`, `--inventory`, and `--os`/`--os-release` given per role. */
  hosts?: HostFlags
}

export interface Loaded {
  graph: Graph
  plan: Plan
  /** The values `--set` and `RUNBOOK_<NAME>` gave, by placeholder name. */
  known: Record<string, string>
  /** Where each role runs, when not on this machine. */
  destinations: Destination[]
}

export async function loadPlan(request: PlanRequest): Promise<Loaded> {
  const graph = await loadGraph(request.target, request.includePaths)
  const hosts = request.hosts ?? {destinations: [], os: {}, osRelease: {}}
  checkRoles(hosts, pageRoles(graph))
  const platform = (await platformOf('local', request.os ?? hosts.os.local, request.osRelease ?? hosts.osRelease.local, request.arch, hosts.destinations))!
  const hostPlatforms: Record<string, Platform> = {}
  for (const role of pageRoles(graph)) {
    const found = await platformOf(role, hosts.os[role], hosts.osRelease[role], request.arch, hosts.destinations)
    if (found) hostPlatforms[role] = found
  }
  const {values, sources} = knownValues(graph, request)
  const ask = request.ask ? (question: string, options: string[]) => request.ask!.choose(question, options) : undefined
  const plan = await buildPlan(graph, {
    platform,
    choose: request.choose,
    procedure: request.procedure,
    dryRun: request.dryRun ?? false,
    ask,
    answered: request.answered,
    with: request.with,
    answeredConditions: request.answeredConditions,
    askCondition: request.ask?.confirmCondition ? (condition, role) => request.ask!.confirmCondition!(condition, role) : undefined,
    values,
    valueSources: sources,
    hostPlatforms,
  })
  return {graph, plan, known: values, destinations: hosts.destinations}
}

/** The host roles a page names besides this host. */
export function pageRoles(graph: Graph): string[] {
  const roles = new Set(graph.procedures.flatMap((p) => p.steps.flatMap((s) => s.actions.map((a) => a.host.role ?? 'local'))))
  roles.delete('local')
  return [...roles]
}

/**
 * A role's platform: from its flags, else read over SSH from its destination
 * (this host's from this machine); undefined for another role with neither,
 * whose steps then keep every tab, as before.
 */
async function platformOf(role: string, os: string | undefined, osRelease: string | undefined, arch: string | undefined, destinations: Destination[]): Promise<Platform | undefined> {
  const destination = destinations.find((d) => d.role === role)
  if (os !== undefined || osRelease !== undefined || (!destination && role === 'local')) {
    const flag = role === 'local' ? '' : `${role}=`
    const platform = await detectPlatform({os, arch, osReleaseFile: osRelease})
    return flag && platform.source.startsWith('--') ? {...platform, source: platform.source.replace(/^(--os(?:-release)?) /, `$1 ${flag}`)} : platform
  }
  if (!destination) return undefined
  const [{sshTarget, closeSshTargets}, {targetPlatform}] = await Promise.all([import('../execute/target/ssh.js'), import('../execute/target/platform.js')])
  // The connection stays up for the run; the command that loaded the plan closes it (closeSshTargets).
  try {
    return await targetPlatform(sshTarget(destination))
  } catch (error) {
    await closeSshTargets()
    throw error
  }
}

/** Values from `--set NAME=VALUE`, then `RUNBOOK_<NAME>`; names as the page's placeholders name them. */
export function knownValues(graph: Graph, request: Pick<PlanRequest, 'set' | 'env'>): {values: Record<string, string>; sources: Record<string, string>} {
  const names = new Set(
    graph.procedures.flatMap((p) => p.steps.flatMap((s) => [...s.actions.flatMap((a) => a.placeholders), ...(s.answers ?? []).flatMap((a) => a.placeholders)].map((ph) => ph.name))),
  )
  const values: Record<string, string> = {}
  const sources: Record<string, string> = {}
  for (const [given, value] of Object.entries(request.set)) {
    const name = parameterName(given.replace(/^<|>$/g, ''))
    if (!names.has(name)) {
      const known = [...names].join(', ') || 'none'
      throw new UsageError(`--set ${given}=…: this page has no placeholder ${name}. Its placeholders are: ${known}.`)
    }
    values[name] = value
    sources[name] = '--set'
  }
  for (const name of names) {
    const env = request.env[`RUNBOOK_${name}`]
    if (values[name] === undefined && env !== undefined) {
      values[name] = env
      sources[name] = `RUNBOOK_${name}`
    }
  }
  return {values, sources}
}
