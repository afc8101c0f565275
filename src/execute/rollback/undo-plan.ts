/**
 * The undo plan of a run: its steps newest first, each with the actions that
 * put back what it changed, as measured by the journal. The plan stops before
 * the first step it cannot undo, and says what to undo there by hand.
 */
import type {PathState} from './verify.js'
import {join, resolve} from 'node:path'
import {UsageError} from '../../errors.js'
import type {ServiceManager} from './effect-types.js'
import {describeEffect} from './describe.js'
import {measureUndo} from './hooks.js'
import {isReversible} from './inverse.js'
import {paths, readJson, type StepBefore, type StepUndo} from './journal.js'
import {readCheckpoint} from './checkpoint.js'
import {readRun, type RunStep} from './run-state.js'
import type {Accounts} from './snapshot-accounts.js'
import type {FileSnapshot} from './snapshot-files.js'
import type {PackageDb} from './snapshot-packages.js'
import {serviceUndo, type ServiceAction} from './snapshot-services.js'
import {append} from '../../arrays.js'

export type UndoAction =
  | {id: string; kind: 'script'; script: string; cwd: string}
  | {id: string; kind: 'service'; manager: ServiceManager; unit: string; action: ServiceAction}
  | {id: string; kind: 'packages'; db: PackageDb; remove: string[]; keepConfig: string[]; reinstall: Array<{name: string; version: string}>}
  | {id: string; kind: 'accounts'; accounts: Accounts}
  | {id: string; kind: 'file'; snapshot: FileSnapshot; blobDir: string; /** The step's paths inside a new folder that removing it undoes. */ covers?: string[]; /** The path as the step left it. */ after?: PathState}

type DistributiveOmit<T, K extends keyof T> = T extends unknown ? Omit<T, K> : never

export interface UndoStep {
  stepId: string
  number: number
  title: string
  status: string
  /** The page declares this step's undo: its scripts replace the inferred actions. */
  declared: boolean
  actions: UndoAction[]
}

export interface UndoPlan {
  version: 1
  runId: string
  runDir: string
  runbook?: {file?: string; title?: string}
  to?: string
  createdAt: string
  steps: UndoStep[]
  /** The step where rollback stops, with what to undo there by hand. */
  blocked?: {stepId: string; number: number; title: string; manual: string[]}
  /** Continued from an interrupted rollback. */
  resumed?: boolean
}

export async function planRollback(runDir: string, options: {to?: string} = {}): Promise<UndoPlan> {
  const checkpoint = await readCheckpoint(runDir)
  if (checkpoint?.status === 'running') {
    if (options.to !== undefined && options.to !== checkpoint.plan.to) {
      throw new UsageError(`runbook rollback: a rollback of run ${checkpoint.plan.runId}${checkpoint.plan.to ? ` to step ${checkpoint.plan.to}` : ''} was interrupted; run the command again ${checkpoint.plan.to ? `with --to ${checkpoint.plan.to}` : 'without --to'} to finish it first.`)
    }
    return {...checkpoint.plan, resumed: true}
  }
  const run = await readRun(runDir)
  const undone = new Set(checkpoint?.undone ?? [])
  const target = options.to === undefined ? undefined : findStep(run.steps, options.to, run.runId)
  const plan: UndoPlan = {version: 1, runId: run.runId, runDir, ...(run.runbook ? {runbook: run.runbook} : {}), ...(target ? {to: target.id} : {}), createdAt: new Date().toISOString(), steps: []}
  for (const step of [...run.steps].reverse()) {
    if (!undone.has(step.id)) {
      const undo = await stepUndo(join(runDir, 'journal', step.id), step.status)
      if (undo) {
        const manual = manualItems(undo)
        if (manual.length) {
          plan.blocked = {stepId: step.id, number: step.number, title: step.title, manual}
          break
        }
        plan.steps.push({stepId: step.id, number: step.number, title: step.title, status: undo.status, declared: undo.declared.length > 0, actions: actionsOf(step.id, undo, join(runDir, 'journal', step.id))})
      }
    }
    if (target && step.id === target.id) break
  }
  return plan
}

function findStep(steps: RunStep[], to: string, runId: string): RunStep {
  const found = steps.find((s) => s.id === to) ?? steps.find((s) => String(s.number) === to)
  if (!found) {
    throw new UsageError(`runbook rollback --to ${to}: run ${runId} has no step '${to}'. Its steps: ${steps.map((s) => `${s.number} ${s.id}`).join(', ') || 'none recorded'}.`)
  }
  return found
}

/** The step's undo record; for a step cut off mid-way (kill -9), measured now. */
async function stepUndo(journalDir: string, status: string): Promise<StepUndo | null> {
  const recorded = await readJson<StepUndo>(paths(journalDir).undo)
  if (recorded) return recorded
  const before = await readJson<StepBefore>(paths(journalDir).before)
  return before ? measureUndo(before, status === 'running' || status === 'unknown' ? 'interrupted' : (status as StepUndo['status'])) : null
}

/** What the journal says cannot be undone from it. Declared undo covers everything. */
function manualItems(undo: StepUndo): string[] {
  if (undo.declared.length) return []
  const items = undo.effects.filter((e) => !isReversible(e)).map(describeEffect)
  // A path decided at run time is reversible only through a snapshot of its whole directory.
  for (const e of undo.effects) {
    if (e.kind === 'file' && e.dynamic && e.dir && !undo.snapshotted.includes(resolve(undo.cwd, e.dir))) items.push(describeEffect(e))
  }
  append(items, undo.problems)
  for (const f of undo.files) if (f.tooLarge) items.push(`${f.path} changed, but it was too large to snapshot (${f.tooLarge})`)
  return items
}

function actionsOf(stepId: string, undo: StepUndo, journalDir: string): UndoAction[] {
  const actions: Array<DistributiveOmit<UndoAction, 'id'>> = []
  if (undo.declared.length) {
    for (const script of undo.declared) actions.push({kind: 'script', script, cwd: undo.cwd})
  } else {
    // Services first (stop what the step started), then packages, accounts, files.
    for (const {before, after} of undo.services) {
      for (const action of serviceUndo(before, after)) actions.push({kind: 'service', manager: before.manager, unit: before.unit, action})
    }
    const p = undo.packages
    if (p && (p.added.length || p.removed.length || p.changed.length)) {
      actions.push({
        kind: 'packages', db: p.db, remove: p.added.map((a) => a.name), keepConfig: p.added.filter((a) => a.hadConfig).map((a) => a.name),
        reinstall: [...p.removed, ...p.changed.map((c) => ({name: c.name, version: c.from}))],
      })
    }
    // Accounts are only attributed to a step that added packages (their maintainer scripts made them).
    if (p?.added.length && (undo.accounts.users.length || undo.accounts.groups.length)) actions.push({kind: 'accounts', accounts: undo.accounts})
    // Two effects under one new folder are both undone by removing that folder: once, naming each path it covers.
    const byRoot = new Map<string, {kind: 'file'; snapshot: FileSnapshot; blobDir: string; covers?: string[]; after?: PathState}>()
    for (const snapshot of [...undo.files].reverse()) {
      const known = byRoot.get(snapshot.root)
      if (known) {
        if (snapshot.path !== snapshot.root && !(known.covers ??= []).includes(snapshot.path)) known.covers.push(snapshot.path)
        continue
      }
      const after = undo.after?.find((a) => a.root === snapshot.root)
      const action = {kind: 'file' as const, snapshot, blobDir: paths(journalDir).blobs, ...(snapshot.path !== snapshot.root ? {covers: [snapshot.path]} : {}), ...(after ? {after} : {})}
      byRoot.set(snapshot.root, action)
      actions.push(action)
    }
  }
  return actions.map((a, i) => ({...a, id: `${stepId}#${i + 1}`}) as UndoAction)
}

export function describeAction(a: UndoAction): string {
  switch (a.kind) {
    case 'script': {
      const lines = a.script.trim().split('\n')
      return `run the page's undo script: ${lines[0]}${lines.length > 1 ? ` (+${lines.length - 1} lines)` : ''}`
    }
    case 'service':
      return `${a.action} ${a.unit} (${a.manager})`
    case 'packages': {
      const parts = []
      if (a.remove.length) parts.push(`remove the packages ${a.remove.join(', ')} (${a.db === 'dpkg' ? 'apt-get remove --purge' : 'dnf remove'})`)
      if (a.reinstall.length) parts.push(`reinstall ${a.reinstall.map((r) => `${r.name}=${r.version}`).join(', ')}`)
      return parts.join('; ')
    }
    case 'accounts': {
      const parts = [...a.accounts.users.map((u) => `user ${u}`), ...a.accounts.groups.map((g) => `group ${g}`)]
      return `delete the ${parts.join(', ')} created by the installed packages`
    }
    case 'file': {
      const first = a.snapshot.entries[0]
      if (first?.type === 'absent') {
        const inside = (a.covers ?? []).map((p) => (p.startsWith(a.snapshot.root + '/') ? p.slice(a.snapshot.root.length + 1) : p)).sort()
        return `remove ${a.snapshot.root} (it did not exist before${inside.length ? `; the step wrote ${inside.join(', ')} in it` : ''})`
      }
      if (a.snapshot.tree && first?.type === 'dir') return `restore the directory ${a.snapshot.root} as it was (${a.snapshot.entries.length} entries)`
      if (first?.type === 'symlink') return `restore the link ${a.snapshot.root} -> ${first.target}`
      return `restore ${a.snapshot.root} (content, mode and owner)`
    }
  }
}
