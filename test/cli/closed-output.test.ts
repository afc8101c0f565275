/**
 * A reader that goes away (`| head`): printing commands end quietly, and a run
 * goes on to its end (state and logs complete), never left `running`.
 */
import {describe, expect, it} from 'vitest'
import {spawnSync} from 'node:child_process'
import {mkdirSync, readdirSync, readFileSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {cliPath, runCli} from '../helpers/cli.js'
import {repoRoot} from '../helpers/shared.js'
import {tempDir} from '../execute/helpers.js'

const demo = join(repoRoot, 'test/fixtures/runbooks/demo.md')

/** `runbook ARGS | head -N` in bash: runbook's exit status, what head printed, what runbook said on stderr. */
function piped(args: string[], lines: number) {
  const r = spawnSync('bash', ['-c', `"$0" "$@" 2>"$RB_ERR" | head -${lines}; echo "\${PIPESTATUS[0]}" >"$RB_STATUS"`, process.execPath, cliPath, ...args], {
    cwd: repoRoot,
    encoding: 'utf8',
    env: {...process.env, NO_COLOR: '1', RB_ERR: join(dir, 'err'), RB_STATUS: join(dir, 'status')},
  })
  return {stdout: r.stdout, stderr: readFileSync(join(dir, 'err'), 'utf8'), code: Number(readFileSync(join(dir, 'status'), 'utf8'))}
}

let dir = ''

describe('a closed output pipe', () => {
  it('a run goes on to its end when its reader leaves, and a printing command ends quietly', () => {
    dir = tempDir('rb-pipe-')
    const state = join(dir, 'state')
    const work = join(dir, 'work')
    mkdirSync(work)
    writeFileSync(join(work, 'license.key'), '')
    const run = piped(['run', demo, '--no-tui', '--state-dir', state, '--set', `TEST_DIR=${work}`], 2)
    expect(run.stdout.split('\n')).toHaveLength(3)
    expect(run.stderr).toBe('')
    expect(run.code).toBe(0)
    const [id] = readdirSync(join(state, 'runs'))
    const recorded = JSON.parse(readFileSync(join(state, 'runs', id!, 'state.json'), 'utf8'))
    expect(recorded.status).toBe('done')
    expect(recorded.steps.map((s: {status: string}) => s.status)).toEqual(['done', 'done', 'done', 'done', 'done'])
    // The step that printed 40 lines after the pipe closed has them all in its log.
    expect(readFileSync(join(state, 'runs', id!, 'logs', '02-install-the-packages.log'), 'utf8')).toContain('Setting up demo-module-40 (1.0.40) ...')

    for (const [args, first] of [
      [['log', id!, '--state-dir', state], '==> logs/01-add-the-repository.log (done)'],
      [['runs', '--state-dir', state], 'ID'],
      [['graph', demo], undefined],
      [['run', demo, '--dry-run'], undefined],
    ] as Array<[string[], string | undefined]>) {
      const r = piped(args, 1)
      expect({args, stderr: r.stderr, code: r.code}).toEqual({args, stderr: '', code: 0})
      expect(r.stdout.split('\n')).toHaveLength(2)
      if (first) expect(r.stdout.startsWith(first)).toBe(true)
    }
    // Whole, the log is longer than one line: the pipe really closed early.
    expect(runCli(['log', id!, '--state-dir', state]).stdout.split('\n').length).toBeGreaterThan(50)
  })
})
