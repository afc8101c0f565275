/**
 * A hostile page through every command that prints: control characters in the
 * title, a heading, a tab label, the code, and in what a step prints reach the
 * terminal only as visible text (`^[`, `^G`, `M-^[`), never as raw bytes.
 */
import {describe, it, expect, beforeAll, afterAll} from 'vitest'
import {mkdtempSync, readdirSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {runCli} from '../helpers/cli.js'
import {visible, terminalSafeJson} from '../../src/ui/sanitize.js'

const ESC = '\x1b'
const BEL = '\x07'
const CSI1 = '\u009b'
// Raw C0 (but \t and \n), DEL and C1: none may reach the terminal.
const RAW_CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/

let dir: string
let page: string
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'rb-escapes-'))
  page = join(dir, 'hostile.md')
  writeFileSync(
    page,
    [
      `# Install ${ESC}]0;pwned${BEL}guide`,
      '',
      '## Install',
      '',
      `### Step 1: Add ${ESC}[2K${ESC}[1Gthe repo`,
      '',
      `=== "Debian ${CSI1}31m 12"`,
      '',
      '    ```bash',
      `    echo "tab${ESC}[8m"`,
      '    ```',
      '',
      '=== "Ubuntu 22.04"',
      '',
      '    ```bash',
      '    echo ubuntu',
      '    ```',
      '',
      '### Step 2: Print',
      '',
      '```bash',
      `echo "kept${ESC}[2K${ESC}[1Ghidden"`,
      String.raw`printf 'out\033[2K\033[1Gput\n'; printf '\033]52;c;cHduZWQ=\007\n'; printf '\302\233 31m\n'`,
      '```',
      '',
    ].join('\n'),
  )
})
afterAll(() => rmSync(dir, {recursive: true, force: true}))

describe('visible()', () => {
  it('shows controls as cat -v does, keeps newline and tab', () => {
    expect(visible(`a${ESC}[2K${ESC}[1Gb\t\n${BEL}\r\x7f${CSI1}\u009d\u202e`)).toBe('a^[[2K^[[1Gb\t\n^G^M^?M-^[M-^]<U+202E>')
    expect(terminalSafeJson(JSON.stringify(`x${CSI1}\u202e${ESC}`))).toBe('"x\\u009b\\u202e\\u001b"')
  })
})

describe('a hostile page through each command', () => {
  it('graph', () => {
    const r = runCli(['graph', 'hostile.md'], {cwd: dir})
    expect(r.code).toBe(0)
    expect(r.stdout).not.toMatch(RAW_CONTROL)
    expect(r.stdout.split('\n').slice(0, 1)).toEqual(['Install ^[]0;pwned^Gguide'])
    expect(r.stdout).toContain('  1. Add ^[[2K^[[1Gthe repo [add-2k-1gthe-repo] hostile.md:5\n')
    expect(r.stdout).toContain('"Debian M-^[31m 12"')
  })

  it('graph --json and dry-run --json: escaped, no raw control', () => {
    for (const args of [['graph', 'hostile.md', '--json'], ['run', 'hostile.md', '--dry-run', '--json', '--os', 'ubuntu:22.04']]) {
      const r = runCli(args, {cwd: dir})
      expect(r.code).toBe(0)
      expect(r.stdout).not.toMatch(RAW_CONTROL)
      expect(r.stdout).toContain('\\u001b]0;pwned\\u0007guide')
    }
  })

  it('run --dry-run', () => {
    const r = runCli(['run', 'hostile.md', '--dry-run', '--os', 'debian:12'], {cwd: dir})
    expect(r.stderr).toBe('')
    expect(r.stdout).not.toMatch(RAW_CONTROL)
    expect(r.stdout.split('\n')[0]).toBe('Install ^[]0;pwned^Gguide — dry run: nothing is executed')
    expect(r.stdout).toContain('    $ echo "kept^[[2K^[[1Ghidden"\n')
  })

  it('plan --matrix', () => {
    const r = runCli(['plan', 'hostile.md', '--matrix'], {cwd: dir})
    expect(r.code).toBe(0)
    expect(r.stdout).not.toMatch(RAW_CONTROL)
    expect(r.stdout).toContain('M-^[31m')
  })

  it('a plain run, runbook log and runbook runs', () => {
    const state = join(dir, 'state')
    const run = runCli(['run', 'hostile.md', '--no-tui', '--os', 'ubuntu:22.04', '--state-dir', state], {cwd: dir})
    expect(run.stderr).toBe('')
    expect(run.code).toBe(0)
    expect(run.stdout).not.toMatch(RAW_CONTROL)
    expect(run.stdout).toContain('  | kept^[[2K^[[1Ghidden\n  | out^[[2K^[[1Gput\n  | ^[]52;c;cHduZWQ=^G\n  | M-^[ 31m\n')
    const id = readdirSync(join(state, 'runs'))[0]!
    const log = runCli(['log', id, '--state-dir', state], {cwd: dir})
    expect(log.code).toBe(0)
    expect(log.stdout).not.toMatch(RAW_CONTROL)
    expect(log.stdout).toContain('out^[[2K^[[1Gput\n^[]52;c;cHduZWQ=^G\nM-^[ 31m\n')
    const runs = runCli(['runs', '--state-dir', state], {cwd: dir})
    expect(runs.stdout).not.toMatch(RAW_CONTROL)
    expect(runs.stdout).toContain('Install ^[]0;pwned^Gguide')
  })

  it('an error quoting page text', () => {
    const r = runCli(['run', 'hostile.md', '--dry-run', '--os', 'fedora:40'], {cwd: dir})
    expect(r.code).toBe(2)
    expect(r.stderr).not.toMatch(RAW_CONTROL)
    expect(r.stderr).toContain('M-^[31m')
  })
})
