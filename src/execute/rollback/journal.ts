/**
 * What rollback keeps per step, in the step's journal directory:
 *   rollback/before.json  the state before the step (written by beforeStep)
 *   rollback/blobs/       file contents by sha256 (0600)
 *   undo.json             what the step changed (written by afterStep)
 * Paths, package, unit and program names only: no command line is stored.
 */
import type {PathState} from './verify.js'
import {mkdir, readFile} from 'node:fs/promises'
import {join} from 'node:path'
import type {StepStatus} from '../events.js'
import type {Accounts} from './snapshot-accounts.js'
import type {FileSnapshot} from './snapshot-files.js'
import type {PackageDelta, PackageSet} from './snapshot-packages.js'
import type {ServiceState} from './snapshot-services.js'
import type {Effect} from './effect-types.js'
import {writeJsonAtomic} from '../atomic.js'

export interface StepBefore {
  version: 1
  stepId: string
  takenAt: string
  /** Where the step's scripts ran (and declared undo scripts run). */
  cwd: string
  effects: Effect[]
  files: FileSnapshot[]
  packages: PackageSet | null
  accounts: Accounts | null
  services: ServiceState[]
  /** The page's own undo scripts for this step, when it declares some. */
  declared: string[]
  /** What could not be recorded (a snapshot that failed): makes the step manual. */
  problems: string[]
}

export interface StepUndo {
  version: 1
  stepId: string
  status: StepStatus
  recordedAt: string
  cwd: string
  effects: Effect[]
  /** Snapshots of the paths that differ after the step. */
  files: FileSnapshot[]
  /** Every path recorded before the step, changed or not. */
  snapshotted: string[]
  packages: PackageDelta | null
  accounts: Accounts
  services: Array<{before: ServiceState; after: ServiceState}>
  declared: string[]
  problems: string[]
  /** Each changed path as the step left it (see verify.ts); absent in journals of older versions. */
  after?: PathState[]
}

export const paths = (journalDir: string) => ({
  dir: join(journalDir, 'rollback'),
  before: join(journalDir, 'rollback', 'before.json'),
  blobs: join(journalDir, 'rollback', 'blobs'),
  undo: join(journalDir, 'undo.json'),
})

export async function writeBefore(journalDir: string, before: StepBefore): Promise<void> {
  await mkdir(paths(journalDir).dir, {recursive: true, mode: 0o700})
  await writeJsonAtomic(paths(journalDir).before, before)
}

export async function writeUndo(journalDir: string, undo: StepUndo): Promise<void> {
  await writeJsonAtomic(paths(journalDir).undo, undo)
}

export async function readJson<T>(path: string): Promise<T | null> {
  try {
    return JSON.parse(await readFile(path, 'utf8')) as T
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null
    throw new Error(`${path} is not readable JSON (${(error as Error).message}); it may have been edited or truncated.`)
  }
}
