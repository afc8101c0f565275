/**
 * `runbook lint` as a docs team's CI runs it: exit codes by --fail-on, the
 * four output formats (SARIF validated against the official 2.1.0 schema),
 * page text never reaching the terminal as control sequences, bad usage.
 */
import {mkdtempSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join, resolve} from 'node:path'
import {afterAll, describe, expect, it} from 'vitest'
import {runCli} from '../helpers/cli.js'
import {validateSarif} from '../helpers/sarif.js'
import {repoRoot} from '../helpers/shared.js'

const fixture = (name: string) => `test/fixtures/lint/${name}`
const temp = mkdtempSync(join(tmpdir(), 'runbook-lint-cli-'))
afterAll(() => rmSync(temp, {recursive: true, force: true}))

describe('runbook lint (CLI)', () => {
  it('exits 1 on an error, 0 below --fail-on, 1 again when --fail-on takes warnings in, 0 with --fail-on none', () => {
    expect(runCli(['lint', fixture('placeholders.en.md'), '--no-shellcheck']).code).toBe(0)
    expect(runCli(['lint', fixture('placeholders.en.md'), '--no-shellcheck', '--fail-on', 'warning']).code).toBe(1)
    expect(runCli(['lint', fixture('coverage.en.md'), '--no-shellcheck']).code).toBe(1)
    expect(runCli(['lint', fixture('coverage.en.md'), '--no-shellcheck', '--fail-on', 'none']).code).toBe(0)
    expect(runCli(['lint', fixture('clean.en.md'), '--no-shellcheck', '--fail-on', 'info']).code).toBe(0)
  })

  it('prints findings grouped by file, with the fix, and says what was skipped', () => {
    const result = runCli(['lint', fixture('coverage.en.md'), fixture('coverage.pt-BR.md'), '--no-shellcheck'])
    expect(result.stdout).toBe(
      [
        'test/fixtures/lint/coverage.en.md',
        '  16:1     error   step 2 "Install the package": no tab for ubuntu:22.04 (covered by other steps of this procedure)  coverage/missing-platform',
        '                   fix: add a tab for it, widen a label (e.g. "Debian 11.x, 12.x"), or say in the step why it does not apply',
        '',
        'test/fixtures/lint/coverage.pt-BR.md',
        '  16:1     error   step 2 "Instale o pacote": no tab for ubuntu:22.04 (covered by other steps of this procedure)  coverage/missing-platform',
        '                   fix: add a tab for it, widen a label (e.g. "Debian 11.x, 12.x"), or say in the step why it does not apply',
        '',
        'skipped shell/shellcheck: turned off with --no-shellcheck',
        '',
        '2 pages checked: 2 error(s), 0 warning(s), 0 info in 2 file(s)',
        '',
      ].join('\n'),
    )
  })

  it('--json gives the findings, the counts and the skipped rules', () => {
    const result = runCli(['lint', fixture('shell.en.md'), '--no-shellcheck', '--json'])
    const report = JSON.parse(result.stdout)
    expect(report.pages).toBe(1)
    expect(report.summary).toEqual({error: 0, warning: 2, info: 1})
    expect(report.skipped).toEqual([{rule: 'shell/shellcheck', reason: 'turned off with --no-shellcheck'}])
    expect(report.findings[1]).toEqual({file: 'test/fixtures/lint/shell.en.md', line: 9, column: 6, rule: 'shell/apt-in-script', severity: 'warning', message: '`apt install` in a script: apt warns that its command line is not stable and may prompt', hint: 'use `apt-get install`'})
  })

  it('--format sarif is valid SARIF 2.1.0 with one result per finding and its region', () => {
    const result = runCli(['lint', fixture('tabs.en.md'), fixture('site'), '--no-shellcheck', '--format', 'sarif'])
    expect(validateSarif(result.stdout)).toEqual([])
    const log = JSON.parse(result.stdout)
    expect(log.version).toBe('2.1.0')
    const results = log.runs[0].results
    expect(results.length).toBe(12)
    expect(results[0].locations[0].physicalLocation).toEqual({artifactLocation: {uri: 'test/fixtures/lint/site/docs/install.en.md', uriBaseId: '%SRCROOT%'}, region: {startLine: 7, startColumn: 1}})
    expect(log.runs[0].tool.driver.rules[results[0].ruleIndex].id).toBe(results[0].ruleId)
    expect(results.map((r: {level: string}) => r.level)).toContain('warning')
    expect(log.runs[0].invocations[0].toolExecutionNotifications[0].message.text).toBe('shell/shellcheck skipped: turned off with --no-shellcheck')
    // The validator does refuse what the schema forbids.
    const broken = structuredClone(log)
    broken.runs[0].results[0].level = 'info'
    delete broken.runs[0].tool.driver.name
    expect(validateSarif(JSON.stringify(broken)).length).toBeGreaterThan(1)
  })

  it('--format github writes one workflow command per finding, with page text escaped', () => {
    const result = runCli(['lint', fixture('site/docs/install.en.md'), '--no-shellcheck', '--format', 'github'])
    const lines = result.stdout.trimEnd().split('\n')
    expect(lines[0]).toBe('::error file=test/fixtures/lint/site/docs/install.en.md,line=7,col=1,title=includes/missing::include "missing.md": not found (looked in test/fixtures/lint/site/docs, test/fixtures/lint/site/snippets); add the folder it is relative to with --include-path DIR. Fix: fix the path (it resolves from the snippet base paths of mkdocs*.yml), or add the file')
    expect(lines.length).toBe(4)
    expect(lines[3]).toBe('::warning title=shell/shellcheck skipped::turned off with --no-shellcheck')
  })

  it('shows control characters and bidi overrides from a page as visible text in every format', () => {
    const page = join(temp, 'evil.md')
    writeFileSync(page, '# Evil\n\n## Step 1: Install\n\n=== "Debian\u001b[2J 11\u202e"\n    ```bash\n    echo hi\n    ```\n=== "Docker"\n    ```bash\n    echo hi\n    ```\n')
    for (const format of ['text', 'github']) {
      const result = runCli(['lint', page, '--no-shellcheck', '--format', format, '--fail-on', 'none'], {env: {FORCE_COLOR: format === 'text' ? '1' : '0', NO_COLOR: ''}})
      expect(result.stdout).toContain('Debian^[[2J 11<U+202E>')
      expect(result.stdout.replace(/\u001b\[\d+m/g, '')).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u202e]/)
    }
  })

  it('bad usage exits 2 with a message that names the flag or the path', () => {
    const none = runCli(['lint'])
    expect(none.code).toBe(2)
    expect(none.stderr).toContain('runbook lint needs at least one page or folder')
    const format = runCli(['lint', fixture('clean.en.md'), '--format', 'xml'])
    expect([format.code, format.stderr.trim()]).toEqual([2, 'runbook: --format "xml": use one of text, json, sarif, github.'])
    const failOn = runCli(['lint', fixture('clean.en.md'), '--fail-on', 'fatal'])
    expect([failOn.code, failOn.stderr.trim()]).toEqual([2, 'runbook: --fail-on "fatal": use error, warning, info or none.'])
    const missing = runCli(['lint', 'no/such/folder'])
    expect([missing.code, missing.stderr.trim()]).toEqual([2, 'runbook: no/such/folder: no such file or folder. Give markdown pages or folders that hold them.'])
    const platforms = runCli(['lint', fixture('clean.en.md'), '--platforms', 'debian:11,windows xp'])
    expect(platforms.code).toBe(2)
    expect(platforms.stderr).toContain('--platforms')
  })

  it('skips shellcheck visibly when the program is absent', () => {
    const result = runCli(['lint', fixture('clean.en.md')], {env: {PATH: resolve(repoRoot, 'node_modules/.bin')}})
    expect(result.code).toBe(0)
    expect(result.stdout).toContain('skipped shell/shellcheck: shellcheck is not installed (Debian/Ubuntu: apt-get install shellcheck); its findings are missing from this report')
  })
})
