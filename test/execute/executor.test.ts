import {describe, it, expect, beforeEach} from 'vitest'
import {existsSync, readFileSync, writeFileSync, mkdirSync} from 'node:fs'
import {join} from 'node:path'
import {runPlan, type RunOptions} from '../../src/execute/executor.js'
import {loadState} from '../../src/execute/state.js'
import {runPaths} from '../../src/execute/paths.js'
import {makePlan, recorder, answers, tempDir, param, type StepSpec} from './helpers.js'
import type {RunEvent} from '../../src/execute/events.js'

let root: string
let dir: string
beforeEach(() => {
  root = tempDir('rb-state-')
  dir = tempDir('rb-work-')
})

function opts(plan: ReturnType<typeof makePlan>, extra: Partial<RunOptions> = {}): RunOptions & {rec: ReturnType<typeof recorder>} {
  const rec = recorder()
  return {plan, values: {}, stateRoot: root, reporter: rec.reporter, interaction: answers(), resumeCommand: (id) => `runbook resume ${id}`, rec, ...extra}
}

const count = (name: string) => `echo x >> ${dir}/${name}`
const counted = (name: string) => (existsSync(join(dir, name)) ? readFileSync(join(dir, name), 'utf8').split('\n').filter(Boolean).length : 0)
const stepEnds = (events: RunEvent[]) => events.flatMap((e) => (e.type === 'step-end' ? [`${e.step.number}:${e.status}${e.skipReason ? `:${e.skipReason}` : ''}`] : []))

describe('runPlan', () => {
  it('runs steps in order and records them done', async () => {
    const o = opts(makePlan([{script: `${count('a')}; echo one`}, {script: `${count('b')}; echo two >&2`}]))
    const result = await runPlan(o)
    expect(result.exitCode).toBe(0)
    expect(o.rec.lines()).toEqual(['one', 'two'])
    const state = loadState(runPaths(root, result.runId).state)
    expect(state.status).toBe('done')
    expect(state.steps.map((s) => [s.status, s.exitCode, s.attempts, s.log])).toEqual([
      ['done', undefined, 1, 'logs/01-step-1.log'],
      ['done', undefined, 1, 'logs/02-step-2.log'],
    ])
    expect(result.runId).toMatch(/^\d{8}-\d{6}-fixture-runbook-[0-9a-f]{4}$/)
    const end = o.rec.events.at(-1)!
    expect(end).toMatchObject({type: 'run-end', status: 'done', counts: {done: 2, pending: 0, failed: 0, skipped: 0, interrupted: 0, running: 0}})
    expect('resumeCommand' in end).toBe(false)
  })

  it('stops a step at its failing line (-e and pipefail), and names that line', async () => {
    const o = opts(makePlan([{script: `echo first\nfalse | true\necho not-reached > ${dir}/after`}]))
    const result = await runPlan(o)
    expect(result.exitCode).toBe(1)
    expect(o.rec.lines()).toEqual(['first', 'runbook: line 2 exited with 1'])
    expect(o.rec.events.find((e) => e.type === 'step-end')).toMatchObject({error: 'Line 2 of the command, `false | true`, exited with code 1.'})
    expect(existsSync(join(dir, 'after'))).toBe(false)
    const state = loadState(runPaths(root, result.runId).state)
    expect(state.steps[0]).toMatchObject({status: 'failed', exitCode: 1})
    expect(state.status).toBe('failed')
  })

  it('fails at step 3, and a resume after the fix runs 3 onward without re-running 1-2', async () => {
    const steps: StepSpec[] = [
      {script: count('s1')},
      {script: count('s2')},
      {script: `${count('s3')}\ntest -f ${dir}/fixed`},
      {script: count('s4')},
    ]
    const first = opts(makePlan(steps))
    const r1 = await runPlan(first)
    expect(r1.exitCode).toBe(1)
    expect([counted('s1'), counted('s2'), counted('s3'), counted('s4')]).toEqual([1, 1, 1, 0])
    const end1 = first.rec.events.at(-1)!
    expect(end1).toMatchObject({type: 'run-end', status: 'failed', resumeCommand: `runbook resume ${r1.runId}`})

    writeFileSync(join(dir, 'fixed'), '')
    const second = opts(makePlan(steps), {runId: r1.runId})
    const r2 = await runPlan(second)
    expect(r2).toEqual({...r1, exitCode: 0})
    expect([counted('s1'), counted('s2'), counted('s3'), counted('s4')]).toEqual([1, 1, 2, 1])
    expect(stepEnds(second.rec.events)).toEqual(['1:skipped:done-before', '2:skipped:done-before', '3:done', '4:done'])
    expect(second.rec.events).toContainEqual({type: 'notice', level: 'info', message: 'Re-running step 3 from its start.'})
    const state = loadState(runPaths(root, r1.runId).state)
    expect(state.status).toBe('done')
    expect(state.steps.map((s) => `${s.status}/${s.attempts}`)).toEqual(['done/1', 'done/1', 'done/2', 'done/1'])
  })

  it('refuses to resume when a done step changed, unless forced', async () => {
    const r1 = await runPlan(opts(makePlan([{script: 'true', hash: 'a'}, {script: 'false', hash: 'b'}])))
    const changed = makePlan([{script: 'true', title: 'Changed', hash: 'a2'}, {script: 'true', hash: 'b'}], {hash: 'rb-hash-2'})
    await expect(runPlan(opts(changed, {runId: r1.runId}))).rejects.toThrow(
      `The runbook /fixtures/fixture-runbook.md changed since run ${r1.runId} started: done step 1 (Step 1 title) is different now (state: ${runPaths(root, r1.runId).state}). Start a new run, or pass --force to continue anyway without re-running it.`,
    )
    const forcedOpts = opts(changed, {runId: r1.runId, force: true})
    const forced = await runPlan(forcedOpts)
    expect(forced.exitCode).toBe(0)
    const notices = (o: {rec: ReturnType<typeof recorder>}) => o.rec.events.flatMap((e) => (e.type === 'notice' ? [`${e.level}: ${e.message}`] : []))
    expect(notices(forcedOpts)).toEqual(['warning: Step 1 (Changed) changed since it ran: it stays done as it ran (--force).', 'info: Re-running step 2 from its start.'])
    // A changed runbook whose done steps are unchanged resumes without --force; the failed step that changed is named.
    const r3 = await runPlan(opts(makePlan([{script: 'true', hash: 'a'}, {script: 'false', hash: 'b'}])))
    const otherOpts = opts(makePlan([{script: 'true', hash: 'a'}, {script: 'true', hash: 'b2'}], {hash: 'rb-hash-3'}), {runId: r3.runId})
    expect((await runPlan(otherOpts)).exitCode).toBe(0)
    expect(notices(otherOpts)).toEqual(['info: Step 2 (Step 2 title) changed since it ran: it runs as the page has it now.', 'info: Re-running step 2 from its start.'])
  })

  it('skips other-host steps unless --all-hosts, and counts them as fine', async () => {
    const plan = makePlan([
      {script: count('here')},
      {host: 'other', actions: [{script: count('there'), host: {where: 'other', reason: 'On the machine with the NGINX-Wallarm module, run:'}}]},
    ])
    const o = opts(plan)
    expect((await runPlan(o)).exitCode).toBe(0)
    expect(stepEnds(o.rec.events)).toEqual(['1:done', '2:skipped:other-host'])
    expect(counted('there')).toBe(0)
    const all = opts(plan, {allHosts: true})
    expect((await runPlan(all)).exitCode).toBe(0)
    expect(counted('there')).toBe(1)
  })

  it('honours --from and --only by number, id or unique prefix', async () => {
    const plan = makePlan([
      {id: 'prepare', script: count('p')},
      {id: 'install-packages', script: count('i')},
      {id: 'configure', script: count('c')},
    ])
    const only = opts(plan, {only: 'inst'})
    expect((await runPlan(only)).exitCode).toBe(0)
    expect(stepEnds(only.rec.events)).toEqual(['1:skipped:filter', '2:done', '3:skipped:filter'])
    const from = opts(plan, {from: '2'})
    const r = await runPlan(from)
    expect([counted('p'), counted('i'), counted('c')]).toEqual([0, 2, 1])
    // Steps not selected stay pending: the run is not complete.
    expect(loadState(runPaths(root, r.runId).state).status).toBe('partial')
    await expect(runPlan(opts(plan, {only: 'nope'}))).rejects.toThrow('--only nope: no such step. Steps are: 1 (prepare), 2 (install-packages), 3 (configure).')
  })

  it('retries and skips on failure as the person answers', async () => {
    const plan = makePlan([{script: `${count('try')}\ntest "$(wc -l < ${dir}/try)" -ge 2`}, {script: 'false'}, {script: count('last')}])
    const o = opts(plan, {interaction: answers({failure: ['retry', 'skip']})})
    const result = await runPlan(o)
    expect(result.exitCode).toBe(0)
    expect(counted('try')).toBe(2)
    expect(counted('last')).toBe(1)
    expect(stepEnds(o.rec.events)).toEqual(['1:failed', '1:done', '2:failed', '2:skipped:user', '3:done'])
    // A resume keeps the person's skip.
    const again = opts(plan, {runId: result.runId})
    expect((await runPlan(again)).exitCode).toBe(0)
    expect(stepEnds(again.rec.events)).toEqual(['1:skipped:done-before', '2:skipped:user', '3:skipped:done-before'])
  })

  it('carries troubleshooting text on a failed check', async () => {
    const plan = makePlan([{troubleshooting: 'Check that the node can reach the API.', actions: [{kind: 'check', script: 'echo checking; exit 3'}]}])
    const o = opts(plan)
    expect((await runPlan(o)).exitCode).toBe(1)
    const end = o.rec.events.find((e) => e.type === 'step-end')!
    expect(end).toMatchObject({
      status: 'failed',
      exitCode: 3,
      troubleshooting: 'Check that the node can reach the API.',
      error: 'Check `echo checking; exit 3` exited with code 3.',
      outputTail: ['checking'],
    })
  })

  it('asks for manual actions, auto-confirms them with --yes, and stops without', async () => {
    const plan = makePlan([{actions: [{kind: 'manual', lang: 'text', script: 'Open the console and copy the token.'}]}, {script: count('after')}])
    const no = opts(plan, {interaction: answers({manual: [false]})})
    const r = await runPlan(no)
    expect(r.exitCode).toBe(1)
    expect(no.rec.events.find((e) => e.type === 'step-end')).toMatchObject({
      status: 'failed',
      error: `Step 1 needs this done by hand: Open the console and copy the token. Do it, then continue with: runbook resume ${r.runId} --yes`,
    })
    expect(counted('after')).toBe(0)
    const yes = opts(plan, {yes: true})
    expect((await runPlan(yes)).exitCode).toBe(0)
    expect(yes.rec.events).toContainEqual({type: 'notice', level: 'info', message: 'Taken as done (--yes): Open the console and copy the token.'})
  })

  it('stops at an edit without a terminal, saying what to edit and how to resume', async () => {
    const plan = makePlan([{actions: [{kind: 'edit', script: `vim ${dir}/conf.yaml`, file: `${dir}/conf.yaml`}]}])
    const o = opts(plan)
    const r = await runPlan(o)
    expect(r.exitCode).toBe(1)
    expect(o.rec.events.find((e) => e.type === 'step-end')).toMatchObject({
      error: `Step 1 asks you to edit ${dir}/conf.yaml (\`vim ${dir}/conf.yaml\`), and there is no terminal to open an editor in. Continue at a terminal, where the editor opens: runbook resume ${r.runId}`,
    })
  })

  it('opens $EDITOR on the file with a terminal, and fails the step when it fails', async () => {
    const plan = makePlan([{actions: [{kind: 'edit', script: `sudo vim ${dir}/conf.yaml`, file: `${dir}/conf.yaml`}]}])
    const saved = process.env.EDITOR
    process.env.EDITOR = `sh -c 'echo edited > "$1"' editor`
    try {
      expect((await runPlan(opts(plan, {interaction: answers({terminal: true})}))).exitCode).toBe(0)
      expect(readFileSync(join(dir, 'conf.yaml'), 'utf8')).toBe('edited\n')
      process.env.EDITOR = 'false'
      expect((await runPlan(opts(plan, {interaction: answers({terminal: true})}))).exitCode).toBe(1)
    } finally {
      if (saved === undefined) delete process.env.EDITOR
      else process.env.EDITOR = saved
    }
  })

  it('applies KEY=VALUE file content to an env file after a backup in the journal', async () => {
    const target = join(dir, 'node.env')
    writeFileSync(target, 'A=1\n#WALLARM_LABELS=group=x\nKEEP=yes\n')
    const content = 'WALLARM_LABELS=group=<GROUP>\nNEW=2\n'
    const plan = makePlan([{id: 'set-env', actions: [{kind: 'file-content', lang: 'bash', script: content, file: target, placeholders: ['GROUP']}]}], {parameters: [param('GROUP')]})
    const o = opts(plan, {values: {GROUP: 'g 1'}})
    const r = await runPlan(o)
    expect(r.exitCode).toBe(0)
    expect(readFileSync(target, 'utf8')).toBe('A=1\nWALLARM_LABELS=group=g 1\nKEEP=yes\nNEW=2\n')
    const journal = join(runPaths(root, r.runId).journal, 'set-env')
    expect(JSON.parse(readFileSync(join(journal, 'file-content.json'), 'utf8'))).toEqual({target, existed: true, backup: join(journal, 'backup', target.replace(/\//g, '%2F'))})
    expect(readFileSync(join(journal, 'backup', target.replace(/\//g, '%2F')), 'utf8')).toBe('A=1\n#WALLARM_LABELS=group=x\nKEEP=yes\n')
  })

  it('shows other file content and asks, or takes it as done with --yes', async () => {
    const plan = makePlan([{actions: [{kind: 'file-content', lang: 'yaml', script: 'a: 1\n', file: '/etc/x.yaml'}]}])
    const asked = answers({manual: [true]})
    const o = opts(plan, {interaction: asked})
    expect((await runPlan(o)).exitCode).toBe(0)
    expect(asked.asked).toEqual(['manual 1'])
    expect(o.rec.events).toContainEqual({type: 'notice', level: 'info', message: 'Content for /etc/x.yaml:\na: 1\n'})
    expect(existsSync('/etc/x.yaml')).toBe(false)
  })

  it('confirms each step with --step', async () => {
    const asked = answers({step: ['run', 'skip', 'quit']})
    const o = opts(makePlan([{script: count('1')}, {script: count('2')}, {script: count('3')}]), {step: true, interaction: asked})
    expect((await runPlan(o)).exitCode).toBe(1)
    expect([counted('1'), counted('2'), counted('3')]).toEqual([1, 0, 0])
    expect(stepEnds(o.rec.events)).toEqual(['1:done', '2:skipped:user'])
    expect(o.rec.events.at(-1)).toMatchObject({type: 'run-end', status: 'aborted'})
  })

  it('runs steps in the run work folder, so a download is there for the next step', async () => {
    const src = join(dir, 'artifact.sh')
    writeFileSync(src, 'echo from-artifact\n')
    const hasCurl = existsSync('/usr/bin/curl') || existsSync('/bin/curl')
    const fetch = hasCurl ? `curl -sS -O file://${src}` : `cp ${src} .`
    const o = opts(makePlan([{script: `command -v curl >/dev/null || true\n${fetch}`}, {script: 'bash artifact.sh\npwd'}]))
    const r = await runPlan(o)
    expect(r.exitCode).toBe(0)
    expect(o.rec.lines()).toEqual(['from-artifact', runPaths(root, r.runId).work])
  })

  it('writes each step log with the command, output and exit', async () => {
    const o = opts(makePlan([{id: 'hello', script: 'echo out; echo err >&2; exit 4'}]))
    const r = await runPlan(o)
    const state = loadState(runPaths(root, r.runId).state)
    const log = readFileSync(join(runPaths(root, r.runId).dir, state.steps[0]!.log!), 'utf8')
    expect(log).toBe(`# step 1: Step 1 title (attempt 1, ${state.steps[0]!.startedAt})\n$ echo out; echo err >&2; exit 4\nout\nerr\n# exit 4\n`)
  })

  it('keeps a step whose background process holds the output from hanging', async () => {
    mkdirSync(join(dir, 'bg'))
    const o = opts(makePlan([{script: `sleep 30 &\necho $! > ${dir}/bg/pid\necho started`}, {script: `kill $(cat ${dir}/bg/pid)`}]))
    const r = await runPlan(o)
    expect(r.exitCode).toBe(0)
    expect(o.rec.lines()).toEqual(['started'])
  })
})

describe('a file the page asks to open twice in one step', () => {
  it('the planner marks the second edit as the same session, until something runs in between', async () => {
    const {loadGraphOf, planFor} = await import('../helpers/plans.js')
    const page = join(dir, 'edit-twice.md')
    const edit = (file: string) => `    \`\`\`bash\n    sudo vim ${file}\n    \`\`\`\n`
    writeFileSync(
      page,
      `# Twice\n\n## Install\n\n### Step 1: Configure\n\n1. Open the file:\n\n${edit('/etc/app.conf')}\n2. Open the file again for the port:\n\n${edit('/etc/app.conf')}\n3. Open the other file:\n\n${edit('/etc/other.conf')}\n\n### Step 2: Again after a command\n\n1. Open the file:\n\n${edit('/etc/app.conf')}\n2. Reload:\n\n    \`\`\`bash\n    systemctl reload app\n    \`\`\`\n\n3. Open the file again:\n\n${edit('/etc/app.conf')}\n`,
    )
    const plan = await planFor(loadGraphOf(page), {osRelease: 'debian-12', arch: 'x86_64', procedure: 'install'})
    expect(plan.steps.map((s) => s.actions.map((a) => [a.kind, a.file, a.sameEditAs ?? null]))).toEqual([
      [
        ['edit', '/etc/app.conf', null],
        ['edit', '/etc/app.conf', plan.steps[0]!.actions[0]!.id],
        ['edit', '/etc/other.conf', null],
      ],
      [
        ['edit', '/etc/app.conf', null],
        ['exec', undefined, null],
        ['edit', '/etc/app.conf', null],
      ],
    ])
  })

  it('opens the editor once for both', async () => {
    const file = join(dir, 'twice.conf')
    const plan = makePlan([
      {
        id: 'configure',
        actions: [
          {kind: 'edit', script: `sudo vim ${file}`, file},
          {kind: 'edit', script: `sudo vim ${file}`, file, sameEditAs: 'configure/a1'},
        ],
      },
    ])
    const saved = process.env.EDITOR
    process.env.EDITOR = `sh -c 'echo opened >> "$1"' editor`
    try {
      expect((await runPlan(opts(plan, {interaction: answers({terminal: true})}))).exitCode).toBe(0)
      expect(readFileSync(file, 'utf8')).toBe('opened\n')
    } finally {
      if (saved === undefined) delete process.env.EDITOR
      else process.env.EDITOR = saved
    }
  })
})
