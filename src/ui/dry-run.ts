/**
 * `runbook run --dry-run`: exactly what would run on this platform, and what a
 * person would be asked to do. Plain text (or JSON); never loads Ink.
 */
import {relative} from 'node:path'
import type {Loaded} from '../cli/pipeline.js'
import type {SourcePos} from '../graph/types.js'
import {describePlatform} from '../resolve/platform.js'
import type {Plan, PlannedAction, PlannedStep, SkippedAction} from '../resolve/types.js'
import {paint, type Palette} from './color.js'
import {describeDestination, type Destination} from '../execute/target/destination.js'
import {terminalSafeJson, visibleDeep} from './sanitize.js'
import {append, maxOf} from '../arrays.js'
import {terminalUse} from '../execute/pty/when.js'

export interface DryRunOptions {
  json: boolean
  color: boolean
  out: NodeJS.WritableStream
  cwd?: string
  /** Extra lines under an action (rollback's effects), keyed by action id. */
  notes?: Record<string, string[]>
}

export function printDryRun(loaded: Loaded, options: DryRunOptions): void {
  const cwd = options.cwd ?? process.cwd()
  const destinations = loaded.destinations ?? []
  options.out.write(
    options.json
      ? terminalSafeJson(JSON.stringify(planToJson(loaded.plan, cwd, options.notes, destinations), null, 2)) + '\n'
      : renderDryRun(visibleDeep(loaded.plan), paint(options.color), cwd, visibleDeep(options.notes ?? {}), visibleDeep(destinations)),
  )
}

/** Where each role runs: `local` here unless sent elsewhere; another role only with a destination. */
function hostsOf(plan: Plan, destinations: Destination[]) {
  const roles = [...new Set(['local', ...(plan.hosts ?? []).map((h) => h.role), ...plan.steps.flatMap((s) => s.actions.map((a) => a.host.role ?? (a.host.where === 'other' ? 'other' : 'local')))])]
  return roles.map((role) => {
    const platform = role === 'local' ? plan.platform : plan.hosts?.find((h) => h.role === role)?.platform
    const destination = destinations.find((d) => d.role === role)
    return {role, ...(platform ? {platform} : {}), ...(destination ? {destination} : {}), runs: role === 'local' || destination !== undefined}
  })
}

const roleOf = (action: PlannedAction) => action.host.role ?? (action.host.where === 'other' ? 'other' : 'local')

/** The plan as data; the schema is documented in README.md. */
export function planToJson(plan: Plan, cwd = process.cwd(), notes?: Record<string, string[]>, destinations: Destination[] = []) {
  const where = (pos: SourcePos) => `${relative(cwd, pos.file) || pos.file}:${pos.line}`
  return {
    runbook: {title: plan.runbook.title, file: relative(cwd, plan.runbook.file) || plan.runbook.file, hash: plan.runbook.hash},
    platform: {...plan.platform, description: describePlatform(plan.platform)},
    hosts: hostsOf(plan, destinations).map((h) => ({
      role: h.role,
      ...(h.platform ? {platform: {...h.platform, description: describePlatform(h.platform)}} : {}),
      ...(h.destination ? {destination: describeDestination(h.destination)} : {}),
      runs: h.runs,
    })),
    procedure: plan.procedure,
    otherProcedures: plan.otherProcedures,
    choices: plan.choices,
    selections: plan.selections,
    steps: plan.steps.map((step) => ({
      id: step.id,
      number: step.number,
      title: step.title,
      host: step.host,
      roles: [...new Set(step.actions.map(roleOf))],
      source: where(step.source),
      actions: step.actions.map((action) => ({
        id: action.id,
        kind: action.kind,
        script: action.script,
        variant: action.variant,
        source: where(action.source),
        placeholders: action.placeholders,
        host: action.host.where,
        hostRole: roleOf(action),
        ...(action.host.where === 'other' ? {hostReason: action.host.reason} : {}),
        ...(action.file ? {file: action.file} : {}),
        sudo: action.sudo,
        interactive: action.interactive,
        role: action.role,
        ...(action.roleReason ? {roleReason: action.roleReason} : {}),
        ...(action.condition ? {condition: action.condition} : {}),
        ...(notes ? {effects: notes[action.id] ?? []} : {}),
        ...terminalJson(action, step),
      })),
      ...(step.answers?.length ? {answers: step.answers.map((a) => ({pattern: a.pattern, value: a.value, source: where(a.source)}))} : {}),
      // Shown, never run: kept apart from `actions` so that nothing reading the plan mistakes them for commands.
      skipped: step.skipped.map((action) => ({
        id: action.id,
        kind: action.kind,
        role: action.role,
        ...(action.roleReason ? {roleReason: action.roleReason} : {}),
        ...(action.condition ? {condition: action.condition} : {}),
        script: action.script,
        variant: action.variant,
        source: where(action.source),
        host: action.host.where,
        ...(action.file ? {file: action.file} : {}),
      })),
    })),
    conditions: plan.conditions,
    warnings: plan.warnings,
    parameters: plan.parameters.map((p) => ({name: p.name, raw: p.raw, secret: p.secret, given: p.from !== undefined, ...(p.from ? {from: p.from} : {}), source: where(p.source)})),
  }
}

export function renderDryRun(plan: Plan, c: Palette, cwd: string, notes: Record<string, string[]> = {}, destinations: Destination[] = []): string {
  const where = (pos: SourcePos) => c.dim(`${relative(cwd, pos.file) || pos.file}:${pos.line}`)
  const hosts = hostsOf(plan, destinations)
  const out: string[] = [`${c.bold(plan.runbook.title)} ${c.dim('— dry run: nothing is executed')}`]
  // A page with other hosts reads as before until a host or its system is given.
  const multi = destinations.length > 0 || plan.hosts !== undefined
  if (!multi) out.push(`Platform:  ${describePlatform(plan.platform)}`)
  else {
    // One line per host: its system (its steps get its tabs) and where it runs.
    const width = Math.max(...hosts.map((h) => h.role.length))
    hosts.forEach((h, i) => {
      const at = h.destination ? c.cyan(` on ${describeDestination(h.destination)}`) : h.role === 'local' ? c.cyan(' on this machine') : c.magenta(` — no host given: shown, not run (--host ${h.role}=USER@HOST)`)
      const system = h.platform ? describePlatform(h.platform) : c.dim('system unknown: every tab shown (--os ' + h.role + '=ID:VERSION)')
      out.push(`${i === 0 ? 'Platform:' : '         '}  ${c.bold(h.role.padEnd(width))}  ${system}${at}`)
    })
  }
  out.push(`Procedure: ${plan.procedure.title}`)
  for (const other of plan.otherProcedures) out.push(`           also: "${other.title}" (--procedure ${other.id})`)
  for (const warning of plan.warnings) out.push(c.yellow(`Warning:   ${warning}`))
  const shown = new Set<string>()
  for (const selection of plan.selections.filter((s) => s.by !== 'platform' && s.by !== 'only tab' && s.by !== 'choice')) {
    const line = `Choice:    "${selection.label}" ${c.dim(`(${selection.by})`)}`
    if (!shown.has(line)) out.push(line)
    shown.add(line)
  }
  out.push('')
  const total = plan.steps.length
  const runs = new Map(hosts.map((h) => [h.role, h]))
  for (const step of plan.steps) append(out, renderStep(step, total, plan, c, where, notes, runs, multi))
  append(out, renderParameters(plan, c, where))
  append(out, renderConditions(plan, c))
  return out.join('\n') + '\n'
}

type HostRow = ReturnType<typeof hostsOf>[number]

function renderStep(step: PlannedStep, total: number, plan: Plan, c: Palette, where: (pos: SourcePos) => string, notes: Record<string, string[]>, hosts: Map<string, HostRow>, multi: boolean): string[] {
  const roles = [...new Set(step.actions.map(roleOf))]
  const remote = roles.filter((r) => hosts.get(r)?.destination)
  const idle = roles.length > 0 && roles.every((r) => !hosts.get(r)?.runs)
  const onHost = remote.length > 0 ? c.cyan(` — on ${roles.map((r) => (hosts.get(r)?.destination ? `${r} (${describeDestination(hosts.get(r)!.destination!)})` : r)).join(' + ')}`) : ''
  const host = idle ? c.magenta(multi ? ` — on another server (${roles.join(', ')}), not run here` : ' — on another server, not run here') : onHost
  const out = [`${c.bold(`Step ${step.number}/${total}`)}  ${c.bold(step.title)}${host}  ${where(step.source)}`]
  if (idle) out.push(c.dim(`  (${step.actions[0]?.host.reason ?? ''}; ${roles.includes('other') ? '--all-hosts runs it here' : `--host ${roles[0]}=USER@HOST runs it there, --all-hosts here`})`))
  let variant = ''
  const shown = [...step.actions.map((action) => ({action, runs: true as const})), ...step.skipped.map((action) => ({action, runs: false as const}))]
  shown.sort((a, b) => (a.action.source.file === b.action.source.file ? a.action.source.line - b.action.source.line : 0))
  for (const item of shown) {
    const label = item.action.variant.join(' › ')
    if (label && label !== variant) out.push(c.cyan(`  [${label}]`))
    variant = label
    if (!item.runs) {
      append(out, renderSkipped(item.action as SkippedAction, c))
      continue
    }
    const action = item.action as PlannedAction
    append(out, renderAction(action, step, plan, c, idle ? undefined : hosts.get(roleOf(action)), roles.length > 1, multi))
    for (const note of [...terminalNotes(action, step), ...(notes[action.id] ?? [])]) out.push(c.dim(`      ↳ ${note}`))
  }
  for (const answer of step.answers ?? []) out.push(`  ${c.cyan('answers')} ${JSON.stringify(answer.pattern)} → ${highlight(answer.value, plan, c)}  ${where(answer.source)}`)
  out.push('')
  return out
}

/** How the action meets a prompt: on a terminal or not, and what it is told without one. */
function terminalJson(action: PlannedAction, step: PlannedStep) {
  const use = terminalUse(action, step.answers?.length ?? 0)
  return {terminal: {pty: use.pty, ...(use.reason ? {reason: use.reason} : {}), unattendedEnv: use.unattendedEnv}}
}

function terminalNotes(action: PlannedAction, step: PlannedStep): string[] {
  const use = terminalUse(action, step.answers?.length ?? 0)
  const notes: string[] = []
  if (use.pty) notes.push(`on a terminal: ${use.reason} — yours to answer when you have one; without one, the declared answers, else it stops at the prompt`)
  const env = Object.entries(use.unattendedEnv).map(([k, v]) => `${k}=${v}`)
  if (env.length > 0) notes.push(`without a terminal: ${env.join(' ')}`)
  return notes
}

/** A block that does not run: what it is, and for a condition the page's words. */
function renderSkipped(action: SkippedAction, c: Palette): string[] {
  const head =
    action.condition && action.role !== 'file-content'
      ? `  ${c.yellow(action.role === 'optional' ? 'optional' : 'only if')}: ${action.condition.text} ${c.dim(`— skipped (--with ${action.condition.slug})`)}`
      : action.condition
        ? `  ${c.yellow('only if')}: ${action.condition.text} ${c.dim(`— file content, skipped (--with ${action.condition.slug})`)}`
        : `  ${c.dim(`not run — ${action.role}${action.roleReason ? `: ${action.roleReason}` : ''}`)}`
  return [head, ...action.script.split('\n').map((line) => c.dim(`    ┊ ${line}`))]
}

function renderConditions(plan: Plan, c: Palette): string[] {
  if (plan.conditions.length === 0) return []
  const out = ['', c.bold('Conditions')]
  for (const condition of plan.conditions) {
    out.push(`  ${condition.included ? c.green('taken') : c.yellow('skipped')}  ${condition.text} ${c.dim(`(${condition.by}; --with ${condition.slug})`)}`)
  }
  return out
}

function renderAction(action: PlannedAction, step: PlannedStep, plan: Plan, c: Palette, host: HostRow | undefined, mixed: boolean, multi: boolean): string[] {
  const skipped = host !== undefined && !host.runs
  const prefix = skipped
    ? c.magenta(multi ? `  ↷ other server (${host.role}), not run here: ` : '  ↷ other server: ') + c.dim(`(${action.host.reason})`)
    : mixed && host ? c.cyan(`  on ${host.role}:`) : ''
  const lines: string[] = prefix ? [prefix] : []
  const body = (text: string, mark: string) => text.split('\n').map((line) => `    ${mark}${highlight(line, plan, c)}`)
  switch (action.kind) {
    case 'exec':
      return [...lines, ...commandLines(action.script, plan, c)]
    case 'check':
      return [...lines, c.blue('  check:'), ...commandLines(action.script, plan, c)]
    case 'edit':
      if (action.sameEditAs) return [...lines, `  ${c.cyan('edit')} ${action.file} ${c.dim('— the same file as the edit above, still open: the editor opens once')}`, ...body(action.script, '$ ')]
      return [...lines, `  ${c.cyan('edit')} ${action.file ?? '(file)'} ${c.dim('— opens $VISUAL/$EDITOR (else the editor in the page); the run goes on when it exits')}`, ...body(action.script, '$ ')]
    case 'file-content':
      return [...lines, `  ${c.cyan('put in')} ${action.file ?? c.yellow('(the page does not name the file)')}${c.dim(':')}`, ...body(action.script, '| ')]
    case 'manual':
      return [...lines, `  ${c.yellow('do by hand')} ${c.dim('(confirm to go on; --yes confirms)')}`, ...body(action.script, '')]
  }
}

/** Commands behind `$ `, continuation lines indented, comments dimmed. */
function commandLines(script: string, plan: Plan, c: Palette): string[] {
  const lines = script.split('\n')
  return lines.map((line, index) => {
    if (line.trim().startsWith('#')) return `    ${c.dim(line)}`
    const continued = index > 0 && lines[index - 1].trimEnd().endsWith('\\')
    return `    ${continued ? '  ' : '$ '}${highlight(line, plan, c)}`
  })
}

/** Placeholders still to fill stand out. */
function highlight(line: string, plan: Plan, c: Palette): string {
  let out = line
  for (const p of plan.parameters) out = out.split(p.raw).join(c.inverse(c.yellow(p.raw)))
  return out
}

function renderParameters(plan: Plan, c: Palette, where: (pos: SourcePos) => string): string[] {
  if (plan.parameters.length === 0) return []
  const width = maxOf(plan.parameters.map((p) => p.raw.length))
  const out = [c.bold('Placeholders')]
  for (const p of plan.parameters) {
    const state = p.from ? c.green(`given by ${p.from}`) : `give with --set ${p.name}=… or RUNBOOK_${p.name}=…${p.secret ? '' : ''}`
    out.push(`  ${highlight(p.raw, plan, c)}${' '.repeat(width - p.raw.length)}  ${p.name}${p.secret ? c.yellow(' (secret: never saved or logged; asked again on resume)') : ''}  ${state}  ${where(p.source)}`)
  }
  return out
}
