/**
 * The run report in Markdown, for pasting into a change ticket: the facts, a
 * table of steps, then each step's commands. Outputs are left to the log
 * paths (a ticket is no place for a megabyte of apt output); the failed
 * attempt's error is kept.
 */
import type {ReportData} from './collect.js'
import {duration, stepDuration, visible} from './text.js'

/** A fence longer than any run of backticks in the text, so no command can close it. */
function fence(text: string): string {
  const longest = Math.max(2, ...[...text.matchAll(/`+/g)].map((m) => m[0].length))
  const ticks = '`'.repeat(longest + 1)
  return `${ticks}\n${text}\n${ticks}`
}

/** One table cell: no pipe or newline may break the row. */
function cell(text: string): string {
  return visible(text).replace(/\\/g, '\\\\').replace(/\|/g, '\\|').replace(/\r?\n/g, ' ')
}

export function renderMarkdown(data: ReportData): string {
  const p = data.platform
  const out = [`# Run report: ${cell(data.runbook.title)}`, '']
  out.push(`- **Run:** \`${data.runId}\`, **${data.status}**`)
  out.push(`- **Page:** ${cell(data.runbook.file)} (${data.pageSha256 ? `sha256 \`${data.pageSha256}\`, ` : ''}commands hash \`${data.runbook.hash}\`)`)
  out.push(`- **Engine:** ${data.engine ? `runbook ${data.engine}` : 'not recorded'}`)
  out.push(`- **Platform:** ${cell(`${p.prettyName ?? p.id} ${p.arch}`)} (from ${cell(p.source)}; CPU from ${cell(p.archSource)})`)
  out.push(`- **Procedure:** ${cell(data.procedure.title)}`)
  if (Object.keys(data.choices).length) out.push(`- **Choices:** ${cell(Object.values(data.choices).join('; '))}`)
  if (data.parameters.length) out.push(`- **Parameters:** ${cell(data.parameters.map((x) => (x.secret ? `${x.name} = *** (secret)` : `${x.name} = ${x.value}`)).join('; '))}`)
  if (data.operator) out.push(`- **Run by:** ${cell(`${data.operator.user} (uid ${data.operator.uid})${data.operator.sudoUser ? ` via sudo from ${data.operator.sudoUser}` : ''} on ${data.operator.host}`)}`)
  out.push(`- **Started:** ${data.createdAt}; **last change:** ${data.endedAt ?? data.updatedAt}`, '')
  out.push('| # | step | status | attempts | time |', '|---|---|---|---|---|')
  for (const s of data.steps) {
    const status = s.status === 'pending' && s.rollback?.wasUndone ? 'rolled back' : s.status
    out.push(`| ${s.number} | ${cell(s.title)} | ${cell(status)} | ${s.attempts.length} | ${duration(stepDuration(s.attempts))} |`)
  }
  out.push('')
  for (const s of data.steps) {
    if (s.attempts.length === 0 && !s.rollback) continue
    out.push(`## ${s.number}. ${cell(s.title)}`, '')
    for (const a of s.attempts) {
      out.push(`Attempt ${a.attempt}: ${a.status ?? 'no end recorded'}${a.exitCode !== undefined ? ` (exit ${a.exitCode})` : ''}, ${a.startedAt}, ${duration(a.durationMs)}`, '')
      const commands = a.commands.map((c) => visible(c.kind === 'manual' ? `# by hand: ${c.command}` : c.command) + (c.host === 'local' ? '' : `   # on the ${c.host} host`))
      if (commands.length) out.push(fence(commands.join('\n')), '')
      if (a.error) out.push(`Error: ${cell(a.error)}`, '')
    }
    if (s.output) out.push(`Log: \`${s.output.log}\``, '')
    if (s.rollback?.undone.length) out.push('Undone by rollback:', ...s.rollback.undone.map((u) => `- ${cell(u)}`), '')
    if (s.rollback?.notDone.length) out.push('Rollback planned, not done:', ...s.rollback.notDone.map((u) => `- ${cell(u)}`), '')
  }
  if (data.rollback) {
    out.push('## Rollback', '', `Status: ${data.rollback.status} (${data.rollback.updatedAt}); steps undone: ${data.rollback.undone.length}.`, '')
    if (data.rollback.blocked) out.push(`Stopped before step ${data.rollback.blocked.number} (${cell(data.rollback.blocked.title)}); to undo by hand:`, ...data.rollback.blocked.manual.map((m) => `- ${cell(m)}`), '')
  }
  if (data.gaps.length) out.push('## Not in this report', '', ...data.gaps.map((g) => `- ${cell(g)}`), '')
  return out.join('\n')
}
