/**
 * The executor's way in: around every step, record what the step may touch
 * (beforeStep) and what it did change (afterStep). A snapshot that fails is
 * noted in the journal and never fails the step: rollback then treats that
 * step as one to undo by hand.
 */
import {rm} from 'node:fs/promises'
import {dirname, resolve} from 'node:path'
import type {PlannedStep} from '../../resolve/types.js'
import type {StepHooks} from '../events.js'
import type {Effect} from './effect-types.js'
import {cachedEffects, cachedEffectsOf} from './effects-cache.js'
import {takeBackUndone} from './checkpoint.js'
import {undoClass} from './inverse.js'
import {paths, readJson, writeBefore, writeUndo, type StepBefore, type StepUndo} from './journal.js'
import type {FileSnapshot, SnapshotLimits} from './snapshot-files.js'
import {append} from '../../arrays.js'

/** The snapshot modules, loaded for the first step that may change something: most steps of a run never need them. */
async function snapshots() {
  const [accounts, files, packages, services] = await Promise.all([
    import('./snapshot-accounts.js'),
    import('./snapshot-files.js'),
    import('./snapshot-packages.js'),
    import('./snapshot-services.js'),
  ])
  return {...accounts, ...files, ...packages, ...services}
}

export interface RollbackHookOptions {
  /** The scripts the step will run, as they will run (placeholders substituted). */
  scriptsOf(step: PlannedStep): string[]
  /** Where the step's scripts run (relative paths resolve here): a path, or one per step. */
  cwd: string | ((step: PlannedStep, journalDir: string) => string)
  /** Files the executor itself writes for the step (`edit` and `file-content` actions). */
  filesOf?(step: PlannedStep): string[]
  /** The page's own undo scripts for the step (`:::rollback`), resolved for this platform. */
  rollbackOf?(step: PlannedStep): string[]
  /** `HOME` and `USER` are read from here to resolve `~` and `$HOME` in paths. */
  env?: Record<string, string | undefined>
  limits?: SnapshotLimits
}

/** Directories too broad to snapshot whole for a path we cannot resolve. */
const TOO_BROAD = new Set(['/', '/etc', '/usr', '/var', '/opt', '/home', '/root', '/tmp', '/srv', '/bin', '/sbin', '/lib', '/boot'])

export function createRollbackHooks(opts: RollbackHookOptions): StepHooks {
  const env = opts.env ?? process.env
  // The steps that have a before-state: the others changed nothing, and afterStep has nothing to read.
  const journaled = new Set<string>()
  const who = {HOME: env.HOME, USER: env.USER}
  return {
    // The effects of every step at once: one call of the shell parser for the scripts not seen before.
    async beforeRun(steps) {
      await cachedEffectsOf(steps.flatMap((step) => opts.scriptsOf(step)), who)
    },

    async beforeStep(step, journalDir) {
      const problems: string[] = []
      const effects: Effect[] = []
      const cwd = typeof opts.cwd === 'function' ? opts.cwd(step, journalDir) : opts.cwd
      for (const script of opts.scriptsOf(step)) append(effects, (await cachedEffects(script, who)))
      for (const file of opts.filesOf?.(step) ?? []) effects.push({kind: 'file', op: 'edit', path: file, dynamic: false, via: 'runbook'})
      const declared = opts.rollbackOf?.(step) ?? []
      // A step that changes nothing (`true`, `systemctl status`) has nothing to undo: no journal at all.
      const changes = effects.filter((e) => undoClass(e) !== 'none')
      if (changes.length === 0 && declared.length === 0) return
      const {DEFAULT_LIMITS, snapshotPath, packageDb, listPackages, listAccounts, serviceState} = await snapshots()
      const files: FileSnapshot[] = []
      for (const target of await throughLinks(snapshotTargets(effects, cwd))) {
        try {
          files.push(await snapshotPath(target.path, paths(journalDir).blobs, target.tree, opts.limits ?? DEFAULT_LIMITS))
        } catch (error) {
          problems.push(`could not snapshot ${target.path}: ${(error as Error).message}`)
        }
      }
      const before: StepBefore = {
        version: 1, stepId: step.id, takenAt: new Date().toISOString(), cwd, effects, files,
        packages: null, accounts: null, services: [], declared, problems,
      }
      // Package and account lists cost two processes each: only for steps that may install something.
      if (changes.some((e) => e.kind === 'package' || e.kind === 'irreversible' || e.kind === 'unknown')) {
        try {
          const db = await packageDb()
          if (db) before.packages = await listPackages(db)
          before.accounts = await listAccounts()
        } catch (error) {
          problems.push(`could not list packages: ${(error as Error).message}`)
        }
      }
      for (const e of effects) if (e.kind === 'service') for (const unit of e.units) before.services.push(await serviceState(e.manager, unit))
      before.services = uniqueServices(before.services)
      await writeBefore(journalDir, await sinceFirstAttempt(journalDir, before))
      journaled.add(journalDir)
    },

    async afterStep(_step, journalDir, status) {
      if (!journaled.has(journalDir)) return
      const before = await readJson<StepBefore>(paths(journalDir).before)
      if (!before) return
      await writeUndo(journalDir, await measureUndo(before, status))
    },
  }
}

/** The scripts the executor runs for a step: its shell actions. */
export function defaultScriptsOf(step: PlannedStep): string[] {
  return step.actions.filter((a) => (a.kind === 'exec' || a.kind === 'check') && ['bash', 'sh', 'shell', 'console', ''].includes(a.lang)).map((a) => a.script)
}

/** The files the executor writes itself for a step. */
export function defaultFilesOf(step: PlannedStep): string[] {
  return step.actions.filter((a) => (a.kind === 'edit' || a.kind === 'file-content') && a.file).map((a) => a.file!)
}

/** Compares the machine now with a step's before-state. Also used for a step cut off by kill -9. */
export async function measureUndo(before: StepBefore, status: StepUndo['status']): Promise<StepUndo> {
  const {hasChanged, diffPackages, listPackages, diffAccounts, listAccounts, serviceState} = await snapshots()
  const problems = [...before.problems]
  const files: FileSnapshot[] = []
  for (const snap of before.files) if (await hasChanged(snap)) files.push(snap)
  let packages = null
  let accounts = {users: [] as string[], groups: [] as string[]}
  try {
    if (before.packages) packages = diffPackages(before.packages, await listPackages(before.packages.db))
    if (before.accounts) accounts = diffAccounts(before.accounts, await listAccounts())
  } catch (error) {
    problems.push(`could not list packages after the step: ${(error as Error).message}`)
  }
  const services = []
  for (const b of before.services) services.push({before: b, after: await serviceState(b.manager, b.unit)})
  const {stateOf} = await import('./verify.js')
  // As the step left each changed path: a folder it made is recorded with its listing.
  const after = []
  for (const f of files) after.push(await stateOf(f.root, f.tree || f.entries[0]?.type === 'absent'))
  return {
    version: 1, stepId: before.stepId, status, recordedAt: new Date().toISOString(), cwd: before.cwd, effects: before.effects,
    files, snapshotted: before.files.map((f) => f.path), packages, accounts, services, declared: before.declared, problems, after,
  }
}

interface Target {
  path: string
  tree: boolean
}

/** Which paths to record for a step's file effects. */
export function snapshotTargets(effects: Effect[], cwd: string): Target[] {
  const out = new Map<string, Target>()
  const add = (path: string, tree: boolean) => {
    const prev = out.get(path)
    out.set(path, {path, tree: tree || (prev?.tree ?? false)})
  }
  for (const e of effects) {
    if (e.kind !== 'file') continue
    if (e.dynamic) {
      if (e.dir && !TOO_BROAD.has(resolve(cwd, e.dir))) add(resolve(cwd, e.dir), true)
      continue
    }
    const path = resolve(cwd, e.path)
    add(path, e.recursive === true || e.op === 'extract' || e.op === 'keyring' && !e.path.endsWith('.gpg'))
    for (const name of e.into ?? []) add(resolve(path, name), e.recursive === true)
  }
  // A path inside a tree already recorded is covered by it.
  const trees = [...out.values()].filter((t) => t.tree)
  return [...out.values()].filter((t) => !trees.some((tree) => tree !== t && t.path.startsWith(tree.path + '/')))
}

/**
 * A step run again (retry, resume, --from) keeps the machine as it was before
 * its first attempt, so that rollback undoes what every attempt did; paths the
 * first attempt did not record are added as they are now. A step that a
 * rollback undid since starts afresh: the machine is back where it was.
 */
async function sinceFirstAttempt(journalDir: string, now: StepBefore): Promise<StepBefore> {
  // What the last attempt changed is measured again when this one ends (or, cut off, by rollback).
  await rm(paths(journalDir).undo, {force: true})
  const runDir = dirname(dirname(journalDir))
  if (await takeBackUndone(runDir, now.stepId)) return now
  const first = await readJson<StepBefore>(paths(journalDir).before)
  if (!first) return now
  const recorded = new Set(first.files.map((f) => f.path))
  const effects = new Map([...first.effects, ...now.effects].map((e) => [JSON.stringify(e), e]))
  return {
    ...now,
    takenAt: first.takenAt,
    effects: [...effects.values()],
    files: [...first.files, ...now.files.filter((f) => !recorded.has(f.path))],
    packages: first.packages ?? now.packages,
    accounts: first.accounts ?? now.accounts,
    services: uniqueServices([...first.services, ...now.services]),
    problems: [...new Set([...first.problems, ...now.problems])],
  }
}

function uniqueServices<T extends {manager: string; unit: string}>(list: T[]): T[] {
  const seen = new Set<string>()
  return list.filter((s) => !seen.has(s.manager + ' ' + s.unit) && seen.add(s.manager + ' ' + s.unit))
}

/**
 * A write through a symlink (`echo x > link`, or a path under a linked
 * folder) lands on the link's target: the resolved path is recorded too, so
 * rollback restores what was really written. (The link itself stays recorded:
 * a step may also replace it.)
 */
async function throughLinks(targets: Target[]): Promise<Target[]> {
  const {realpath} = await import('node:fs/promises')
  const {basename} = await import('node:path')
  const out = new Map(targets.map((t) => [t.path, t]))
  for (const t of targets) {
    let real: string | undefined
    try {
      real = await realpath(t.path)
    } catch {
      try {
        real = resolve(await realpath(dirname(t.path)), basename(t.path))
      } catch {
        real = undefined
      }
    }
    if (real && real !== t.path && !out.has(real)) out.set(real, {path: real, tree: t.tree})
  }
  return [...out.values()]
}
