/**
 * Carrying out an undo plan, one checkpointed action at a time. Every action
 * is idempotent (it looks at the machine before acting), so an action cut off
 * by kill -9 is simply done again on the next run of the command.
 */
import {changedSince, unverified} from './verify.js'
import {join} from 'node:path'
import {loadExeca} from '../lazy-execa.js'
import {RunbookError, UsageError} from '../../errors.js'
import {readCheckpoint, writeCheckpoint, type Checkpoint} from './checkpoint.js'
import {removeAccounts} from './snapshot-accounts.js'
import {restoreSnapshot} from './snapshot-files.js'
import {reinstallPackages, removePackages} from './snapshot-packages.js'
import {applyServiceAction, serviceState} from './snapshot-services.js'
import type {UndoAction, UndoPlan, UndoStep} from './undo-plan.js'
import {recordRollback} from './run-state.js'
import {acquireLock} from '../lock.js'

export type RollbackEvent =
  | {type: 'start'; plan: UndoPlan; dryRun: boolean}
  | {type: 'step'; step: UndoStep}
  | {type: 'action'; step: UndoStep; action: UndoAction; state: 'start' | 'done' | 'already-done' | 'unverified'}
  | {type: 'blocked'; blocked: NonNullable<UndoPlan['blocked']>}
  | {type: 'unverified'; paths: string[]}
  | {type: 'end'; status: 'done' | 'blocked' | 'nothing' | 'dry-run' | 'unverified'}

export interface RollbackOptions {
  dryRun?: boolean
  /** Confirmation given (`--yes`, or a person said yes). Required unless dry-run. */
  yes?: boolean
  reporter?: (event: RollbackEvent) => void
  /** Undo paths changed since the run too (overwriting or removing those changes). */
  force?: boolean
}

export interface RollbackResult {
  exitCode: 0 | 1
  status: 'done' | 'blocked' | 'nothing' | 'dry-run' | 'unverified'
}

export async function runRollback(plan: UndoPlan, options: RollbackOptions = {}): Promise<RollbackResult> {
  const report = options.reporter ?? (() => {})
  report({type: 'start', plan, dryRun: options.dryRun ?? false})
  const finalStatus = plan.blocked ? 'blocked' : 'done'
  if (options.dryRun) {
    for (const step of plan.steps) report({type: 'step', step})
    if (plan.blocked) report({type: 'blocked', blocked: plan.blocked})
    report({type: 'end', status: 'dry-run'})
    return {exitCode: 0, status: 'dry-run'}
  }
  if (!options.yes) throw new UsageError(`runbook rollback ${plan.runId}: not confirmed; pass --yes to roll the run back.`)
  if (!plan.steps.length && !plan.blocked) {
    report({type: 'end', status: 'nothing'})
    return {exitCode: 0, status: 'nothing'}
  }
  // One process at a time on a run: not while its runner (or another rollback) works on it.
  const lock = acquireLock(join(plan.runDir, 'lock'), plan.runId)
  try {
    return await carryOut(plan, report, finalStatus, options.force ?? false)
  } finally {
    lock.release()
  }
}

async function carryOut(plan: UndoPlan, report: (e: RollbackEvent) => void, finalStatus: 'done' | 'blocked', force: boolean): Promise<RollbackResult> {
  const notVerified: string[] = []
  const previous = await readCheckpoint(plan.runDir)
  const checkpoint: Checkpoint = plan.resumed && previous
    ? previous
    : {version: 1, runId: plan.runId, status: 'running', plan, done: [], undone: previous?.undone ?? [], updatedAt: ''}
  checkpoint.status = 'running'
  await writeCheckpoint(plan.runDir, checkpoint)
  for (const step of plan.steps) {
    if (!force) await refuseChangedSince(plan, step, checkpoint.done)
    report({type: 'step', step})
    for (const action of step.actions) {
      if (checkpoint.done.includes(action.id)) {
        report({type: 'action', step, action, state: 'already-done'})
        continue
      }
      report({type: 'action', step, action, state: 'start'})
      try {
        await perform(action)
      } catch (error) {
        const why = error instanceof RunbookError ? error.message : `${(error as Error).message}.`
        throw new RunbookError(`Rollback of run ${plan.runId} stopped at step ${step.number} (${step.stepId}): ${why} Run 'runbook rollback ${plan.runId}' again to continue from this action.`, 1)
      }
      checkpoint.done.push(action.id)
      await writeCheckpoint(plan.runDir, checkpoint)
      // Restored is what compares equal to the snapshot now, nothing less.
      const bad = action.kind === 'file' ? await unverified(action.snapshot) : []
      notVerified.push(...bad)
      report({type: 'action', step, action, state: bad.length ? 'unverified' : 'done'})
    }
    checkpoint.undone.push(step.stepId)
    await writeCheckpoint(plan.runDir, checkpoint)
  }
  checkpoint.status = finalStatus
  await writeCheckpoint(plan.runDir, checkpoint)
  if (plan.steps.length > 0) recordRollback(plan.runDir, checkpoint.undone)
  if (plan.blocked) report({type: 'blocked', blocked: plan.blocked})
  if (notVerified.length) {
    report({type: 'unverified', paths: [...new Set(notVerified)]})
    report({type: 'end', status: 'unverified'})
    return {exitCode: 1, status: 'unverified'}
  }
  report({type: 'end', status: finalStatus})
  return {exitCode: plan.blocked ? 1 : 0, status: finalStatus}
}

/** Stops before a step whose paths changed since the run left them (see verify.ts). */
async function refuseChangedSince(plan: UndoPlan, step: UndoPlan['steps'][number], done: string[]): Promise<void> {
  const changed: string[] = []
  for (const action of step.actions) {
    if (action.kind !== 'file' || !action.after || done.includes(action.id)) continue
    changed.push(...(await changedSince(action.after)))
  }
  if (changed.length === 0) return
  throw new RunbookError(
    `Rollback of run ${plan.runId} stopped before step ${step.number} (${step.stepId}): ${changed.length === 1 ? 'a path it changed was changed again' : `${changed.length} paths it changed were changed again`} after the run, and undoing the step would overwrite or delete that: ${changed.join(', ')}. Nothing of this step was undone. Check ${changed.length === 1 ? 'it' : 'them'}; to roll back anyway, run 'runbook rollback ${plan.runId} --force'.`,
    1,
  )
}

async function perform(action: UndoAction): Promise<void> {
  switch (action.kind) {
    case 'file':
      return restoreSnapshot(action.snapshot, action.blobDir)
    case 'service': {
      const now = await serviceState(action.manager, action.unit)
      const satisfied =
        (action.action === 'stop' && now.active === 'inactive') || (action.action === 'start' && now.active === 'active') ||
        (action.action === 'disable' && now.enabled !== 'enabled') || (action.action === 'enable' && now.enabled === 'enabled') ||
        (action.action === 'mask' && now.enabled === 'masked') || (action.action === 'unmask' && now.enabled !== 'masked')
      if (!satisfied) await applyServiceAction(action.manager, action.unit, action.action)
      return
    }
    case 'packages':
      await removePackages(action.db, action.remove, action.keepConfig)
      await reinstallPackages(action.db, action.reinstall)
      return
    case 'accounts':
      return removeAccounts(action.accounts)
    case 'script': {
      const execa = await loadExeca()
      const r = await execa('bash', ['-e', '-c', action.script], {cwd: action.cwd, reject: false, stdin: 'ignore', all: true})
      if (r.exitCode !== 0) {
        const tail = String(r.all ?? '').trim().split('\n').slice(-5).join('\n')
        throw new RunbookError(`the page's undo script exited with ${r.exitCode ?? r.signal}:\n${tail}\nFix the cause.`, 1)
      }
    }
  }
}
