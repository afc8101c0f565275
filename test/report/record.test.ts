/**
 * The run record (`record.jsonl`): each entry is in the file as soon as its
 * event has passed (a runner killed mid-step has recorded that the step
 * started), output is never recorded, and a record that cannot be opened or
 * written costs one warning, never the run.
 */
import {mkdirSync, readFileSync, symlinkSync} from 'node:fs'
import {join} from 'node:path'
import {describe, expect, it} from 'vitest'
import {recordingReporter, RECORD_FILE, type Operator} from '../../src/report/record.js'
import type {RunEvent} from '../../src/execute/events.js'
import {ByteBlock} from '../../src/execute/lines.js'
import {makePlan, tempDir} from '../execute/helpers.js'

const operator: Operator = {user: 'ops', uid: 1000, host: 'db1'}
const plan = makePlan([{title: 'Install', script: 'apt-get install -y tarantool'}])
const step = plan.steps[0]!
const action = step.actions[0]!

function events(runDir: string): RunEvent[] {
  return [
    {type: 'run-start', runId: 'r1', plan, runDir, resumed: false, startIndex: 0},
    {type: 'step-start', step, index: 0, total: 1, attempt: 1, rerun: false},
    {type: 'action-start', step, action, index: 0, display: 'apt-get install -y tarantool'},
    {type: 'output', stream: 'stdout', block: new ByteBlock([Buffer.from('Setting up tarantool\n')])} as unknown as RunEvent,
    {type: 'action-end', stepId: step.id, actionId: action.id, exitCode: 0} as RunEvent,
    {type: 'step-end', step, index: 0, status: 'done', durationMs: 12},
  ]
}

/** The record's entries without their clock. */
function entries(runDir: string): Array<Record<string, unknown>> {
  return readFileSync(join(runDir, RECORD_FILE), 'utf8')
    .trim()
    .split('\n')
    .map((line) => {
      const {t, ...rest} = JSON.parse(line) as Record<string, unknown>
      expect(t).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/)
      return rest
    })
}

describe('the run record', () => {
  it('holds each entry as soon as its event passed, in order, without the output', async () => {
    const runDir = tempDir()
    const passed: string[] = []
    const {reporter, close} = recordingReporter((e) => passed.push(e.type), '0.1.0', operator)
    const all = events(runDir)
    for (const event of all.slice(0, 2)) reporter(event)
    // Before anything closes: the step's start is on disk already.
    expect(entries(runDir).map((e) => e.type)).toEqual(['run-start', 'step-start'])
    for (const event of all.slice(2)) reporter(event)
    await close()
    expect(passed).toEqual(['run-start', 'step-start', 'action-start', 'output', 'action-end', 'step-end'])
    expect(entries(runDir)).toEqual([
      {type: 'run-start', runId: 'r1', resumed: false, operator, engine: '0.1.0', procedure: 'Install', choices: {}},
      {type: 'step-start', step: 'step-1', attempt: 1},
      {type: 'action', step: 'step-1', action: 'step-1/a1', kind: 'exec', host: 'local', command: 'apt-get install -y tarantool'},
      {type: 'action-end', step: 'step-1', action: 'step-1/a1', exitCode: 0},
      {type: 'step-end', step: 'step-1', status: 'done', durationMs: 12},
    ])
  })

  it('a record that cannot be opened: every event passes on, one warning after the run-start', async () => {
    const runDir = tempDir()
    mkdirSync(join(runDir, RECORD_FILE))
    const passed: RunEvent[] = []
    const {reporter, close} = recordingReporter((e) => passed.push(e), '0.1.0', operator)
    for (const event of events(runDir)) reporter(event)
    await close()
    expect(passed.map((e) => e.type)).toEqual(['run-start', 'notice', 'step-start', 'action-start', 'output', 'action-end', 'step-end'])
    expect(passed[1]).toEqual({
      type: 'notice',
      level: 'warning',
      message: `Cannot write the run record (EISDIR: illegal operation on a directory, open '${join(runDir, RECORD_FILE)}'); 'runbook report' will have less to show.`,
    })
  })

  it('a disk that fails mid-run (the record on /dev/full): one warning, after the event that met it, and the run goes on', async () => {
    const runDir = tempDir()
    symlinkSync('/dev/full', join(runDir, RECORD_FILE))
    const passed: RunEvent[] = []
    const {reporter, close} = recordingReporter((e) => passed.push(e), '0.1.0', operator)
    for (const event of events(runDir)) reporter(event)
    await close()
    expect(passed.map((e) => e.type)).toEqual(['run-start', 'notice', 'step-start', 'action-start', 'output', 'action-end', 'step-end'])
    expect(passed[1]).toMatchObject({type: 'notice', level: 'warning', message: "Cannot write the run record (ENOSPC: no space left on device, write); 'runbook report' will have less to show."})
  })
})
