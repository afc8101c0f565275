/**
 * `edit` actions: which editor to open on which file. `$VISUAL`, then
 * `$EDITOR`, then the editor the guide's command names.
 */
import type {PlannedAction} from '../resolve/types.js'
import {quoteWord} from '../resolve/quote.js'
import {isRoot} from './sudo.js'

/** The file an edit command works on: the action's `file`, else the last path-like word of the command. */
export function editTarget(action: PlannedAction, script: string): string | undefined {
  if (action.file) return action.file
  const words = script.trim().split(/\s+/).filter((w) => !w.startsWith('-'))
  const last = words[words.length - 1]
  return last && words.length > 1 && /[/.]/.test(last) ? last.replace(/^['"]|['"]$/g, '') : undefined
}

/** The script that opens the editor: the user's editor when set and the file is known, else the guide's command. */
export function editorScript(action: PlannedAction, script: string, env: NodeJS.ProcessEnv = process.env): string {
  const editor = env.VISUAL || env.EDITOR
  const file = editTarget(action, script)
  if (!editor || !file) return script
  // sudoedit runs the user's own editor on a copy and writes it back as root.
  if (!isRoot() && (action.sudo || /^\s*sudo\s/.test(script))) return `sudo -e ${quoteWord(file)}`
  // $EDITOR may carry arguments (`code -w`): let the shell split it, as git does.
  return `${editor} ${quoteWord(file)}`
}
