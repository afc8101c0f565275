/**
 * Effect → how rollback undoes it. The actual undo is decided from what the
 * journal measured around the step; this says what kind of undo applies, and
 * says it in words for the dry-run.
 */
import type {Effect} from './effect-types.js'

export type UndoClass = 'none' | 'files' | 'packages' | 'services' | 'manual'

export function undoClass(e: Effect): UndoClass {
  switch (e.kind) {
    case 'file':
      return !e.dynamic || e.dir ? 'files' : 'manual'
    case 'package':
      return e.op === 'refresh' ? 'none' : e.op === 'upgrade' ? 'manual' : 'packages'
    case 'service':
      return 'services'
    case 'irreversible':
    case 'unknown':
      return 'manual'
  }
}

export function isReversible(e: Effect): boolean {
  return undoClass(e) !== 'manual'
}

export function describeUndo(e: Effect): string {
  switch (e.kind) {
    case 'file':
      if (e.dynamic && e.dir) return `restore ${e.dir} from a snapshot of the whole directory`
      if (e.dynamic) return `undo by hand: ${e.path} is decided at run time`
      if (e.op === 'create-dir') return `remove ${e.path} if the step created it`
      if (e.op === 'delete') return `restore ${e.path} from the snapshot`
      if (e.op === 'metadata') return `restore the mode and owner of ${e.path}`
      if (e.op === 'extract' || e.recursive) return `restore ${e.path} from a snapshot of the whole directory`
      return `restore ${e.path} from the snapshot, or remove it if the step created it`
    case 'package':
      if (e.op === 'refresh') return 'nothing to undo'
      if (e.op === 'upgrade') return 'undo by hand: upgraded packages are not downgraded automatically'
      if (e.op === 'remove') return `reinstall ${e.packages.join(', ')} at the recorded versions`
      return 'remove the packages the step installed, with the dependencies it pulled in'
    case 'service':
      return `return ${e.units.join(', ')} to the recorded enabled and running state`
    case 'irreversible':
      return `undo by hand: ${e.reason}`
    case 'unknown':
      return `undo by hand: ${e.via} may have changed anything`
  }
}
