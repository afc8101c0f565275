/**
 * SARIF 2.1.0 for code-scanning UIs: one run, the rule catalogue as the
 * driver's rules, one result per finding with its region; the fix hint goes in
 * the message (SARIF `fixes` need replacement text we do not have). Paths are
 * relative URIs against %SRCROOT% (the working folder), as GitHub expects.
 */
import {relative, sep} from 'node:path'
import type {LintResult} from '../index.js'
import {RULES, ruleInfo} from '../catalog.js'
import type {Severity} from '../types.js'

const LEVEL: Record<Severity, 'error' | 'warning' | 'note'> = {error: 'error', warning: 'warning', info: 'note'}

function uri(file: string, cwd: string): string {
  const path = relative(cwd, file) || file
  return path.split(sep).map(encodeURIComponent).join('/')
}

export function renderSarif(result: LintResult, version: string, cwd = process.cwd()): string {
  const ids = [...new Set([...RULES.keys(), ...result.findings.map((finding) => finding.rule)])]
  const index = new Map(ids.map((id, at) => [id, at]))
  const log = {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'runbook',
            version,
            informationUri: 'https://github.com/runbook/runbook',
            rules: ids.map((id) => {
              const info = ruleInfo(id)
              return {id, name: id.replace(/[/-](\w)/g, (_, char: string) => char.toUpperCase()), shortDescription: {text: info.description}, defaultConfiguration: {level: LEVEL[info.severity]}}
            }),
          },
        },
        invocations: [
          {
            executionSuccessful: true,
            toolExecutionNotifications: result.skipped.map((skip) => ({level: 'warning', message: {text: `${skip.rule} skipped: ${skip.reason}`}})),
          },
        ],
        originalUriBaseIds: {'%SRCROOT%': {uri: pathToUri(cwd)}},
        results: result.findings.map((finding) => ({
          ruleId: finding.rule,
          ruleIndex: index.get(finding.rule),
          level: LEVEL[finding.severity],
          message: {text: `${finding.message.replace(/\.$/, '')}. Fix: ${finding.hint}`},
          locations: [
            {
              physicalLocation: {
                artifactLocation: {uri: uri(finding.file, cwd), uriBaseId: '%SRCROOT%'},
                region: {startLine: finding.line, startColumn: finding.column},
              },
            },
          ],
        })),
      },
    ],
  }
  return JSON.stringify(log, null, 2) + '\n'
}

function pathToUri(dir: string): string {
  const path = dir.split(sep).map(encodeURIComponent).join('/')
  return `file://${path.startsWith('/') ? '' : '/'}${path}${path.endsWith('/') ? '' : '/'}`
}
