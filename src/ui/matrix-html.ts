/**
 * `runbook plan --matrix --format html`: the platform × step table as one
 * self-contained page a reviewer can scan. Holes (a platform with a tab in
 * some steps and none in this one) and ambiguous picks are highlighted.
 */
import type {Matrix} from '../resolve/matrix.js'
import {html as escape} from './escape.js'

const STYLE = `body{font:14px/1.4 system-ui,sans-serif;margin:24px;color:#1f2328}
table{border-collapse:collapse;margin:8px 0 24px}th,td{border:1px solid #d0d7de;padding:4px 8px;text-align:left;vertical-align:top}
th{background:#f6f8fa}td.none{color:#8c959f}td.hole{background:#ffebe9;color:#cf222e;font-weight:600}
td.unsupported{background:#f6f8fa;color:#cf222e}td.ambiguous{background:#fff8c5;color:#9a6700;font-weight:600}
tr.has-holes th{color:#cf222e}.legend span{display:inline-block;padding:0 6px;margin-right:8px;border:1px solid #d0d7de}`

function cellClass(cell: string, holeRow: boolean): string {
  if (cell === '-') return 'none'
  if (cell.includes('ambiguous')) return 'ambiguous'
  if (cell.includes('✗')) return holeRow ? 'hole' : 'unsupported'
  return 'ok'
}

export function renderMatrixHtml(title: string, matrices: Matrix[]): string {
  const out = ['<!doctype html>', '<html lang="en">', '<head>', '<meta charset="utf-8">', `<title>${escape(title)}: platforms × steps</title>`, `<style>${STYLE}</style>`, '</head>', '<body>']
  out.push(`<h1>${escape(title)}</h1>`)
  out.push('<p class="legend"><span>tab picked</span><span style="color:#8c959f">- no platform tabs</span><span style="background:#ffebe9;color:#cf222e">hole</span><span style="background:#fff8c5">ambiguous</span><span style="color:#cf222e">✗ platform not supported in any step</span></p>')
  for (const matrix of matrices) {
    out.push(`<h2>${escape(matrix.procedure.title)} <small>(--procedure ${escape(matrix.procedure.id)})</small></h2>`, '<table>')
    out.push('<tr><th>platform</th>' + matrix.steps.map((s) => `<th title="${escape(s.title)}">${s.number}. ${escape(s.title)}</th>`).join('') + '</tr>')
    for (const row of matrix.rows) {
      const holeRow = row.holes.length > 0
      out.push(`<tr${holeRow ? ' class="has-holes"' : ''}><th>${escape(row.platform)}</th>` + row.cells.map((cell) => `<td class="${cellClass(cell, holeRow)}">${escape(cell)}</td>`).join('') + '</tr>')
    }
    out.push('</table>')
    const holes = matrix.rows.filter((r) => r.holes.length > 0)
    out.push(holes.length === 0 ? '<p>No holes.</p>' : '<ul>' + holes.map((r) => `<li><b>${escape(r.platform)}</b>: a tab in some steps, none in ${escape(r.holes.join(', '))}</li>`).join('') + '</ul>')
  }
  out.push('</body>', '</html>', '')
  return out.join('\n')
}
