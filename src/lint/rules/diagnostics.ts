/**
 * What the parser and the graph builder already noticed, as lint findings.
 * Each engine message family maps to a rule; messages not known here are
 * still reported (engine/diagnostic), never dropped.
 */
import type {Diagnostic} from '../../graph/types.js'
import {firstColumn} from '../source.js'
import type {RuleContext} from '../types.js'

interface Mapping {
  test: RegExp
  rule: string
  severity?: Diagnostic['severity']
  hint: string
}

const MAPPINGS: Mapping[] = [
  {test: /^code fence .* (never closed|not closed before its block ends)/, rule: 'fences/unclosed', severity: 'error', hint: 'close the fence with the same marker as its opener, at the indent of the block it sits in'},
  {test: /^include ".*": (not found|could not be read)/, rule: 'includes/missing', severity: 'error', hint: 'fix the path (it resolves from the snippet base paths of mkdocs*.yml), or add the file'},
  {test: /^include ".*": include cycle/, rule: 'includes/missing', severity: 'error', hint: 'an included file includes itself through the chain shown: break the cycle'},
  {test: /^include ".*": (remote snippets|includes nest)/, rule: 'includes/missing', severity: 'warning', hint: 'copy the text into a local snippet file'},
  {test: /^include ".*": .*(outside|base[ _]path|stay inside|absolute path)/i, rule: 'includes/outside-base', severity: 'error', hint: 'move the file under a snippet base path, or add its folder to pymdownx.snippets base_path'},
  {test: /^include ".*": /, rule: 'includes/missing', severity: 'error', hint: 'point the include at a regular, readable file under a snippet base path'},
  {test: /renders? this .*tab|tab group .*(indent|as text)/i, rule: 'tabs/indent', severity: 'error', hint: 'indent the tab group (and its body by 4 more) at a multiple of 4 spaces'},
  {test: /^tab ".*" has no indented body|^admonition ".*" has no indented body/, rule: 'tabs/empty', hint: 'indent the body 4 spaces under the tab or admonition line'},
  {test: /--8<--.*(as text|trailing)/i, rule: 'includes/trailing-text', severity: 'error', hint: 'put nothing after the quoted path on a --8<-- line'},
  {test: /closing fence|fence .*(longer|shorter)/i, rule: 'fences/closing-length', severity: 'error', hint: 'close the fence with exactly the marker that opened it'},
  {test: /fence/i, rule: 'fences/unclosed', hint: 'write the fence as MkDocs reads it'},
]

export function engineDiagnostics(context: RuleContext): void {
  for (const diagnostic of context.page.graph.diagnostics) {
    const mapping = MAPPINGS.find((candidate) => candidate.test.test(diagnostic.message))
    const {file, line} = diagnostic.source
    context.report({
      file,
      line,
      column: firstColumn(context.source.lines(file)[line - 1]),
      rule: mapping?.rule ?? 'engine/diagnostic',
      severity: mapping?.severity ?? diagnostic.severity,
      message: diagnostic.message,
      hint: mapping?.hint ?? 'see the message; `runbook graph` shows how the engine read the page',
    })
  }
}
