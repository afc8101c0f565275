/**
 * rollback.json in the run directory: the plan being carried out and the
 * actions done so far, rewritten atomically after each one, so that running
 * the command again after a crash or kill -9 goes on where it stopped.
 */
import {join} from 'node:path'
import {writeJsonAtomic} from '../atomic.js'
import {readJson} from './journal.js'
import type {UndoPlan} from './undo-plan.js'

export interface Checkpoint {
  version: 1
  runId: string
  /** `running` until the plan's last action is done. */
  status: 'running' | 'done' | 'blocked'
  plan: UndoPlan
  /** Ids of the actions done. */
  done: string[]
  /** Steps fully undone, by this and earlier rollbacks of the run. */
  undone: string[]
  updatedAt: string
}

export const checkpointPath = (runDir: string) => join(runDir, 'rollback.json')

export async function readCheckpoint(runDir: string): Promise<Checkpoint | null> {
  return readJson<Checkpoint>(checkpointPath(runDir))
}

export async function writeCheckpoint(runDir: string, checkpoint: Checkpoint): Promise<void> {
  await writeJsonAtomic(checkpointPath(runDir), {...checkpoint, updatedAt: new Date().toISOString()})
}

/** A step that runs again is no longer undone: the next rollback has to undo it. True when it was. */
export async function takeBackUndone(runDir: string, stepId: string): Promise<boolean> {
  const checkpoint = await readCheckpoint(runDir)
  if (!checkpoint?.undone.includes(stepId)) return false
  await writeCheckpoint(runDir, {...checkpoint, undone: checkpoint.undone.filter((id) => id !== stepId)})
  return true
}
