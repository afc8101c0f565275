/**
 * What a shell script may change, read with a shell parser: files, packages,
 * services, and what cannot be undone. Used by the graph printer, the dry-run
 * and rollback; it reads scripts only and touches no machine.
 */
export type {Effect, FileEffect, PackageEffect, ServiceEffect, IrreversibleEffect, UnknownEffect, FileOp, ServiceOp, ServiceManager, PackageManager} from './effect-types.js'
export {inferEffects, type InferOptions} from './effects.js'
export {cachedEffects, cachedEffectsOf} from './effects-cache.js'
export {describeEffect} from './describe.js'
export {describeUndo, isReversible, undoClass, type UndoClass} from './inverse.js'
