/**
 * `runbook graph` output: the graph as an indented tree, or as JSON with
 * paths relative to the working directory.
 */
import {relative} from 'node:path'
import type {Action, Graph, SourcePos, Step} from '../graph/types.js'
import {paint, type Palette} from './color.js'
import {append} from '../arrays.js'

export function graphToJson(graph: Graph, cwd = process.cwd()): unknown {
  return JSON.parse(JSON.stringify(graph, (key, value) => (key === 'file' && typeof value === 'string' ? relative(cwd, value) || value : value)))
}

export function renderGraph(graph: Graph, color: boolean, cwd = process.cwd(), notes: Record<string, string[]> = {}): string {
  const c = paint(color)
  const where = (pos: SourcePos) => c.dim(`${relative(cwd, pos.file)}:${pos.line}`)
  const out: string[] = [c.bold(graph.title), c.dim(relative(cwd, graph.file)), '']
  if (graph.procedures.length === 0) out.push('no procedures: the page has no numbered steps and no section with commands')
  for (const procedure of graph.procedures) {
    out.push(`${c.bold(procedure.title)} ${c.dim(`(--procedure ${procedure.id})`)} ${where(procedure.source)}`)
    for (const step of procedure.steps) append(out, renderStep(graph, step, c, where, notes))
    out.push('')
  }
  if (graph.context.length > 0) out.push(c.dim(`${graph.context.length} fenced block(s) outside steps kept as context`))
  if (graph.diagnostics.length > 0) {
    out.push('', c.bold('diagnostics'))
    for (const d of graph.diagnostics) out.push(`  ${d.severity === 'error' ? c.red(d.severity) : c.yellow(d.severity)} ${where(d.source)} ${d.message}`)
  }
  return out.join('\n') + '\n'
}

function renderStep(graph: Graph, step: Step, c: Palette, where: (pos: SourcePos) => string, notes: Record<string, string[]>): string[] {
  const out = [`  ${step.number}. ${step.title} ${c.dim(`[${step.id}]`)} ${where(step.source)}`]
  for (const id of step.groups) {
    const group = graph.groups[id]
    out.push(`     ${c.cyan('tabs')} ${group.id} ${group.dimension}${group.inline ? ' (comment-led, in one block)' : ''}: ${group.labels.map((label) => JSON.stringify(label)).join(', ')}`)
  }
  for (const action of step.actions) {
    out.push(renderAction(action, graph, c, where))
    for (const note of notes[action.id] ?? []) out.push(c.dim(`       ↳ ${note}`))
  }
  if (step.rollback?.length) out.push(`     ${c.cyan('rollback')} declared: ${step.rollback.length} script(s)`)
  return out
}

function renderAction(action: Action, graph: Graph, c: Palette, where: (pos: SourcePos) => string): string {
  const when = action.when.length ? ` ${c.dim('when')} ${action.when.map((cond) => `${cond.group}=${JSON.stringify(cond.label)}`).join(' › ')}` : ''
  const flags = [
    action.role !== 'command' && c.yellow(`${action.role}${action.condition ? ` only if: ${action.condition.text}` : action.roleReason ? `: ${action.roleReason}` : ''}`),
    action.sudo && 'sudo',
    action.interactive && 'interactive',
    action.host.where === 'other' && c.magenta(`other host ("${action.host.reason}")`),
    action.file && `file ${action.file}`,
    action.placeholders.length > 0 && `placeholders ${action.placeholders.map((p) => p.raw + (p.secret ? ' (secret)' : '')).join(' ')}`,
  ].filter(Boolean)
  const first = action.script.split('\n').find((line) => line.trim() && !line.trim().startsWith('#')) ?? action.script.split('\n')[0]
  const preview = first.length > 70 ? first.slice(0, 67) + '...' : first
  return `     ${kindColor(action.kind, c)} ${where(action.source)}${when}${flags.length ? ` [${flags.join(', ')}]` : ''}\n       ${c.dim(preview)}`
}

function kindColor(kind: Action['kind'], c: Palette): string {
  const label = kind.padEnd(12)
  return kind === 'exec' ? c.green(label) : kind === 'check' ? c.blue(label) : kind === 'manual' ? c.yellow(label) : c.cyan(label)
}
