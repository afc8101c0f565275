/**
 * resolve: a graph, a platform and the user's choices → the plan. Only the
 * groups an action actually sits under are decided, so a tab group nested in
 * a tab that was not picked never asks anything.
 */
import {sha256Hex} from '../digest.js'
import type {Action, AnswerDecl, Graph, Placeholder, Procedure, TabGroup} from '../graph/types.js'
import {displayPath, slug} from '../graph/text.js'
import {UsageError} from '../errors.js'
import {Decisions, type DeciderOptions} from './choices.js'
import {ConditionDecider, type ConditionOptions} from './conditions.js'
import {checkBinariesFit} from './binaries.js'
import {substitute, substituteLiteral} from './substitute.js'
import type {HostPlan, ParameterInfo, Plan, Platform, PlannedAction, PlannedStep, SkippedAction} from './types.js'

export interface PlanOptions extends Omit<DeciderOptions, 'graph'>, ConditionOptions {
  /** `--procedure`: a slug or part of the heading. */
  procedure?: string
  /** Known parameter values by name; secret ones are not shown in the plan. */
  values: Record<string, string>
  /** Where each value came from, by name (`--set`, `RUNBOOK_TOKEN`). */
  valueSources?: Record<string, string>
  /** The platform of each other host role that has one (`--os nginx=ubuntu:22.04`, or read over SSH): its steps get its tabs. */
  hostPlatforms?: Record<string, Platform>
}

export async function buildPlan(graph: Graph, options: PlanOptions): Promise<Plan> {
  const procedure = await pickProcedure(graph, options)
  const decisions = new Decisions({...options, graph})
  // One decider per host with a platform of its own; choices between tabs are the person's, shared by all.
  const hostDecisions = new Map(Object.entries(options.hostPlatforms ?? {}).filter(([role]) => role !== 'local').map(([role, platform]) => [role, new Decisions({...options, graph, platform, answered: {}, sharedChoices: decisions.choices})]))
  const decisionsOf = (action: Action) => hostDecisions.get(action.host.role ?? 'local') ?? decisions
  const conditions = new ConditionDecider(options)
  const parameters = new Map<string, ParameterInfo>()
  const steps: PlannedStep[] = []
  for (const step of procedure.steps) {
    const actions: PlannedAction[] = []
    const skipped: SkippedAction[] = []
    for (const action of step.actions) {
      if (!(await runsByDefault(action))) {
        // Not decided by this platform yet: a tab group only a condition uses never decides support.
        const seen = peekVariant(action, graph, decisionsOf(action))
        if (!seen) continue
        const decidable = action.condition && (action.role === 'conditional' || action.role === 'optional' || action.role === 'file-content')
        const taken = decidable ? await conditions.decide(action.condition!, action.role === 'optional' ? 'optional' : 'conditional') : false
        if (!taken) {
          skipped.push(skippedAction(action, seen))
          continue
        }
      }
      const variant = await variantOf(action, graph, decisionsOf(action), step, procedure.title, hostDecisions.has(action.host.role ?? 'local'))
      if (!variant) continue
      for (const placeholder of action.placeholders) noteParameter(parameters, placeholder, action, options)
      actions.push(await planAction(action, variant, options.values))
    }
    if (actions.length === 0 && skipped.length === 0 && step.missingIncludes?.length) {
      throw new UsageError(
        `step ${step.number} "${step.title}" of ${displayPath(graph.file)} (line ${step.source.line}) is only the include ${step.missingIncludes.map((path) => `"${path}"`).join(', ')}, and that file was not found: there is nothing to run. Add the folder it is relative to with --include-path DIR.`,
      )
    }
    fillFileTargets(actions)
    const rollback = await declaredRollback(step, graph, decisions, procedure.title)
    const answers = await declaredAnswers(step, graph, decisions, procedure.title)
    for (const decl of answers) for (const placeholder of decl.placeholders) noteParameter(parameters, placeholder, decl, options)
    const planned: Omit<PlannedStep, 'hash'> = {
      id: step.id,
      number: step.number,
      title: step.title,
      source: step.source,
      prose: step.prose,
      host: actions.length > 0 && actions.every((action) => action.host.where === 'other') ? 'other' : 'local',
      roles: [...new Set(actions.map((action) => action.host.role ?? 'local'))],
      actions,
      skipped,
      ...(step.troubleshooting ? {troubleshooting: step.troubleshooting} : {}),
      ...(rollback.length > 0 ? {rollback} : {}),
      ...(answers.length > 0 ? {answers: answers.map((a) => ({pattern: a.pattern, value: a.value, placeholders: a.placeholders.map((p) => p.name), source: a.source}))} : {}),
    }
    steps.push(withHash(planned, [step.title, actions.map((action) => [action.kind, action.template, action.variant, action.file ?? ''])]))
  }
  conditions.check()
  const plan: Plan = {
    runbook: withHash({title: graph.title, file: graph.file}, graph.procedures.map((p) => p.steps.map((s) => s.actions.map((a) => a.script)))),
    platform: options.platform,
    procedure: {id: procedure.id, title: procedure.title},
    otherProcedures: graph.procedures.filter((other) => other !== procedure).map(({id, title}) => ({id, title})),
    choices: decisions.choices,
    selections: [...decisions.selections, ...[...hostDecisions].flatMap(([role, d]) => d.selections.map((sel) => ({...sel, host: role})))],
    ...(hostDecisions.size > 0 ? {hosts: hostsOf(options.platform, options.hostPlatforms!)} : {}),
    steps,
    parameters: [...parameters.values()],
    conditions: conditions.decisions,
    warnings: graph.diagnostics.filter((d) => d.severity !== 'info' && /^include /.test(d.message)).map((d) => `${displayPath(d.source.file)}:${d.source.line}: ${d.message}`),
  }
  checkBinariesFit(plan)
  return plan
}

/** Only commands run unless the user includes a condition; file content without a condition is shown to be put in place. */
async function runsByDefault(action: Action): Promise<boolean> {
  if (action.role === 'command') return true
  return action.role === 'file-content' && !action.condition
}

/**
 * The tab labels of an action that does not run, without deciding anything:
 * undefined when a group known for this platform picked another tab.
 */
function peekVariant(action: Action, graph: Graph, decisions: Decisions): string[] | undefined {
  const labels: string[] = []
  for (const condition of action.when) {
    const group: TabGroup = graph.groups[condition.group]
    const picked = decisions.peek(group)
    if (picked !== undefined && picked !== condition.label) return undefined
    labels.push(condition.label)
  }
  return labels
}

/** What the page gives an action to do, with its words: carried into the plan as they are. */
function roleFields(action: Action): Pick<Action, 'role' | 'roleReason' | 'condition'> {
  return {role: action.role, ...(action.roleReason ? {roleReason: action.roleReason} : {}), ...(action.condition ? {condition: action.condition} : {})}
}

function skippedAction(action: Action, variant: string[]): SkippedAction {
  return {
    id: action.id,
    kind: action.kind,
    ...roleFields(action),
    script: action.script,
    variant,
    source: action.source,
    host: action.host,
    ...(action.file ? {file: action.file} : {}),
  }
}

/**
 * The labels an action needs, outermost first; undefined when a group picked
 * another tab. A step for another server may have no tab for this platform:
 * its system is not known here, so every tab of it stays in the plan.
 */
async function variantOf(action: Action, graph: Graph, decisions: Decisions, step: Procedure['steps'][number], procedure: string, ownPlatform: boolean): Promise<string[] | undefined> {
  const labels: string[] = []
  for (const condition of action.when) {
    const group = graph.groups[condition.group]
    let picked: string
    try {
      picked = await decisions.decide(group, step, procedure)
    } catch (error) {
      if (action.host.where !== 'other' || ownPlatform || group.dimension === 'choice' || !(error instanceof UsageError)) throw error
      picked = condition.label
    }
    if (picked !== condition.label) return undefined
    labels.push(picked)
  }
  return labels
}

/** The author's undo scripts whose tabs are the ones picked for this platform. */
async function declaredRollback(step: Procedure['steps'][number], graph: Graph, decisions: Decisions, procedure: string): Promise<string[]> {
  const scripts: string[] = []
  for (const decl of step.rollback ?? []) {
    let applies = true
    for (const condition of decl.when) applies &&= (await decisions.decide(graph.groups[condition.group], step, procedure)) === condition.label
    if (applies) scripts.push(decl.script)
  }
  return scripts
}

/** The answers declared for this platform's tabs; a line that is no answer stops the plan, naming it. */
async function declaredAnswers(step: Procedure['steps'][number], graph: Graph, decisions: Decisions, procedure: string): Promise<AnswerDecl[]> {
  const out: AnswerDecl[] = []
  for (const decl of step.answers ?? []) {
    if (decl.invalid) throw new UsageError(`${displayPath(decl.source.file)}:${decl.source.line}: an answer of step ${step.number} ${decl.invalid}. Write one PATTERN=VALUE a line, e.g. "API token=<TOKEN>".`)
    let applies = true
    for (const condition of decl.when) applies &&= (await decisions.decide(graph.groups[condition.group], step, procedure)) === condition.label
    if (applies) out.push(decl)
  }
  return out
}

async function planAction(action: Action, variant: string[], values: Record<string, string>): Promise<PlannedAction> {
  // The plan shows values a person may see; secrets are filled in only when a step runs.
  const visible = Object.fromEntries(action.placeholders.filter((p) => !p.secret && values[p.name] !== undefined).map((p) => [p.name, values[p.name]]))
  // Commands get shell-quoted values; file contents and instructions get them as written.
  const runs = action.kind === 'exec' || action.kind === 'check' || action.kind === 'edit'
  const shown = runs ? await substitute(action.script, visible, action.placeholders, {source: action.source}) : substituteLiteral(action.script, visible, action.placeholders)
  return {
    id: action.id,
    kind: action.kind,
    ...roleFields(action),
    lang: action.lang,
    script: shown,
    template: action.script,
    variant,
    source: action.source,
    placeholders: action.placeholders.map((p) => p.name),
    host: action.host,
    sudo: action.sudo,
    interactive: action.interactive,
    ...(action.file ? {file: action.file} : {}),
  }
}

/** A `file-content` block with no file named goes to the file the step's editor opened. */
function fillFileTargets(actions: PlannedAction[]): void {
  let opened: string | undefined
  // The edit whose editor session is still the current one: until something runs, the file stays open.
  let session: PlannedAction | undefined
  for (const action of actions) {
    if (action.kind === 'edit') {
      if (session && action.file && session.file === action.file && session.host.role === action.host.role) action.sameEditAs = session.id
      else session = action
      opened = action.file
    } else if (action.kind === 'file-content') {
      if (!action.file && opened) action.file = opened
    } else if (action.kind !== 'manual') session = undefined
  }
}

function noteParameter(parameters: Map<string, ParameterInfo>, placeholder: Placeholder, action: Pick<Action, 'source'>, options: PlanOptions): void {
  if (parameters.has(placeholder.name)) return
  const from = options.valueSources?.[placeholder.name]
  parameters.set(placeholder.name, {name: placeholder.name, raw: placeholder.raw, secret: placeholder.secret, source: action.source, ...(from ? {from} : {})})
}

async function pickProcedure(graph: Graph, options: PlanOptions): Promise<Procedure> {
  const all = graph.procedures
  if (all.length === 0) {
    throw new UsageError(`${displayPath(graph.file)} has no steps to run: no "<word> <number>:" step headings and no section with a command. Check the page with 'runbook graph ${displayPath(graph.file)}'.`)
  }
  const list = all.map((p) => `"${p.title}" (--procedure ${p.id})`).join(', ')
  if (options.procedure !== undefined) {
    const wanted = slug(options.procedure)
    const exact = all.filter((p) => p.id === wanted)
    const partial = all.filter((p) => p.id.includes(wanted) || slug(p.title).includes(wanted))
    const found = exact.length === 1 ? exact : partial
    if (found.length === 1) return found[0]
    throw new UsageError(`--procedure ${JSON.stringify(options.procedure)} ${found.length === 0 ? 'matches no procedure' : 'matches more than one procedure'} of ${displayPath(graph.file)}. The procedures are ${list}.`)
  }
  if (all.length === 1) return all[0]
  // The page's obvious way through it: the first procedure with a command that runs unconditionally.
  const obvious = all.filter((p) => p.steps.some((s) => s.actions.some((a) => a.role === 'command' && a.kind !== 'manual' && a.kind !== 'file-content')))
  if (options.dryRun || obvious.length === 1) return obvious[0] ?? all[0]
  if (options.ask) return all[await options.ask(`"${graph.title}" offers ${all.length} ways through it. Which one?`, all.map((p) => p.title))] ?? all[0]
  throw new UsageError(`${displayPath(graph.file)} offers ${all.length} procedures: ${list}. Pick one with --procedure.`)
}

function hostsOf(local: Platform, others: Record<string, Platform>): HostPlan[] {
  return [{role: 'local', platform: local}, ...Object.entries(others).filter(([role]) => role !== 'local').map(([role, platform]) => ({role, platform}))]
}

/**
 * `fields` with a `hash` of `identity` (what `--resume` compares): an
 * ordinary enumerable field to every reader (JSON, spread, structured clone),
 * computed when first read. A dry-run never reads it, and so never loads the
 * hash's module (digest.ts). The identity is serialised now, so what is
 * hashed is the plan as it was made.
 */
function withHash<T extends object>(fields: T, identity: unknown): T & {hash: string} {
  const text = JSON.stringify(identity)
  let hash: string | undefined
  return Object.defineProperty(fields, 'hash', {
    enumerable: true,
    get: () => (hash ??= sha256Hex(text).slice(0, 16)),
  }) as T & {hash: string}
}
