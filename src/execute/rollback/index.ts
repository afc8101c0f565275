/**
 * Rollback: undo what a run changed. Hooks record each step's before-state
 * and changes; the plan and the runner undo them newest first.
 */
export type {Effect, FileEffect, PackageEffect, ServiceEffect, IrreversibleEffect, UnknownEffect, FileOp, ServiceOp, ServiceManager, PackageManager} from '../../effects/index.js'
export {inferEffects, type InferOptions} from '../../effects/index.js'
export {describeEffect} from '../../effects/index.js'
export {describeUndo, isReversible, undoClass, type UndoClass} from '../../effects/index.js'
export {createRollbackHooks, defaultScriptsOf, defaultFilesOf, type RollbackHookOptions} from './hooks.js'
export {planRollback, describeAction, type UndoPlan, type UndoStep, type UndoAction} from './undo-plan.js'
export {runRollback, type RollbackEvent, type RollbackOptions, type RollbackResult} from './undo-run.js'
export {findRunDir, recordRollback} from './run-state.js'
export {snapshotPath, restoreSnapshot, hasChanged, type FileSnapshot} from './snapshot-files.js'
