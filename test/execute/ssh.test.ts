/**
 * Two hosts in one run, against a real sshd on 127.0.0.2:2222: role `local`
 * here, role `web` over SSH with its own run folder and another os-release.
 * A failing remote step resumed after its cause is fixed, a runner killed
 * mid-step (no second run), a dropped connection (interrupted, resumable),
 * rollback of a remote file, secrets kept out of remote `ps` and files; what
 * a resume learns of a leftover step in each state of the remote wrapper.
 */
import {spawn, type ChildProcess} from 'node:child_process'
import {existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync, statSync} from 'node:fs'
import {execFileSync} from 'node:child_process'
import {tmpdir} from 'node:os'
import {join, resolve} from 'node:path'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import {cliPath, runCli} from '../helpers/cli.js'
import {repoRoot} from '../helpers/shared.js'
import {SSH_HOST, SSH_PORT, sshdMissing, startSshd, type Sshd} from '../helpers/sshd.js'
import {SshTarget} from '../../src/execute/target/ssh.js'

const page = resolve(repoRoot, 'test/fixtures/runbooks/two-hosts.md')
const TOKEN = 'tok-3f9a-never-shown-81c2'
const UBUNTU = 'ID=ubuntu\nID_LIKE=debian\nVERSION_ID="22.04"\nVERSION_CODENAME=jammy\nPRETTY_NAME="Ubuntu 22.04.4 LTS"\n'

describe('the two-host plan without SSH', () => {
  it('prints both hosts of the reference page with each host\'s tab, from --os per role (the done-when command)', () => {
    const r = runCli(['run', 'separate-postanalytics', '--dry-run', '--host', 'nginx=root@127.0.0.2', '--os', 'nginx=ubuntu:22.04', '--os', 'debian:11', '--procedure', 'manual'])
    expect(r.stderr).toBe('')
    expect(r.code).toBe(0)
    const lines = r.stdout.split('\n')
    expect(lines[1]).toMatch(/^Platform: {2}local {2}Debian 11 \(bullseye\), \S+ — from --os debian:11 on this machine$/)
    expect(lines[2]).toMatch(/^ {11}nginx  Ubuntu 22\.04 \(jammy\), \S+ — from --os nginx=ubuntu:22\.04 on root@127\.0\.0\.2$/)
    // Step 7 (connect NGINX) runs on the NGINX machine, with that machine's Ubuntu tab; step 2 here, with Debian's;
    // step 6 has a part for each host, each with its own host's tab.
    const step = (n: number) => r.stdout.slice(r.stdout.indexOf(`Step ${n}/8`), n === 8 ? undefined : r.stdout.indexOf(`Step ${n + 1}/8`))
    expect(step(7)).toContain('— on nginx (root@127.0.0.2)')
    expect(step(7)).toContain('[Ubuntu]')
    expect(step(7)).not.toContain('[Debian')
    expect(step(2)).toContain('[Debian]')
    expect(step(2)).not.toContain('[Ubuntu')
    expect(step(6)).toContain('— on local + nginx (root@127.0.0.2)')
    expect(step(6)).toMatch(/\[Debian\][\s\S]*\[Ubuntu\]/)
    expect(step(8)).toContain('— on nginx (root@127.0.0.2)')
    const json = JSON.parse(runCli(['run', 'separate-postanalytics', '--dry-run', '--json', '--host', 'nginx=root@127.0.0.2', '--os', 'nginx=ubuntu:22.04', '--os', 'debian:11', '--procedure', 'manual']).stdout)
    expect(json.hosts.map((h: {role: string; destination?: string; runs: boolean; platform: {id: string}}) => [h.role, h.platform.id, h.destination ?? null, h.runs])).toEqual([
      ['local', 'debian', null, true],
      ['nginx', 'ubuntu', 'root@127.0.0.2', true],
    ])
  })

  it('names the roles of the page when --host names another', () => {
    const r = runCli(['run', 'separate-postanalytics', '--dry-run', '--host', 'web=root@127.0.0.2', '--os', 'web=ubuntu:22.04'])
    expect(r.code).toBe(2)
    expect(r.stderr).toBe("runbook: --host web=…: this page has no host role 'web'. Its roles are: local, nginx.\n")
  })
})

describe.skipIf(sshdMissing !== undefined)('two hosts over a real sshd', () => {
  let sshd: Sshd
  let dir: string
  // TMPDIR: the runs' control sockets go in the test's folder, so that a killed runner's are removed with it.
  const env = () => ({RUNBOOK_SSH_CONFIG: sshd.sshConfig, RUNBOOK_API_TOKEN: TOKEN, TMPDIR: join(dir, 'tmp')})

  beforeAll(async () => {
    sshd = await startSshd(UBUNTU)
    dir = mkdtempSync(join(tmpdir(), 'runbook-two-hosts-'))
    execFileSync('mkdir', ['-p', join(dir, 'tmp')])
  }, 60_000)

  afterAll(async () => {
    await sshd?.stop()
    if (dir) rmSync(dir, {recursive: true, force: true})
  })

  /** One scenario's folders: this host's state, the web host's run folders and the folder its steps write to. */
  function scenario(name: string) {
    const root = join(dir, name)
    const conf = join(root, 'conf')
    execFileSync('mkdir', ['-p', conf, join(root, 'state'), join(root, 'remote')])
    const inventory = join(root, 'inventory.ini')
    writeFileSync(inventory, `[web]\nhost = ${SSH_HOST}\nport = ${SSH_PORT}\nuser = root\ndir = ${join(root, 'remote')}\n`)
    const args = (pause: number) => ['--no-tui', '--inventory', inventory, '--state-dir', join(root, 'state'), '--set', `CONF_DIR=${conf}`, '--set', `PAUSE=${pause}`]
    const starts = () => (existsSync(join(conf, 'starts')) ? readFileSync(join(conf, 'starts'), 'utf8').split('\n').filter(Boolean).length : 0)
    const runId = () => readdirSync(join(root, 'state', 'runs'))[0]!
    const state = () => JSON.parse(readFileSync(join(root, 'state', 'runs', runId(), 'state.json'), 'utf8'))
    return {root, conf, args, starts, runId, state}
  }

  function filesUnder(path: string): string[] {
    if (!existsSync(path)) return []
    return statSync(path).isDirectory() ? readdirSync(path).flatMap((name) => filesUnder(join(path, name))) : [path]
  }

  it('runs each role on its host with its own tab, fails remotely, resumes after the fix, and rolls back both hosts', () => {
    const s = scenario('flow')
    const first = runCli(['run', page, ...s.args(0)], {env: env(), timeout: 300_000})
    expect(first.code).toBe(1)
    expect(first.stdout).toContain('==> Step 2/4: Write the web configuration [on web (root@127.0.0.2:2222)]')
    expect(first.stdout).toContain(`Command \`test -f '${s.conf}'/ready\` exited with code 1 on root@127.0.0.2:2222.`)
    // The web host is "Ubuntu 22.04" (its os-release), so its step took the Ubuntu tab.
    expect(readFileSync(join(s.conf, 'web.conf'), 'utf8')).toBe('ubuntu\n')
    const st = s.state()
    expect(st.steps.map((x: {status: string; hosts?: string[]}) => [x.status, x.hosts])).toEqual([['done', ['local']], ['done', ['web']], ['done', ['web']], ['failed', ['web']]])
    expect(st.hosts.find((h: {role: string}) => h.role === 'web').destination).toEqual({role: 'web', host: SSH_HOST, port: SSH_PORT, user: 'root', dir: join(s.root, 'remote')})
    // The remote step's log is kept here.
    const log = readFileSync(join(s.root, 'state', 'runs', s.runId(), 'logs', '04-check-the-web-module-answers.log'), 'utf8')
    expect(log).toContain(`# on root@127.0.0.2:2222`)
    expect(log).toContain('runbook: line 1 exited with 1')
    // The token went to the web host's step on stdin: it is in no file on either side.
    for (const file of [...filesUnder(join(s.root, 'state')), ...filesUnder(join(s.root, 'remote')), ...filesUnder(s.conf)]) {
      expect(readFileSync(file).includes(TOKEN), file).toBe(false)
    }

    writeFileSync(join(s.conf, 'ready'), '')
    const resumed = runCli(['run', page, '--resume', ...s.args(0)], {env: env(), timeout: 300_000})
    expect(resumed.code).toBe(0)
    expect(resumed.stdout).toContain('- Step 3 skipped (done before)')
    expect(s.starts()).toBe(1)
    expect(s.state().status).toBe('done')

    const back = runCli(['rollback', s.runId(), '--yes', '--state-dir', join(s.root, 'state')], {env: env(), timeout: 300_000})
    expect(back.stderr).toBe('')
    expect(back.code).toBe(0)
    expect(back.stdout).toContain(`  ok on web (root@127.0.0.2:2222), put back ${join(s.conf, 'starts')} as they were (checked afterwards)`)
    expect(back.stdout).toContain(`  ok on web (root@127.0.0.2:2222), put back ${join(s.conf, 'web.conf')}, `)
    expect(existsSync(join(s.conf, 'web.conf'))).toBe(false)
    expect(existsSync(join(s.root, 'state', 'runs', s.runId(), 'work', 'app.txt'))).toBe(false)
  }, 600_000)

  it('a runner killed during a remote step: the step is not run twice on resume, and the secret never shows in ps', async () => {
    const s = scenario('kill')
    const child = spawn(process.execPath, [cliPath, 'run', page, ...s.args(6)], {env: {...process.env, ...env(), NO_COLOR: '1'}, stdio: 'ignore'})
    const seen: string[] = []
    const exited = new Promise((r) => child.once('exit', r))
    let gone = false
    void exited.then(() => (gone = true))
    while (s.starts() === 0) {
      if (gone) throw new Error('the runner ended before the remote step started')
      seen.push(execFileSync('ps', ['-eo', 'args'], {encoding: 'utf8'}))
      await new Promise((r) => setTimeout(r, 200))
    }
    seen.push(execFileSync('ps', ['-eo', 'args'], {encoding: 'utf8'}))
    expect(seen.some((ps) => ps.includes(TOKEN))).toBe(false)
    child.kill('SIGKILL')
    await exited
    writeFileSync(join(s.conf, 'ready'), '')
    const resumed = runCli(['run', page, '--resume', ...s.args(0)], {env: env(), timeout: 300_000})
    expect(resumed.code).toBe(0)
    expect(resumed.stdout).toMatch(/Step 3: (its command from the stopped run is still running on web|the command `echo started >> .*` finished on web after the runner stopped)/)
    expect(s.starts()).toBe(1)
  }, 600_000)

  it('a dropped connection leaves the step interrupted; a resume finishes it without a second run', async () => {
    const s = scenario('drop')
    const child = spawn(process.execPath, [cliPath, 'run', page, ...s.args(8)], {env: {...process.env, ...env(), NO_COLOR: '1'}, stdio: ['ignore', 'pipe', 'pipe']})
    let out = ''
    child.stdout.on('data', (b: Buffer) => (out += b.toString()))
    const exited = new Promise((r) => child.once('exit', r))
    let gone = false
    void exited.then(() => (gone = true))
    while (s.starts() === 0) {
      if (gone) throw new Error(`the runner ended before the remote step started: ${out}`)
      await new Promise((r) => setTimeout(r, 200))
    }
    for (const pid of sshd.sessions()) {
      try {
        process.kill(pid, 'SIGKILL')
      } catch {
        // that session already ended
      }
    }
    const code = await exited
    expect(code).toBe(130)
    expect(out).toMatch(/✗ Step 3 interrupted/)
    expect(out).toContain('lost the connection to root@127.0.0.2:2222')
    expect(s.state().steps[2].status).toBe('interrupted')
    writeFileSync(join(s.conf, 'ready'), '')
    const resumed = runCli(['run', page, '--resume', ...s.args(0)], {env: env(), timeout: 300_000})
    expect(resumed.code).toBe(0)
    expect(s.starts()).toBe(1)
  }, 600_000)

  // What a resume learns from the other machine about a step a killed runner left (SshTarget.leftover), in each
  // state the remote wrapper passes through, built from the files and processes it leaves: each state holds as long
  // as the test needs. The one that ran a step twice in CI: the step's group ended, its status not yet written.
  const live: ChildProcess[] = []
  let leftoverTarget: SshTarget | undefined
  const target = () => (leftoverTarget ??= new SshTarget({role: 'web', host: SSH_HOST, port: SSH_PORT, user: 'root', dir: join(dir, 'leftover'), sshConfig: sshd.sshConfig}, {batch: true}))
  afterAll(async () => {
    for (const child of live) child.kill('SIGKILL')
    await leftoverTarget?.close()
  })

  /** A process that stands for the wrapper or the step's group leader (its own group), until killed. */
  function alive(): number {
    const child = spawn('sleep', ['300'], {detached: true, stdio: 'ignore'})
    live.push(child)
    return child.pid!
  }
  async function gone(): Promise<number> {
    const child = spawn('true', {detached: true, stdio: 'ignore'})
    await new Promise((r) => child.once('exit', r))
    return child.pid!
  }

  let n = 0
  /** The step's files as the wrapper leaves them: `wrapper` and `pid` hold a process id, `rc` a status. */
  function step(files: {wrapper?: number; pid?: number; rc?: number}): string {
    const tag = `s${++n}.a1`
    const steps = join(dir, 'leftover', 'runs', 'r1', 'steps')
    mkdirSync(steps, {recursive: true})
    for (const [ext, value] of Object.entries(files)) writeFileSync(join(steps, `${tag}.${ext}`), `${value}\n`)
    return tag
  }

  it('is running while its group or its wrapper lives, finished once the wrapper wrote the status and went, unknown otherwise', async () => {
    const wrapper = alive()
    const group = alive()
    // The step runs.
    expect(await target().leftover('r1', step({wrapper, pid: group}))).toEqual({state: 'running'})
    // The step's group ended, its status not yet on disk: only the wrapper is left (this was "none", and the step ran twice).
    expect(await target().leftover('r1', step({wrapper, pid: await gone()}))).toEqual({state: 'running'})
    // The status is written and the wrapper still removing its files: still its own to finish.
    expect(await target().leftover('r1', step({wrapper, pid: await gone(), rc: 0}))).toEqual({state: 'running'})
    // The wrapper killed while the step runs on (its own session): running.
    expect(await target().leftover('r1', step({wrapper: await gone(), pid: group}))).toEqual({state: 'running'})
    // Both gone, the status written: finished, with it.
    expect(await target().leftover('r1', step({rc: 3}))).toEqual({state: 'finished', status: 3})
    // Both gone and no status (the wrapper was killed first): nothing is known.
    expect(await target().leftover('r1', step({wrapper: await gone(), pid: await gone()}))).toEqual({state: 'none'})
    expect(await target().leftover('r1', step({}))).toEqual({state: 'none'})
  }, 60_000)

})
