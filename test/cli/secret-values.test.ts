/**
 * Secrets through the real CLI: `RUNBOOK_<NAME>` variables are not inherited
 * by the run's shell or any step process, and `--set-file` / `--set NAME=-`
 * give a value that reaches no environment and no command line.
 */
import {describe, it, expect, afterEach} from 'vitest'
import {mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {runCli} from '../helpers/cli.js'
import {repoRoot} from '../helpers/shared.js'

const page = join(repoRoot, 'test/fixtures/runbooks/secret-environ.md')
const SECRET = `s3cr3t-'value' $(x)`
const hex = (s: string) => Buffer.from(s).toString('hex')
const dirs: string[] = []
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, {recursive: true, force: true})
})

function folders() {
  const out = mkdtempSync(join(tmpdir(), 'rb-secret-out-'))
  const state = mkdtempSync(join(tmpdir(), 'rb-secret-state-'))
  dirs.push(out, state)
  return {out, state}
}
const read = (dir: string, name: string) => readFileSync(join(dir, name), 'utf8')

describe('secret values', () => {
  it('RUNBOOK_<NAME> reaches the step by substitution only: no step process or shell inherits it', () => {
    const {out, state} = folders()
    const r = runCli(['run', page, '--no-tui', '--state-dir', state, '--set', `OUT_DIR=${out}`], {
      env: {RUNBOOK_API_TOKEN: SECRET, RUNBOOK_UNUSED_PASSWORD: 'other-secret-1'},
    })
    expect(r.stderr).toBe('')
    expect(r.code).toBe(0)
    expect(read(out, 'value.hex')).toBe(hex(SECRET))
    for (const file of ['self.env', 'shell.env', 'child.env']) {
      const env = read(out, file)
      expect(env).toContain('RUNBOOK_RUN_ID=')
      expect(env.split('\n').filter((line) => /^RUNBOOK_(API_TOKEN|UNUSED_PASSWORD)=/.test(line) || line.includes('s3cr3t') || line.includes('other-secret'))).toEqual([])
    }
  })

  it('--set-file reads the value (one trailing newline dropped); it is in no environ and no argv', () => {
    const {out, state} = folders()
    const file = join(out, 'token.txt')
    writeFileSync(file, `${SECRET}\n`, {mode: 0o600})
    const r = runCli(['run', page, '--no-tui', '--state-dir', state, '--set', `OUT_DIR=${out}`, '--set-file', `API_TOKEN=${file}`])
    expect(r.stderr).toBe('')
    expect(r.code).toBe(0)
    expect(read(out, 'value.hex')).toBe(hex(SECRET))
    for (const file of ['self.env', 'shell.env', 'runner.env', 'child.env', 'runner.cmdline']) expect(read(out, file)).not.toContain('s3cr3t')
    expect(r.stdout).not.toContain('s3cr3t')
  })

  it('--set NAME=- reads the value from standard input', () => {
    const {out, state} = folders()
    const r = runCli(['run', page, '--no-tui', '--state-dir', state, '--set', `OUT_DIR=${out}`, '--set', 'API_TOKEN=-'], {input: `${SECRET}\r\n`})
    expect(r.stderr).toBe('')
    expect(r.code).toBe(0)
    expect(read(out, 'value.hex')).toBe(hex(SECRET))
    for (const file of ['self.env', 'shell.env', 'runner.env', 'runner.cmdline']) expect(read(out, file)).not.toContain('s3cr3t')
  })

  it('refuses two values from stdin and a missing file, naming the flag', () => {
    const two = runCli(['run', page, '--dry-run', '--set', 'OUT_DIR=-', '--set', 'API_TOKEN=-'], {input: 'x'})
    expect(two.code).toBe(2)
    expect(two.stderr).toBe(
      'runbook: --set OUT_DIR=- and --set API_TOKEN=-: standard input can give one value only. Read the others from files with --set-file NAME=PATH.\n',
    )
    const missing = runCli(['run', page, '--dry-run', '--set-file', 'API_TOKEN=/nonexistent/token'])
    expect(missing.code).toBe(2)
    expect(missing.stderr).toBe('runbook: --set-file API_TOKEN=/nonexistent/token: no such file. Give the path of a readable file that holds the value.\n')
  })

  it('run --help says that --set shows in ps and what to use instead', () => {
    const r = runCli(['run', '--help'])
    expect(r.stdout).toContain('A value given with --set is in the command line, which every\n                         user of the machine can read with ps: pass secrets with\n                         --set-file, --set NAME=- or RUNBOOK_<NAME>, or let the run ask.\n')
  })
})
