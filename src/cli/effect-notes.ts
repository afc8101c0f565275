/**
 * What each command changes and how rollback would undo it, for the dry-run
 * and `runbook graph`. Effects depend on the script text alone, so they are
 * cached by its hash beside the graph cache: a repeated dry-run never loads
 * the shell parser.
 */
import {createHash} from 'node:crypto'
import {mkdirSync, readFileSync, renameSync, writeFileSync} from 'node:fs'
import {dirname, join} from 'node:path'
import {cacheDir} from './graph-cache.js'

export interface Scripted {
  id: string
  kind: string
  script: string
  file?: string
}

/** Action id → lines such as `installs dirmngr (apt) — undo: remove the packages …`. */
export async function effectNotes(actions: Scripted[]): Promise<Record<string, string[]>> {
  const runnable = actions.filter((action) => action.kind === 'exec' || action.kind === 'check')
  const file = cacheFile()
  const known = load(file)
  const missing = runnable.filter((action) => !known.has(key(action.script)))
  if (missing.length > 0) {
    const rollback = await import('../execute/rollback/index.js')
    for (const action of missing) {
      const effects = await rollback.inferEffects(action.script)
      const lines = effects
        .filter((effect) => rollback.undoClass(effect) !== 'none')
        .map((effect) => (rollback.isReversible(effect) ? `${rollback.describeEffect(effect)} — undo: ${rollback.describeUndo(effect)}` : `irreversible: ${rollback.describeEffect(effect)} — rollback stops here; undo by hand`))
      known.set(key(action.script), lines)
    }
    save(file, known)
  }
  const notes: Record<string, string[]> = Object.fromEntries(runnable.map((action) => [action.id, known.get(key(action.script)) ?? []]))
  for (const action of actions) {
    // The executor itself writes these files, after a snapshot.
    if ((action.kind === 'edit' || action.kind === 'file-content') && action.file) notes[action.id] = [`changes ${action.file} — undo: restore it from the snapshot taken before the step`]
  }
  return notes
}

function key(script: string): string {
  return createHash('sha256').update(script).digest('hex').slice(0, 32)
}

function cacheFile(): string | undefined {
  const graphs = cacheDir()
  return graphs ? join(dirname(graphs), 'effects-v1.json') : undefined
}

function load(file: string | undefined): Map<string, string[]> {
  if (!file) return new Map()
  try {
    return new Map(Object.entries(JSON.parse(readFileSync(file, 'utf8')) as Record<string, string[]>))
  } catch {
    return new Map()
  }
}

function save(file: string | undefined, known: Map<string, string[]>): void {
  if (!file || known.size > 50_000) return
  try {
    mkdirSync(dirname(file), {recursive: true})
    const temp = `${file}.${process.pid}.tmp`
    writeFileSync(temp, JSON.stringify(Object.fromEntries(known)), {mode: 0o600})
    renameSync(temp, file)
  } catch {
    // Only costs the next run the shell parser.
  }
}
