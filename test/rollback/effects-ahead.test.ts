/**
 * Effects inferred ahead in a worker (src/effects/ahead.ts, run from the
 * build as the CLI runs it): the same effects as in process for every kind of
 * script, each answer to its own question, nothing after `stop`, and a cold
 * dry-run that prints the same with the worker as without it.
 */
import {spawnSync} from 'node:child_process'
import {join} from 'node:path'
import {pathToFileURL} from 'node:url'
import {afterAll, describe, expect, it} from 'vitest'
import {inferEffects} from '../../src/effects/effects.js'
import {parseFile} from '../../src/parse/index.js'
import {buildGraph} from '../../src/graph/index.js'
import type {InferenceAhead} from '../../src/effects/ahead.js'
import {runCli} from '../helpers/cli.js'
import {repoRoot} from '../helpers/shared.js'

const {inferAhead} = (await import(pathToFileURL(join(repoRoot, 'dist/effects/ahead.js')).href)) as typeof import('../../src/effects/ahead.js')

const env = {HOME: '/home/op', USER: 'op'}
const runbookScripts = ['separate-postanalytics', 'tarantool'].flatMap((name) =>
  buildGraph(parseFile(join(repoRoot, 'runbooks', `${name}.md`))).procedures.flatMap((p) =>
    p.steps.flatMap((s) => s.actions.filter((a) => a.kind === 'exec' || a.kind === 'check').map((a) => a.script)),
  ),
)
// Beyond the runbooks: each family the rules read, and scripts the shell parser rejects.
const oddScripts = [
  'cat > ~/app.conf <<EOF\nuser=$USER\nEOF',
  'rm -rf /opt/app && userdel app',
  'sudo sh -c "echo 1 > /proc/sys/net/ipv4/ip_forward"',
  'if true; then',
  'echo "unterminated',
  'dnf install -y <PACKAGE> && systemctl enable --now <SERVICE>',
  'ln -sf /etc/app/a.conf /etc/app/b.conf; chmod 600 /etc/app/b.conf',
]

const started: InferenceAhead[] = []
afterAll(() => started.forEach((ahead) => ahead.stop()))
function start(): InferenceAhead {
  const ahead = inferAhead()
  if (!ahead) throw new Error('inferAhead gave no worker: this test needs two cores and the build (npm run build)')
  started.push(ahead)
  return ahead
}
const inProcess = async (scripts: string[]) => {
  const out = []
  for (const script of scripts) out.push(await inferEffects(script, {env}).catch((error: Error) => `throws ${error.name}: ${error.message}`))
  return out
}

describe('effects inferred ahead in a worker', () => {
  it('gives, for every script of the runbooks and each odd family, the effects inferred in process', async () => {
    expect(runbookScripts.length).toBeGreaterThan(20)
    const scripts = [...runbookScripts, ...oddScripts]
    const expected = await inProcess(scripts)
    const ahead = start()
    const answer = await ahead.infer(scripts, env)
    // Unparsable shell is an effect too ("unknown"), never an error.
    expect(expected.filter((e) => typeof e === 'string')).toEqual([])
    expect(expected.slice(-4, -2)).toEqual([[{kind: 'unknown', via: '(unparsable shell)'}], [{kind: 'unknown', via: '(unparsable shell)'}]])
    expect(answer).toEqual(expected)
  })

  it('answers each question with its own scripts, then nothing once stopped', async () => {
    const ahead = start()
    const [a, b] = await Promise.all([ahead.infer(['apt-get install -y curl'], env), ahead.infer(['systemctl restart nginx', 'touch /etc/x'], env)])
    expect(a).toEqual(await inProcess(['apt-get install -y curl']))
    expect(b).toEqual(await inProcess(['systemctl restart nginx', 'touch /etc/x']))
    ahead.stop()
    expect(await ahead.infer(['touch /etc/y'], env)).toBeUndefined()
  })

  it('prints the same cold dry-run and graph with the worker (two cores) as without it (one core)', () => {
    const taskset = spawnSync('taskset', ['-c', '0', 'true'])
    for (const args of [...['ubuntu:22.04', 'almalinux:9'].map((os) => ['run', 'separate-postanalytics', '--dry-run', '--os', os, '--json']), ['graph', 'separate-postanalytics']]) {
      const coldEnv = {RUNBOOK_NO_CACHE: '1'}
      const withWorker = runCli(args, {env: coldEnv})
      expect(withWorker.code).toBe(0)
      expect(withWorker.stdout).toMatch(/"effects": \[\n {12}"downloads to wallarm-4\.8\.8\.x86_64-glibc\.sh \(curl\)|downloads to wallarm-4\.8\.8\.x86_64-glibc\.sh \(curl\) — undo/)
      if (taskset.status !== 0) continue
      const oneCore = spawnSync('taskset', ['-c', '0', process.execPath, join(repoRoot, 'dist/cli/main.js'), ...args], {cwd: repoRoot, encoding: 'utf8', env: {...process.env, ...coldEnv, NO_COLOR: '1'}})
      expect(oneCore.status).toBe(0)
      expect(oneCore.stdout).toBe(withWorker.stdout)
    }
  })
})
