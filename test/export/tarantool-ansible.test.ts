/**
 * The Tarantool guide exported to Ansible and run for real against this
 * machine (`ansible_connection=local`, as root, on Debian): Tarantool is
 * installed and answers on 127.0.0.1:3313; then rollback.yml puts the machine
 * back as it was (same `dpkg -l`, same account files, the page's files gone,
 * no tarantool process, port closed), and a second rollback changes nothing.
 * It shares the machine with the engine's own Tarantool test: one at a time.
 */
import {writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import {e2eBlocker, ensureAptLists, holdMachine, listening, machineState, releaseMachine} from '../rollback/helpers/machine.js'
import {runCli} from '../helpers/cli.js'
import {ansible, cleanTemps, hasAnsible, tempDir} from './helpers.js'

const blocker = e2eBlocker() ?? (hasAnsible ? null : 'ansible-playbook is not installed')
if (blocker) console.warn(`tarantool Ansible e2e skipped: ${blocker} (it installs packages for real and needs root on Debian, and Ansible).`)

afterAll(cleanTemps)

/** What the page and the package touch, as the engine's Tarantool test compares them. */
const PATHS = ['/etc/passwd', '/etc/group', '/etc/shadow', '/etc/gshadow', '/etc/tarantool/instances.enabled', '/etc/tarantool/instances.enabled/runbook.lua', '/usr/bin/tarantool', '/usr/bin/tarantoolctl']

describe.skipIf(blocker !== null)('the Tarantool guide as an Ansible playbook, run for real and rolled back', () => {
  beforeAll(async () => {
    await holdMachine()
    await ensureAptLists()
  }, 1_800_000)
  afterAll(releaseMachine)

  it('installs Tarantool, which answers on its port; rollback.yml restores the machine', {timeout: 1_200_000}, async () => {
    const dir = tempDir('rb-tarantool-ansible-')
    expect(runCli(['export', 'tarantool', '--to', 'ansible', '-o', dir]).code).toBe(0)
    writeFileSync(join(dir, 'inventory'), '[local]\nlocalhost ansible_connection=local ansible_python_interpreter=/usr/bin/python3\n')
    const vars = ['-e', `runbook_work_dir=${join(dir, 'work')}`, '-e', `runbook_state_dir=${join(dir, 'state')}`]
    const before = await machineState(PATHS)
    expect(before.processes).toEqual([])
    expect(await listening(3313)).toBe(false)

    const run = ansible('ansible-playbook', ['-i', 'inventory', 'playbook.yml', ...vars], dir, {}, 900_000)
    expect(run.code, run.stdout.slice(-4000) + run.stderr).toBe(0)
    const during = await machineState(PATHS)
    expect(during.dpkg).not.toBe(before.dpkg)
    expect(during.files['/etc/tarantool/instances.enabled/runbook.lua']).not.toBe('absent')
    expect(during.processes.length).toBeGreaterThan(0)
    expect(await listening(3313)).toBe(true)
    expect(run.stdout).toMatch(/localhost\s+: ok=\d+\s+changed=\d+\s+unreachable=0\s+failed=0/)

    const back = ansible('ansible-playbook', ['-i', 'inventory', 'rollback.yml', ...vars], dir, {}, 900_000)
    expect(back.code, back.stdout.slice(-4000) + back.stderr).toBe(0)
    const after = await machineState(PATHS)
    expect(after.dpkg).toBe(before.dpkg)
    expect(after.files).toEqual(before.files)
    expect(after.processes).toEqual([])
    expect(await listening(3313)).toBe(false)

    const again = ansible('ansible-playbook', ['-i', 'inventory', 'rollback.yml', ...vars], dir, {}, 900_000)
    expect(again.code, again.stdout.slice(-4000)).toBe(0)
    expect(again.stdout).toMatch(/localhost\s+: ok=\d+\s+changed=0\s/)
    expect((await machineState(PATHS)).dpkg).toBe(before.dpkg)
  })
})
