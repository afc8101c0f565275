import {describe, it, expect} from 'vitest'
import {Writable, PassThrough} from 'node:stream'
import {createPlainInteraction, createPlainReporter} from '../../src/ui/plain.js'
import {runPlan} from '../../src/execute/executor.js'
import {runPaths} from '../../src/execute/paths.js'
import {UsageError} from '../../src/errors.js'
import {answers, makePlan, tempDir} from './helpers.js'

function sink(): {out: Writable; text: () => string} {
  let text = ''
  return {out: new Writable({write: (c, _e, done) => ((text += c.toString()), done())}), text: () => text}
}

describe('plain reporter', () => {
  it('prints each event as documented', () => {
    const plan = makePlan([
      {title: 'Install packages for the postanalytics module', script: 'sudo apt -y install wallarm-node-tarantool'},
      {title: 'Configure', script: 'false'},
      {title: 'Connect the node', host: 'other', actions: [{script: 'x', host: {where: 'other', reason: 'On the machine with the NGINX-Wallarm module, run:'}}]},
    ])
    const [s1, s2, s3] = plan.steps as [typeof plan.steps[0], typeof plan.steps[0], typeof plan.steps[0]]
    const {out, text} = sink()
    const report = createPlainReporter(out, {color: false})
    report({type: 'run-start', runId: 'r1', plan, runDir: '/state/runs/r1', resumed: false, startIndex: 0})
    report({type: 'step-start', step: s1, index: 0, total: 3, attempt: 1, rerun: false})
    report({type: 'action-start', step: s1, action: s1.actions[0]!, index: 0, display: 'sudo apt -y install wallarm-node-tarantool'})
    report({type: 'output', stepId: s1.id, stream: 'stdout', text: 'Reading package lists...'})
    report({type: 'action-end', stepId: s1.id, actionId: s1.actions[0]!.id, exitCode: 0})
    report({type: 'step-end', step: s1, index: 0, status: 'done', durationMs: 3240})
    report({type: 'step-start', step: s2, index: 1, total: 3, attempt: 2, rerun: true})
    report({type: 'action-start', step: s2, action: s2.actions[0]!, index: 0, display: 'false\necho two'})
    report({type: 'step-end', step: s2, index: 1, status: 'failed', exitCode: 1, durationMs: 10, error: 'Command `false …` exited with code 1.', troubleshooting: 'Check the logs.\nThen retry.', logFile: '/state/runs/r1/logs/02-step-2.log'})
    report({type: 'step-end', step: s3, index: 2, status: 'skipped', skipReason: 'other-host', durationMs: 0})
    report({type: 'notice', level: 'warning', message: 'two\nlines'})
    report({type: 'run-end', status: 'failed', counts: {pending: 0, running: 0, done: 1, failed: 1, skipped: 1, interrupted: 0}, durationMs: 75_000, runDir: '/state/runs/r1', resumeCommand: 'runbook run fixture --resume'})
    expect(text()).toBe(
      [
        'Running Fixture runbook — Install, Debian GNU/Linux 12 x86_64',
        'Run r1 in /state/runs/r1',
        '==> Step 1/3: Install packages for the postanalytics module',
        '$ sudo apt -y install wallarm-node-tarantool',
        '  | Reading package lists...',
        '✓ Step 1 done (3.2s)',
        '==> Step 2/3: Configure (attempt 2)',
        '$ false',
        '  echo two',
        '✗ Step 2 failed (exit 1) — log: /state/runs/r1/logs/02-step-2.log',
        '  Command `false …` exited with code 1.',
        '  Troubleshooting: Check the logs.',
        '    Then retry.',
        '- Step 3 skipped (other host: "On the machine with the NGINX-Wallarm module, run:")',
        '! two',
        '  lines',
        'Failed in 1m15s: 1 done, 1 skipped, 1 failed.',
        'Run folder: /state/runs/r1',
        'Resume with: runbook run fixture --resume',
        '',
      ].join('\n'),
    )
  })

  it('prints a real run exactly (durations aside)', async () => {
    const root = tempDir()
    const plan = makePlan([{script: 'echo hello'}, {script: 'echo oops >&2\nexit 2'}, {script: 'echo never'}])
    const {out, text} = sink()
    const result = await runPlan({plan, values: {}, stateRoot: root, reporter: createPlainReporter(out, {color: false}), interaction: answers(), resumeCommand: () => 'runbook run fixture --resume'})
    const dir = runPaths(root, result.runId).dir
    expect(text().replace(/\(\d+\.\d+s\)/g, '(Ts)').replace(/in \d+\.\d+s:/, 'in Ts:')).toBe(
      [
        'Running Fixture runbook — Install, Debian GNU/Linux 12 x86_64',
        `Run ${result.runId} in ${dir}`,
        '==> Step 1/3: Step 1 title',
        '$ echo hello',
        '  | hello',
        '✓ Step 1 done (Ts)',
        '==> Step 2/3: Step 2 title',
        '$ echo oops >&2',
        '  exit 2',
        '  | oops',
        `✗ Step 2 failed (exit 2) — log: ${dir}/logs/02-step-2.log`,
        '  Command `echo oops >&2 …` exited with code 2.',
        'Failed in Ts: 1 done, 1 failed, 1 pending.',
        `Run folder: ${dir}`,
        'Resume with: runbook run fixture --resume',
        '',
      ].join('\n'),
    )
  })

  it('colours only when asked', () => {
    const {out, text} = sink()
    const plan = makePlan([{script: 'true'}])
    createPlainReporter(out, {color: true})({type: 'step-end', step: plan.steps[0]!, index: 0, status: 'done', durationMs: 1000})
    expect(text()).toBe('\u001B[32m✓ Step 1 done\u001B[39m\u001B[2m (1.0s)\u001B[22m\n')
  })
})

describe('plain interaction without a terminal', () => {
  const plan = makePlan([{script: 'true'}])
  const step = plan.steps[0]!
  it('answers from flags', async () => {
    const input = new PassThrough()
    const no = createPlainInteraction({yes: false, input, output: new PassThrough(), isTTY: false})
    const yes = createPlainInteraction({yes: true, input, output: new PassThrough(), isTTY: false})
    expect(await no.confirmManual(step.actions[0]!, step)).toBe(false)
    expect(await yes.confirmManual(step.actions[0]!, step)).toBe(true)
    expect(await no.onFailure(step, 'e', 'log')).toBe('abort')
    expect(await no.confirmStep(step, 0)).toBe('run')
    expect(no.withTerminal).toBeUndefined()
    await expect(no.choose('Which deployment?', ['Docker', 'Packages'])).rejects.toThrow(
      new UsageError('Which deployment? There is no terminal to ask on: pass --choose with one of "Docker", "Packages".'),
    )
    await expect(no.choose('"X" offers 2 ways through it. Which procedure?', ['A', 'B'])).rejects.toThrow('pass --procedure with one of "A", "B".')
    await expect(no.promptValue('TOKEN', true, '')).rejects.toThrow('No value for TOKEN and no terminal to ask on: pass --set TOKEN=… or set RUNBOOK_TOKEN=….')
  })
})
