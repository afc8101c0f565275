/**
 * Fences: closing fences MkDocs does not accept, shell fences that hold file
 * content or program output, commands in unlabelled or text fences, and `$ `
 * transcripts that mix commands and output. (Unclosed fences come from the
 * parser's own diagnostics.)
 */
import type {Code} from 'mdast'
import {classifyBlock, normaliseLang} from '../../graph/classify.js'
import {roleOf} from '../roles.js'
import {firstColumn, visitNodes} from '../source.js'
import type {RuleContext} from '../types.js'

const SHELL = new Set(['bash', 'sh', 'shell', 'zsh', 'ksh', 'dash'])
const PLAIN = new Set(['', 'text', 'txt', 'plain', 'plaintext', 'none'])
const FENCE_ONLY = /^[ \t]*(`{3,}|~{3,})[ \t]*$/
/** First lines that are program output, whatever the language: timestamps, unit status, HTTP, column headers, package managers' progress. */
const OUTPUT = /^(\[?\d{4}-\d\d-\d\d[ T]\d|\[?\d\d:\d\d:\d\d\b|[●○×✔✓]\s|HTTP\/\d|(Active|Loaded|Main PID|Status|Tasks|Memory|CGroup):\s|[A-Z][A-Z0-9_-]{2,}( {2,}|\t)[A-Z][A-Z0-9_ -]+$|(Reading package lists|Building dependency tree|Selecting previously unselected|Setting up|Unpacking|Processing triggers|Hit:\d|Get:\d|Ign:\d)\b)/

export function fences(context: RuleContext): void {
  const flagged = new Set<string>()
  visitNodes(context.page, (node, file) => {
    if (node.type !== 'code' || !node.position) return
    const lines = context.source.lines(file)
    closing(context, node, file, lines)
    content(context, node, file, lines, flagged)
  })
  // Where the graph gives blocks roles: a shell fence it reads as output or file content.
  for (const action of context.page.graph.procedures.flatMap((procedure) => procedure.steps.flatMap((step) => step.actions))) {
    const role = roleOf(action)
    if (!SHELL.has(action.lang) || (role !== 'output' && role !== 'file-content')) continue
    const fenceLine = action.block ? blockLine(context, action.source.file, action.source.line) : action.source.line
    if (flagged.has(`${action.source.file}:${fenceLine}`)) continue
    flagged.add(`${action.source.file}:${fenceLine}`)
    const text = context.source.lines(action.source.file)[fenceLine - 1]
    context.report({file: action.source.file, line: fenceLine, column: firstColumn(text), rule: 'fences/shell-holds-content', message: `this ${action.lang} fence holds ${role === 'output' ? 'program output' : 'file content'}, not commands${(action as {roleReason?: string}).roleReason ? ` (${(action as {roleReason?: string}).roleReason})` : ''}`, hint: role === 'output' ? 'label output fences text' : "label the fence with the file's language (ini, yaml, nginx, json) or text"})
  }
}

/** The fence line at or above an action's line. */
function blockLine(context: RuleContext, file: string, line: number): number {
  const lines = context.source.lines(file)
  for (let at = line; at >= 1 && at > line - 400; at--) if (/^[ \t>]*(`{3,}|~{3,})/.test(lines[at - 1] ?? '')) return at
  return line
}

function closing(context: RuleContext, node: Code, file: string, lines: string[]): void {
  const start = node.position!.start.line
  const end = node.position!.end.line
  const opener = /^[ \t>]*(`{3,}|~{3,})/.exec(lines[start - 1] ?? '')?.[1]
  if (!opener) return
  const report = (line: number, found: string, why: string) =>
    context.report({file, line, column: firstColumn(lines[line - 1]), rule: 'fences/closing-length', message: `closing fence ${found} ${why} than its opener ${opener} (line ${start}): MkDocs does not end the block here`, hint: `close with exactly ${opener}`})
  const shorter: number[] = []
  for (let line = start + 1; line <= end; line++) {
    const fence = FENCE_ONLY.exec(lines[line - 1] ?? '')?.[1]
    if (!fence || fence[0] !== opener[0] || fence.length === opener.length) continue
    if (fence.length > opener.length) report(line, fence, 'is longer')
    else if (line < end) shorter.push(line)
  }
  // Bare shorter fences in pairs are a nested example (the reason for a longer opener); an odd one out was meant to close.
  if (shorter.length % 2 === 1) {
    const line = shorter[shorter.length - 1]
    report(line, FENCE_ONLY.exec(lines[line - 1])![1], 'is shorter')
  }
}

function content(context: RuleContext, node: Code, file: string, lines: string[], flagged: Set<string>): void {
  const lang = normaliseLang(node.lang)
  const line = node.position!.start.line
  const at = {file, line, column: firstColumn(lines[line - 1])}
  const flag = () => flagged.add(`${file}:${line}`)
  const meaningful = node.value.split('\n').filter((text) => text.trim() && !text.trim().startsWith('#'))
  if (meaningful.length === 0) return
  if (SHELL.has(lang)) {
    const asShell = classifyBlock(lang, node.value)
    if (asShell.kind === 'file-content') {
      flag()
      context.report({...at, rule: 'fences/shell-holds-content', message: `this ${lang} fence holds file content, not commands: the engine would write it to a file, a reader would paste it into a shell`, hint: "label the fence with the file's language (ini, yaml, nginx, json) or text"})
    } else if (!/^\s*\$ /.test(meaningful[0]) && OUTPUT.test(meaningful[0].trim()) && classifyBlock('', node.value).kind === 'context') {
      flag()
      context.report({...at, rule: 'fences/shell-holds-content', message: `this ${lang} fence holds program output, not commands`, hint: 'label output fences text (or console with `$ ` before each command)'})
    }
  }
  if (PLAIN.has(lang) && !/^\s*\$ /m.test(node.value)) {
    const asCommands = classifyBlock('', node.value)
    if ((asCommands.kind === 'exec' || asCommands.kind === 'check') && !OUTPUT.test(meaningful[0].trim())) {
      const message = lang ? `commands in a ${lang} fence: the engine shows them and does not run them` : 'commands in an unlabelled fence: readers and highlighters cannot tell them from output'
      context.report({...at, severity: lang ? 'info' : 'info', rule: 'fences/commands-unlabelled', message, hint: 'label the fence bash (or sh)'})
    }
  }
  if ((SHELL.has(lang) || PLAIN.has(lang) || lang === 'console' || lang === 'shell-session') && /^\s*\$ \S/m.test(node.value)) {
    let continuing = false
    let output = 0
    for (const text of node.value.split('\n')) {
      const prompt = /^\s*\$ /.test(text)
      if (!prompt && !continuing && text.trim() && !text.trim().startsWith('#')) output++
      continuing = (prompt || continuing) && text.trimEnd().endsWith('\\')
    }
    if (output > 0) {
      context.report({...at, rule: 'fences/prompt-mixes-output', message: `this fence mixes \`$ \` commands with ${output} line${output === 1 ? '' : 's'} of their output: the engine runs only the \`$ \` lines, a reader copying the block pastes the output too`, hint: 'put the commands in a bash fence without prompts and the output in a text fence after it'})
    }
  }
}
