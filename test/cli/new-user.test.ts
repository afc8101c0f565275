/**
 * What a new user hit on the command line: help for a command, the version,
 * a runbook named with .md, plan without --matrix, --choose that names no
 * tab or several, and a resume command that works from any folder.
 */
import {describe, expect, it} from 'vitest'
import {copyFileSync, mkdirSync, readdirSync, readFileSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {runCli} from '../helpers/cli.js'
import {repoRoot} from '../helpers/shared.js'
import {tempDir} from '../execute/helpers.js'

const version = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')).version

describe('the command line a new user meets', () => {
  it('help COMMAND prints that command’s help, for every command', () => {
    for (const command of ['run', 'resume', 'runs', 'log', 'rollback', 'plan', 'graph', 'list']) {
      const own = runCli([command, '--help'])
      const viaHelp = runCli(['help', command])
      expect({command, code: viaHelp.code, stdout: viaHelp.stdout}).toEqual({command, code: 0, stdout: own.stdout})
      expect(own.stdout.startsWith(`usage: runbook ${command}`)).toBe(true)
    }
  })

  it('-V, --version and version print the version', () => {
    for (const flag of ['-V', '--version', 'version']) expect(runCli([flag])).toEqual({code: 0, stdout: `${version}\n`, stderr: ''})
  })

  it('a runbook named with .md is found in runbooks/ from any folder; a file of that name in the folder wins', () => {
    const cwd = tempDir('rb-name-')
    const named = runCli(['run', 'tarantool.md', '--dry-run', '--os', 'debian:12'], {cwd})
    expect(named.code).toBe(0)
    expect(named.stdout).toBe(runCli(['run', 'tarantool', '--dry-run', '--os', 'debian:12'], {cwd}).stdout)
    copyFileSync(join(repoRoot, 'test/fixtures/runbooks/demo.md'), join(cwd, 'tarantool.md'))
    expect(runCli(['run', 'tarantool.md', '--dry-run', '--os', 'debian:12'], {cwd}).stdout).toContain('Demo: install a service')
  })

  it('plan without --matrix prints the matrix', () => {
    const plain = runCli(['plan', 'tarantool'])
    expect(plain.code).toBe(0)
    expect(plain.stdout).toBe(runCli(['plan', 'tarantool', '--matrix']).stdout)
    expect(plain.stdout.length).toBeGreaterThan(100)
  })

  it('--choose that names no tab, or only ever several, is exit 2 naming the tabs', () => {
    const none = runCli(['run', 'separate-postanalytics', '--dry-run', '--choose', 'zzz'])
    expect(none.code).toBe(2)
    expect(none.stderr).toMatch(/^runbook: --choose "zzz" names no tab of runbooks\/separate-postanalytics\.md\. The tabs are "x86_64 version", .*"API token", "Node token", .*"Debian 11\.x \(bullseye\)".*\.\n$/)
    const several = runCli(['run', 'separate-postanalytics', '--dry-run', '--choose', 'token'])
    expect(several.code).toBe(2)
    expect(several.stderr).toMatch(/^runbook: --choose "token" names several tabs of one group \(runbooks\/separate-postanalytics\.md:\d+\) and no single one: "API token", "Node token"\. Give the whole label of one of them\.\n$/)
    // A value naming one tab in some group is taken, even if it is part of several labels elsewhere.
    expect(runCli(['run', 'separate-postanalytics', '--dry-run', '--choose', 'API token']).code).toBe(0)
  })

  it('the resume command printed after a failure names the page and folders absolutely, and works from another folder', () => {
    const base = tempDir('rb-resume-')
    const pageDir = join(base, 'docs')
    mkdirSync(pageDir)
    writeFileSync(join(pageDir, 'p.md'), '# P\n\n## Install\n\n### Step 1: Needs a file\n\n```bash\ntest -f ../../marker\necho found\n```\n')
    const failed = runCli(['run', 'docs/p.md', '--no-tui', '--state-dir', 'state'], {cwd: base})
    expect(failed.code).toBe(1)
    const resume = failed.stdout.split('\n').find((l) => l.startsWith('Resume with: '))
    expect(resume).toBe(`Resume with: runbook run ${join(pageDir, 'p.md')} --resume --state-dir ${join(base, 'state')}`)
    const [id] = readdirSync(join(base, 'state', 'runs'))
    expect(JSON.parse(readFileSync(join(base, 'state', 'runs', id!, 'state.json'), 'utf8')).target).toBe(join(pageDir, 'p.md'))
    // Steps run in the run's work/ folder, so ../../marker is state/runs/marker: make it, then resume from elsewhere.
    writeFileSync(join(base, 'state', 'runs', 'marker'), '')
    const args = resume!.slice('Resume with: runbook '.length).split(' ')
    const resumed = runCli([...args, '--no-tui'], {cwd: tempDir('rb-elsewhere-')})
    expect(resumed.stderr).toBe('')
    expect(resumed.code).toBe(0)
  })
})
