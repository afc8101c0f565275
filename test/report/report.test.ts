/**
 * `runbook report` of a real run through the CLI: a secret, a failure, a
 * resume that retries the failed step, and a rollback. The report must hold
 * every step, every attempt and every command exactly as run, the rollback
 * journal, and never the secret, in each of its three formats.
 */
import {mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join, resolve} from 'node:path'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import {runCli, type CliResult} from '../helpers/cli.js'
import {repoRoot} from '../helpers/shared.js'
import type {ReportData} from '../../src/report/collect.js'

const SECRET = 's3cr3t-Tok3n-9f2e'
const page = resolve(repoRoot, 'test/fixtures/runbooks/report-evidence.md')
const temp = mkdtempSync(join(tmpdir(), 'rb-report-'))
const work = join(temp, 'work')
const stateDir = join(temp, 'state')
const env = {RUNBOOK_API_TOKEN: SECRET}
const runFlags = ['--no-tui', '--state-dir', stateDir, '--set', `TEST_DIR=${work}`]
let runId = ''
const steps: Record<string, CliResult> = {}

afterAll(() => rmSync(temp, {recursive: true, force: true}))

beforeAll(() => {
  mkdirSync(work)
  writeFileSync(join(work, 'ready.txt'), 'before\n')
  steps.first = runCli(['run', page, ...runFlags], {env, input: ''})
  runId = readdirSync(join(stateDir, 'runs'))[0]!
  writeFileSync(join(work, 'flag'), '')
  steps.resume = runCli(['run', page, ...runFlags, '--resume'], {env, input: ''})
  steps.rollback = runCli(['rollback', runId, '--yes', '--state-dir', stateDir], {input: ''})
})

const report = (...args: string[]) => runCli(['report', runId, '--state-dir', stateDir, ...args])

/** The commands as the engine ran them: values shell-quoted in, the secret masked. */
const commands = {
  settings: [`echo "token is ***"\necho "api_token=***" > '${work}'/settings.conf\necho ready > '${work}'/ready.txt`],
  flag: [`test -f '${work}'/flag`],
  finish: [`echo finished >> '${work}'/ready.txt`],
}

describe('runbook report of a run with a failure, a retry, a secret and a rollback', () => {
  it('the run failed, resumed and rolled back for real', () => {
    expect([steps.first!.code, steps.resume!.code, steps.rollback!.code]).toEqual([1, 0, 0])
    expect(readFileSync(join(work, 'ready.txt'), 'utf8')).toBe('before\n')
  })

  it('--format json holds every step, attempt and command, and the rollback journal', () => {
    const result = report('--format', 'json')
    expect(result.code).toBe(0)
    const data = JSON.parse(result.stdout) as ReportData
    expect(data.runId).toBe(runId)
    expect(data.status).toBe('rolled-back')
    expect(data.engine).toBe('0.1.0')
    expect(data.pageSha256).toMatch(/^[0-9a-f]{64}$/)
    expect(data.parameters).toEqual([
      {name: 'API_TOKEN', secret: true},
      {name: 'TEST_DIR', secret: false, value: work},
    ])
    const shape = data.steps.map((s) => ({
      id: s.id,
      attempts: s.attempts.map((a) => ({attempt: a.attempt, status: a.status, exitCode: a.exitCode, commands: a.commands.map((c) => [c.command, c.exitCode])})),
    }))
    expect(shape).toEqual([
      {id: 'write-the-settings', attempts: [{attempt: 1, status: 'done', commands: [[commands.settings[0], 0]]}]},
      {
        id: 'wait-for-the-flag',
        attempts: [
          {attempt: 1, status: 'failed', exitCode: 1, commands: [[commands.flag[0], 1]]},
          {attempt: 2, status: 'done', commands: [[commands.flag[0], 0]]},
        ],
      },
      {id: 'finish', attempts: [{attempt: 1, status: 'done', commands: [[commands.finish[0], 0]]}]},
    ])
    expect(data.rollback).toMatchObject({status: 'done', undone: ['finish', 'write-the-settings']})
    const [settings, , finish] = data.steps
    expect(settings!.rollback).toMatchObject({
      wasUndone: true,
      undone: [`restore ${work}/ready.txt`, `remove ${work}/settings.conf (it did not exist before)`],
      notDone: [],
    })
    expect(finish!.rollback!.undone).toEqual([`restore ${work}/ready.txt`])
    expect(settings!.output!.text).toContain('token is ***\n')
  })

  it('no format carries the secret', () => {
    for (const format of ['json', 'html', 'md']) {
      const result = report('--format', format)
      expect(result.code).toBe(0)
      expect(result.stdout).not.toContain(SECRET)
      expect(result.stdout).toContain('***')
    }
  })

  it('--format html is one self-contained page with every step and command', () => {
    const result = report('--format', 'html')
    const page = result.stdout
    expect(page.startsWith('<!doctype html>')).toBe(true)
    // Nothing to fetch: no script, no link, no source or reference attribute at all.
    expect(page).not.toMatch(/<script|<link|<img|<iframe|\ssrc=|\shref=|url\(|@import/i)
    for (const n of [1, 2, 3]) expect(page).toContain(`<section class="step" id="step-${n}">`)
    const escaped = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;')
    for (const command of [...commands.settings, ...commands.flag, ...commands.finish]) expect(page).toContain(`$ ${escaped(command)}`)
    expect(page).toContain('Attempt 2: done')
    expect(page).toContain('<h2>Rollback</h2>')
  })

  it('-o writes the file, its format following the extension', () => {
    const file = join(temp, 'ticket.md')
    const result = report('-o', file)
    expect(result.code).toBe(0)
    expect(result.stdout).toBe(`Report of run ${runId} written to ${file}\n`)
    const text = readFileSync(file, 'utf8')
    expect(text.startsWith('# Run report: Evidence for a change ticket\n')).toBe(true)
    expect(text).toContain('| 2 | Wait for the flag | done | 2 |')
    expect(text).toContain('| 1 | Write the settings | rolled back | 1 |')
  })

  it('bad input: an unknown run and an unknown format exit 2 with one line naming it', () => {
    const unknown = runCli(['report', 'no-such-run', '--state-dir', stateDir])
    expect(unknown.code).toBe(2)
    expect(unknown.stderr).toBe(`runbook: runbook report: no run 'no-such-run' under ${join(stateDir, 'runs')}. 'runbook runs' lists the runs.\n`)
    const format = report('--format', 'pdf')
    expect(format.code).toBe(2)
    expect(format.stderr).toBe('runbook: runbook report --format "pdf": expected one of html, md, json.\n')
  })
})
