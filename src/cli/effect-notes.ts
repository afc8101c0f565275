/**
 * What each command changes and how rollback would undo it, for the dry-run
 * and `runbook graph`. Effects come from rollback's cache when the commands
 * were seen before, so a repeated dry-run never loads the shell parser.
 */
import {describeEffect} from '../effects/describe.js'
import {cachedEffectsOf} from '../effects/effects-cache.js'
import {describeUndo, isReversible, undoClass} from '../effects/inverse.js'

export interface Scripted {
  id: string
  kind: string
  script: string
  file?: string
}

/** Action id → lines such as `installs dirmngr (apt) — undo: remove the packages …`. */
export async function effectNotes(actions: Scripted[]): Promise<Record<string, string[]>> {
  const notes: Record<string, string[]> = {}
  const scripted = actions.filter((action) => action.kind === 'exec' || action.kind === 'check')
  const all = await cachedEffectsOf(scripted.map((action) => action.script), {HOME: process.env.HOME, USER: process.env.USER})
  const effectsOf = new Map(scripted.map((action, i) => [action, all[i]!]))
  for (const action of actions) {
    const effects = effectsOf.get(action)
    if (effects) {
      notes[action.id] = effects
        .filter((effect) => undoClass(effect) !== 'none')
        .map((effect) => (isReversible(effect) ? `${describeEffect(effect)} — undo: ${describeUndo(effect)}` : `irreversible: ${describeEffect(effect)} — rollback stops here; undo by hand`))
    } else if ((action.kind === 'edit' || action.kind === 'file-content') && action.file) {
      // The executor itself writes these files, after a snapshot.
      notes[action.id] = [`changes ${action.file} — undo: restore it from the snapshot taken before the step`]
    }
  }
  return notes
}
