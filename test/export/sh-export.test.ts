/**
 * `runbook export --to sh`: the script runs exactly the commands of the
 * engine's plan. Both are run by bash with every program replaced by a stub
 * (an empty PATH and a `command_not_found_handle` that only reads its input) and
 * traced with `set -x`: the traces (each command with its arguments after
 * expansion) must be the same, for values full of quotes, `$( )`, backticks
 * and newlines. Also: same bytes twice, `--from`, and a missing value.
 * (bash gets stdin from /dev/null: on a socket it would read ~/.bashrc
 * instead of BASH_ENV, taking it for an rsh session.)
 */
import {spawnSync} from 'node:child_process'
import {createHash} from 'node:crypto'
import {mkdirSync, readFileSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {afterAll, describe, expect, it} from 'vitest'
import {loadPlan} from '../../src/cli/pipeline.js'
import {placeholdersFor} from '../../src/execute/actions.js'
import {substitute} from '../../src/resolve/substitute.js'
import {exportHeader} from '../../src/export/header.js'
import {shScript} from '../../src/export/sh.js'
import {runCli} from '../helpers/cli.js'
import {repoRoot} from '../helpers/shared.js'
import {cleanTemps, tempDir} from './helpers.js'

afterAll(cleanTemps)

const SHELL_LANGS = new Set(['bash', 'sh', 'shell', 'console', ''])
const NASTY = `a'b"c $(touch /tmp/runbook-pwned) \`id\` ;rm -rf / \\ end\nsecond line`

interface Sandbox {
  dir: string
  work: string
  env: NodeJS.ProcessEnv
}

function sandbox(): Sandbox {
  const dir = tempDir('rb-sh-')
  const work = join(dir, 'work')
  mkdirSync(work)
  mkdirSync(join(dir, 'empty-path'))
  // A stub reads its input as the program would (untraced, its stderr is /dev/null): one that did not
  // could exit before the command writing into its pipe, which then died of SIGPIPE (exit 141), now and then.
  writeFileSync(join(dir, 'stubs.bash'), 'command_not_found_handle() {\n  { if [ -p /dev/stdin ]; then while IFS= read -r __line; do :; done; fi; } 2>/dev/null\n  return 0\n}\n')
  return {dir, work, env: {PATH: join(dir, 'empty-path'), BASH_ENV: join(dir, 'stubs.bash'), PS4: '+ ', HOME: dir, LANG: 'C'}}
}

/** The trace lines of a bash run: the commands as bash ran them, without the nesting marks. */
function trace(stderr: string): string[] {
  return stderr.split('\n').filter((line) => line.startsWith('+')).map((line) => line.replace(/^\++ /, ''))
}

async function planFor(target: string, os: string, values: Record<string, string>) {
  return loadPlan({target, includePaths: [], os, arch: 'x86_64', dryRun: true, choose: [], set: values, env: {}})
}

/** The engine's side: each command action of this host, values substituted as the executor does, run until one fails. */
async function engineTrace(box: Sandbox, loaded: Awaited<ReturnType<typeof planFor>>, values: Record<string, string>): Promise<string[]> {
  const lines: string[] = []
  for (const step of loaded.plan.steps) {
    for (const action of step.actions) {
      if (!(action.kind === 'exec' || action.kind === 'check') || !SHELL_LANGS.has(action.lang) || action.host.where === 'other') continue
      const script = await substitute(action.template, values, placeholdersFor(loaded.plan, action))
      const r = spawnSync('/bin/bash', ['-c', `set -e -o pipefail\nset -x\n${script}`], {cwd: box.work, env: box.env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe']})
      lines.push(...trace(r.stderr))
      if (r.status !== 0) return lines
    }
  }
  return lines
}

function exportTrace(box: Sandbox, script: string, values: Record<string, string>, args: string[] = []): {code: number | null; lines: string[]; stderr: string; stdout: string} {
  const file = join(box.dir, 'export.sh')
  writeFileSync(file, script)
  const env = {...box.env, RUNBOOK_XTRACE: '1', RUNBOOK_WORK_DIR: box.work, ...Object.fromEntries(Object.entries(values).map(([k, v]) => [`RUNBOOK_${k}`, v]))}
  const r = spawnSync('/bin/bash', [file, '--yes', ...args], {cwd: box.dir, env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe']})
  return {code: r.status, lines: trace(r.stderr), stderr: r.stderr, stdout: r.stdout}
}

const CASES: Array<{page: string; os: string; values: Record<string, string>}> = [
  {page: 'test/fixtures/runbooks/export-quoting.md', os: 'debian:12', values: {NAME: NASTY, OUT_DIR: '/tmp/runbook export test/out', API_TOKEN: `tok'en"$(id)`}},
  {page: 'test/fixtures/runbooks/demo.md', os: 'ubuntu:22.04', values: {TEST_DIR: 'dir with spaces/$HOME/`x`'}},
  {page: 'test/fixtures/runbooks/demo.md', os: 'rhel:8.10', values: {TEST_DIR: '/tmp/x'}},
  {page: 'runbooks/tarantool.md', os: 'debian:12', values: {}},
]

describe('runbook export --to sh', () => {
  for (const c of CASES) {
    it(`runs the commands of the engine's plan: ${c.page} on ${c.os}`, async () => {
      const loaded = await planFor(join(repoRoot, c.page), c.os, c.values)
      const script = await shScript(loaded.plan, exportHeader(loaded.graph, loaded.graph.procedures[0]!, c.os))
      const engine = await engineTrace(sandbox(), loaded, c.values)
      const exported = exportTrace(sandbox(), script, c.values)
      expect(engine.length).toBeGreaterThan(2)
      // The sides of a pipeline trace concurrently, so lines are compared as a multiset.
      expect([...exported.lines].sort()).toEqual([...engine].sort())
      // The value reached its commands as data: nothing it holds ran.
      expect(exported.lines.some((line) => line.startsWith('touch ') || line === 'id')).toBe(false)
    })
  }

  it('keeps the dry-run text of every command without placeholders, verbatim', async () => {
    const loaded = await planFor(join(repoRoot, 'runbooks/tarantool.md'), 'debian:12', {})
    const script = await shScript(loaded.plan, exportHeader(loaded.graph, loaded.graph.procedures[0]!))
    const commands = loaded.plan.steps.flatMap((s) => s.actions.filter((a) => a.kind === 'exec' || a.kind === 'check').map((a) => a.script))
    // Steps 1-4 run one command each; the page's troubleshooting command is conditional ("If there is no banner…") and not planned.
    expect(commands.length).toBe(4)
    for (const command of commands) expect(script).toContain(`\${RUNBOOK_XTRACE:+set -x}\n${command.replace(/\n+$/, '')}\n)`)
  })

  it('starts at --from STEP (number or slug), and refuses a step that does not exist', async () => {
    const values = {NAME: 'n', OUT_DIR: '.', API_TOKEN: 't'}
    const loaded = await planFor(join(repoRoot, 'test/fixtures/runbooks/export-quoting.md'), 'debian:12', values)
    const script = await shScript(loaded.plan, exportHeader(loaded.graph, loaded.graph.procedures[0]!))
    const all = exportTrace(sandbox(), script, values)
    const fromTwo = exportTrace(sandbox(), script, values, ['--from', '2'])
    const fromSlug = exportTrace(sandbox(), script, values, ['--from', 'a-secret'])
    expect(all.code).toBe(0)
    // Both sides of a pipe trace at once: their order is not fixed, so traces are compared as multisets.
    expect([...fromTwo.lines].sort()).toEqual(all.lines.slice(all.lines.findIndex((line) => line.startsWith('cat'))).sort())
    expect([...fromSlug.lines].sort()).toEqual(["printf 'token %s\\n' t", 'return 0', 'wc -c'])
    const bad = exportTrace(sandbox(), script, values, ['--from', 'nine'])
    expect([bad.code, bad.stderr.trim()]).toEqual([2, 'runbook: --from nine names no step; the steps are: 1:values-in-words-and-quotes 2:a-heredoc 3:a-secret'])
  })

  it('stops with a clear error when a value is missing from the environment', async () => {
    const loaded = await planFor(join(repoRoot, 'test/fixtures/runbooks/export-quoting.md'), 'debian:12', {})
    const script = await shScript(loaded.plan, exportHeader(loaded.graph, loaded.graph.procedures[0]!))
    const r = exportTrace(sandbox(), script, {NAME: 'n', OUT_DIR: '.'})
    expect(r.code).toBe(2)
    expect(r.stderr.split('\n').filter((l) => !l.startsWith('+')).join('\n').trim()).toMatch(/^runbook: step 3 needs a value for <API_TOKEN>: set RUNBOOK_API_TOKEN in the environment \(for example RUNBOOK_API_TOKEN=… .*export\.sh\)\.$/)
  })

  it('writes the same bytes twice from the CLI, with the header', () => {
    const a = runCli(['export', 'tarantool', '--to', 'sh', '--os', 'debian:12', '--arch', 'x86_64'])
    const b = runCli(['export', 'tarantool', '--to', 'sh', '--os', 'debian:12', '--arch', 'x86_64'])
    expect(a.code, a.stderr).toBe(0)
    expect(b.stdout).toBe(a.stdout)
    const sha = createHash('sha256').update(readFileSync(join(repoRoot, 'runbooks/tarantool.md'))).digest('hex')
    expect(a.stdout.split('\n').slice(0, 4)).toEqual([
      '#!/usr/bin/env bash',
      '# Exported by runbook 0.1.0 from tarantool.md ("Tarantool from the Distribution Packages"), procedure "Installation".',
      `# Page sha256: ${sha}`,
      '# Resolved for: Debian 12 (bookworm), x86_64 (--arch) — from --os debian:12; tabs "Debian", "Debian", "Debian"',
    ])
  })
})
