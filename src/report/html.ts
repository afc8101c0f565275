/**
 * The run report as one self-contained HTML file: styles inline, no script,
 * no font, no image, no link out, so it opens offline and as an e-mail
 * attachment. Long outputs fold into `<details>`.
 */
import type {Attempt, ReportData, StepReport} from './collect.js'
import {duration, html, stepDuration} from './text.js'
import {timeline} from './timeline.js'

const STYLE = `
:root{--ok:#1a7f37;--bad:#cf222e;--warn:#9a6700;--dim:#57606a;--line:#d0d7de;--bg:#f6f8fa}
*{box-sizing:border-box}
body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",sans-serif;margin:0 auto;max-width:1100px;padding:24px;color:#1f2328}
h1{font-size:22px;margin:0 0 4px}h2{font-size:17px;margin:28px 0 8px;border-bottom:1px solid var(--line);padding-bottom:4px}
h3{font-size:15px;margin:0}
table{border-collapse:collapse;width:100%}th,td{text-align:left;vertical-align:top;padding:3px 8px;border-bottom:1px solid var(--line)}
th{width:180px;color:var(--dim);font-weight:600}
pre{background:var(--bg);border:1px solid var(--line);border-radius:6px;padding:8px;margin:6px 0;overflow-x:auto;white-space:pre-wrap;word-break:break-all;font:12.5px/1.4 ui-monospace,Menlo,Consolas,monospace}
.badge{display:inline-block;border-radius:10px;padding:0 8px;font-size:12px;font-weight:600;color:#fff;background:var(--dim)}
.s-done{background:var(--ok)}.s-failed,.s-aborted{background:var(--bad)}.s-interrupted,.s-partial,.s-rolled-back{background:var(--warn)}
.step{border:1px solid var(--line);border-radius:8px;padding:10px 14px;margin:10px 0}
.step header{display:flex;gap:10px;align-items:baseline;flex-wrap:wrap}.dim{color:var(--dim)}
.timeline{position:relative;border:1px solid var(--line);border-radius:6px;background:var(--bg);padding:6px 0}
.row{display:grid;grid-template-columns:300px 1fr;gap:8px;height:18px;margin:3px 8px}
.track{position:relative}
.bar{position:absolute;top:0;height:18px;border-radius:3px;background:var(--ok);min-width:2px}
.bar.failed,.bar.interrupted{background:var(--bad)}.bar.skipped{background:var(--dim)}
.lbl{font-size:11px;line-height:18px;white-space:nowrap;overflow:hidden;text-overflow:ellipsis}
ul{margin:4px 0;padding-left:20px}
`

export function renderHtml(data: ReportData): string {
  const out: string[] = []
  out.push('<!doctype html>', '<html lang="en">', '<head>', '<meta charset="utf-8">', '<meta name="viewport" content="width=device-width, initial-scale=1">')
  out.push(`<title>Run report: ${html(data.runbook.title)} (${html(data.runId)})</title>`, `<style>${STYLE}</style>`, '</head>', '<body>')
  out.push(`<h1>${html(data.runbook.title)}</h1>`)
  out.push(`<p><span class="badge s-${html(data.status)}">${html(data.status)}</span> <span class="dim">run ${html(data.runId)}</span></p>`)
  out.push(facts(data))
  out.push(timelineSection(data))
  out.push('<h2>Steps</h2>')
  for (const step of data.steps) out.push(stepSection(step))
  if (data.rollback) out.push(rollbackSection(data))
  if (data.notices.length) out.push('<h2>Notices</h2>', list(data.notices))
  if (data.gaps.length) out.push('<h2>Not in this report</h2>', list(data.gaps))
  out.push(`<p class="dim">Run folder: ${html(data.runDir)}. Secrets are never recorded: their values show as ***.</p>`)
  out.push('</body>', '</html>', '')
  return out.join('\n')
}

function facts(data: ReportData): string {
  const p = data.platform
  const rows: Array<[string, string]> = [
    ['Page', html(data.runbook.file)],
    ['Page sha256', data.pageSha256 ? `<code>${html(data.pageSha256)}</code>` : '<span class="dim">not recorded</span>'],
    ['Commands hash', `<code>${html(data.runbook.hash)}</code> <span class="dim">(what --resume compares)</span>`],
    ['Engine', html(data.engine ? `runbook ${data.engine}` : 'not recorded')],
    ['Platform', html(`${p.prettyName ?? `${p.id} ${p.versionId ?? ''}`.trim()} ${p.arch}`)],
    ['Detected from', html(`${p.source}; CPU from ${p.archSource}`)],
    ['Procedure', html(data.procedure.title)],
    ['Choices', Object.keys(data.choices).length ? html(Object.values(data.choices).join('; ')) : '<span class="dim">none</span>'],
    ['Parameters', data.parameters.length ? html(data.parameters.map((x) => (x.secret ? `${x.name} = *** (secret)` : `${x.name} = ${x.value}`)).join('; ')) : '<span class="dim">none</span>'],
    ['Run by', html(data.operator ? `${data.operator.user} (uid ${data.operator.uid})${data.operator.sudoUser ? ` via sudo from ${data.operator.sudoUser}` : ''} on ${data.operator.host}` : 'not recorded')],
    ['Started', html(data.createdAt)],
    ['Last change', html(data.endedAt ?? data.updatedAt)],
  ]
  return '<h2>Run</h2>\n<table>\n' + rows.map(([k, v]) => `<tr><th>${k}</th><td>${v}</td></tr>`).join('\n') + '\n</table>'
}

function timelineSection(data: ReportData): string {
  const {bars, spanMs} = timeline(data)
  if (bars.length === 0) return '<h2>Timeline</h2>\n<p class="dim">No step ran.</p>'
  const rows = bars.map(
    (b) => `<div class="row" title="${html(`step ${b.step}, attempt ${b.attempt}: ${b.status}, ${duration(b.durationMs)}`)}"><span class="lbl">${b.step}. ${html(b.title)}${b.attempt > 1 ? ` (attempt ${b.attempt})` : ''} · ${html(duration(b.durationMs))}</span><div class="track"><div class="bar ${html(b.status)}" style="left:${b.left.toFixed(2)}%;width:${b.width.toFixed(2)}%"></div></div></div>`,
  )
  return `<h2>Timeline <span class="dim">(${html(duration(spanMs))})</span></h2>\n<div class="timeline">\n${rows.join('\n')}\n</div>`
}

function stepSection(step: StepReport): string {
  const out = [`<section class="step" id="step-${step.number}">`]
  const undone = step.status === 'pending' && step.rollback?.wasUndone
  out.push(`<header><h3>${step.number}. ${html(step.title)}</h3><span class="badge s-${undone ? 'rolled-back' : html(step.status)}">${undone ? 'rolled back' : html(step.status)}</span>`)
  out.push(`<span class="dim">${step.attempts.length} attempt${step.attempts.length === 1 ? '' : 's'} · ${html(duration(stepDuration(step.attempts)))}${step.skipReason ? ` · skipped: ${html(step.skipReason)}` : ''}</span></header>`)
  for (const attempt of step.attempts) out.push(attemptBlock(attempt, step.attempts.length > 1))
  if (step.output) {
    const note = step.output.cut ? `last ${Math.round(step.output.text.length / 1024)} KiB of ${Math.round(step.output.bytes / 1024)} KiB; the whole log: ${step.output.log}` : `log: ${step.output.log}`
    out.push(`<details><summary>Log (${html(note)})</summary><pre>${html(step.output.text)}</pre></details>`)
  }
  if (step.rollback) out.push(rollbackBlock(step.rollback))
  out.push('</section>')
  return out.join('\n')
}

function attemptBlock(a: Attempt, numbered: boolean): string {
  const head = `${numbered ? `Attempt ${a.attempt}: ` : ''}${a.status ?? 'no end recorded'}${a.exitCode !== undefined ? ` (exit ${a.exitCode})` : ''}, ${a.startedAt}${a.durationMs !== undefined ? `, ${duration(a.durationMs)}` : ''}`
  const parts = [`<p class="dim">${html(head)}</p>`]
  for (const c of a.commands) {
    const where = c.host === 'local' ? '' : ` on the ${c.host} host`
    const exit = c.exitCode === undefined ? '' : c.exitCode === 0 ? ' ✓' : ` ✗ exit ${c.exitCode}`
    parts.push(`<pre title="${html(c.kind + where)}">${html(c.kind === 'manual' ? c.command : `$ ${c.command}`)}${html(exit)}</pre>`)
  }
  if (a.error) parts.push(`<p><b>Error:</b> ${html(a.error)}</p>`)
  return parts.join('\n')
}

function rollbackBlock(r: NonNullable<StepReport['rollback']>): string {
  const parts = ['<div class="rollback"><b>Rollback journal</b>']
  if (r.changed.length) parts.push('<div class="dim">Changed:</div>', list(r.changed))
  if (r.snapshotted.length) parts.push('<div class="dim">Snapshotted before the step:</div>', list(r.snapshotted))
  if (r.undone.length) parts.push('<div class="dim">Undone:</div>', list(r.undone))
  if (r.notDone.length) parts.push('<div class="dim">Planned, not done:</div>', list(r.notDone))
  parts.push('</div>')
  return parts.join('\n')
}

function rollbackSection(data: ReportData): string {
  const r = data.rollback!
  const parts = ['<h2>Rollback</h2>', `<p>Status <span class="badge s-${r.status === 'done' ? 'done' : 'failed'}">${html(r.status)}</span> <span class="dim">${html(r.updatedAt)}</span></p>`]
  const titles = new Map(data.steps.map((s) => [s.id, `${s.number}. ${s.title}`]))
  parts.push(r.undone.length ? list(r.undone.map((id) => `undone: ${titles.get(id) ?? id}`)) : '<p class="dim">No step undone.</p>')
  if (r.blocked) parts.push(`<p>Stopped before step ${r.blocked.number}. ${html(r.blocked.title)}; to undo by hand:</p>`, list(r.blocked.manual))
  return parts.join('\n')
}

function list(items: string[]): string {
  return '<ul>' + items.map((i) => `<li>${html(i)}</li>`).join('') + '</ul>'
}
