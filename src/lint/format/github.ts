/**
 * GitHub Actions workflow commands (`::error file=…,line=…,col=…,title=…::message`),
 * one per finding; values escaped as the runner expects, so page text cannot
 * end the command early or start another.
 */
import {relative} from 'node:path'
import type {LintResult} from '../index.js'
import type {Severity} from '../types.js'
import {visible} from './visible.js'

const COMMAND: Record<Severity, string> = {error: 'error', warning: 'warning', info: 'notice'}

function data(text: string): string {
  return visible(text.replace(/%/g, '%25'))
}

function property(text: string): string {
  return data(text).replace(/:/g, '%3A').replace(/,/g, '%2C')
}

export function renderGithub(result: LintResult, cwd = process.cwd()): string {
  const lines = result.findings.map((finding) => {
    const file = relative(cwd, finding.file) || finding.file
    return `::${COMMAND[finding.severity]} file=${property(file)},line=${finding.line},col=${finding.column},title=${property(finding.rule)}::${data(`${finding.message.replace(/\.$/, '')}. Fix: ${finding.hint}`)}`
  })
  for (const skip of result.skipped) lines.push(`::warning title=${property(skip.rule + ' skipped')}::${data(skip.reason)}`)
  return lines.length > 0 ? lines.join('\n') + '\n' : ''
}
