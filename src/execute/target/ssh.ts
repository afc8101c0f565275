/**
 * Another machine, through the system OpenSSH client: the user's
 * ~/.ssh/config, keys and agent apply as they do for `ssh` itself. One master
 * connection per target (ControlMaster, its socket in a private temp folder)
 * makes each step one round trip. BatchMode unless a person is at a terminal
 * to answer a host key or passphrase question.
 *
 * A step goes to the remote bash on stdin, never in argv (so no value shows in
 * `ps` on either machine), and runs there in its own session (setsid), so
 * Ctrl-C stops its whole process group. The remote wrapper records the step's
 * group in `<dir>/runs/<id>/steps/<tag>.pid`, itself in `<tag>.wrapper` and
 * the status in `<tag>.rc`: a runner killed mid-step finds the step there on
 * resume and takes its result instead of running it a second time. The status comes back after a
 * random marker on stderr; an ssh that ends without it lost the connection.
 */
import {spawn} from 'node:child_process'
import {randomBytes} from 'node:crypto'
import {mkdtempSync, readFileSync, rmSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {watchFailedLine, withFailedLine, type ScriptOptions, type ScriptResult} from '../process.js'
import {OutputPump} from '../output-pump.js'
import {MarkedStream} from '../marked-stream.js'
import {ERR_TRAP, NON_INTERACTIVE} from '../shell-host.js'
import {describeDestination, type Destination} from './destination.js'
import type {ExecResult, Target} from './types.js'
import {onClose} from './cleanup.js'

/** Quoted for the remote login shell, which joins and re-reads ssh's arguments. */
export function shq(word: string): string {
  return `'${word.replace(/'/g, `'\\''`)}'`
}

/**
 * The remote side of a step. `$1` run folder, `$2` tag, `$3` marker, `$4` run id.
 * The script arrives on stdin, NUL-terminated; the step's own stdin is /dev/null.
 */
const STEP_WRAPPER = `trap '' HUP PIPE
d=$1 tag=$2 mark=$3
mkdir -p -- "$d/work" "$d/steps" || exit 97
IFS= read -r -d '' S
cd -- "$d/work" || exit 97
export RUNBOOK_RUN_ID=$4 RUNBOOK_RUN_DIR=$d RUNBOOK_WORK_DIR=$d/work${Object.entries(NON_INTERACTIVE).map(([k, v]) => ` ${k}=${v}`).join('')}
rm -f -- "$d/steps/$tag.rc"
printf '%s\\n' "$$" > "$d/steps/$tag.wrapper"
printf '%s' "$S" | setsid bash --noprofile --norc -e -o pipefail -c 'RUNBOOK_S=$(cat); exec </dev/null; RUNBOOK_LINE0=$LINENO; ${ERR_TRAP.replace(/'/g, `'\\''`)}; eval "unset RUNBOOK_S; $RUNBOOK_S"' runbook &
pid=$!
unset S
printf '%s\\n' "$pid" > "$d/steps/$tag.pid"
wait "$pid"
rc=$?
printf '%s\\n' "$rc" > "$d/steps/$tag.rc.part" && mv -f -- "$d/steps/$tag.rc.part" "$d/steps/$tag.rc"
rm -f -- "$d/steps/$tag.pid" "$d/steps/$tag.wrapper"
printf '%s%s\\n' "$mark" "$rc" >&2
`

/** Runs a script read from stdin up to a NUL; whatever follows on stdin is the script's own. */
const EXEC_WRAPPER = `IFS= read -r -d '' S; eval "$S"`

export class SshTarget implements Target {
  readonly kind = 'ssh' as const
  readonly role: string
  readonly label: string
  private readonly controlDir: string
  private readonly batch: boolean

  constructor(readonly destination: Destination, options: {batch?: boolean} = {}) {
    this.role = destination.role
    this.label = describeDestination(destination)
    this.batch = options.batch ?? !process.stdin.isTTY
    // Private: the socket is as good as a logged-in session.
    this.controlDir = mkdtempSync(join(tmpdir(), 'runbook-ssh-'))
  }

  /**
   * One destination per folder, so a one-letter name: `%C` (40 hex) plus the 17 characters ssh
   * appends while it binds overflowed the 108-byte socket path under a deep TMPDIR.
   */
  private get controlPath(): string {
    return join(this.controlDir, 'c')
  }

  /** The run folder on that machine; `~` is the remote user's home, expanded there. */
  runDir(runId: string): string {
    return `${this.destination.dir ?? '~/.local/state/runbook'}/runs/${runId}`
  }

  workDir(runId: string): string {
    return `${this.runDir(runId)}/work`
  }

  private home: Promise<string> | undefined

  /** The work folder with `~` expanded on that machine: relative paths of its steps resolve against it. */
  async absoluteWorkDir(runId: string): Promise<string> {
    const dir = this.workDir(runId)
    if (!dir.startsWith('~/')) return dir
    this.home ??= this.exec('printf %s "$HOME"').then((r) => r.stdout.toString('utf8'))
    return `${await this.home}${dir.slice(1)}`
  }

  /** Where ssh reads its settings from: the destination's file, `RUNBOOK_SSH_CONFIG`, else the user's own. */
  private configArgs(): string[] {
    const d = this.destination
    const config = d.sshConfig ?? process.env.RUNBOOK_SSH_CONFIG
    return [...(config ? ['-F', config] : []), ...(d.identity ? ['-i', d.identity] : [])]
  }

  private master: Promise<string | undefined> | undefined

  /**
   * The master connection, started once in the background (-f) with its log in
   * the private folder: a master forked by a client would hold that client's
   * pipes open for as long as it lives. Resolves to ssh's complaint if it failed.
   */
  private openMaster(): Promise<string | undefined> {
    this.master ??= new Promise((resolve) => {
      const log = join(this.controlDir, 'master.log')
      const child = spawn('ssh', ['-M', '-N', '-f', '-E', log, ...this.sshArgs(undefined)], {stdio: 'ignore'})
      child.once('error', (error) => resolve(`could not start ssh (${error.message})`))
      child.once('close', (code) => {
        if (code === 0) return resolve(undefined)
        let why = ''
        try {
          why = readFileSync(log, 'utf8').trim().split('\n').pop() ?? ''
        } catch {
          // no log: ssh said nothing
        }
        resolve(why || `ssh exited with ${code}`)
      })
    })
    return this.master
  }

  sshArgs(remote: string | undefined): string[] {
    const d = this.destination
    return [
      ...this.configArgs(),
      '-o', 'ControlMaster=auto',
      '-o', `ControlPath=${this.controlPath}`,
      // The master outlives a killed runner by this much, then goes.
      '-o', 'ControlPersist=60',
      '-o', `BatchMode=${this.batch ? 'yes' : 'no'}`,
      '-o', 'ServerAliveInterval=5',
      '-o', 'ServerAliveCountMax=3',
      '-T',
      ...(d.port ? ['-p', String(d.port)] : []),
      ...(d.user ? ['-l', d.user] : []),
      '--', d.host, ...(remote === undefined ? [] : [remote]),
    ]
  }

  /** The remote command line: bash with a fixed program and arguments that hold no value of the page. */
  private remote(program: string, args: string[]): string {
    const bash = `bash --noprofile --norc -c ${shq(program)} runbook ${args.map(shq).join(' ')}`
    // `~` must reach the remote shell unquoted to be expanded there.
    const expanded = bash.replace(/'~\//g, `~/'`)
    return this.destination.become ? `sudo -n -- ${expanded}` : expanded
  }

  async exec(script: string, input?: Buffer): Promise<ExecResult> {
    const failed = await this.openMaster()
    if (failed) return {code: 255, stdout: Buffer.alloc(0), stderr: failed}
    return new Promise((resolve) => {
      const child = spawn('ssh', this.sshArgs(this.remote(EXEC_WRAPPER, [])), {stdio: ['pipe', 'pipe', 'pipe'], detached: true})
      const out: Buffer[] = []
      let err = ''
      child.stdout.on('data', (b: Buffer) => out.push(b))
      child.stderr.setEncoding('utf8').on('data', (s: string) => (err += s))
      child.stdin.on('error', () => {})
      child.stdin.write(script + '\0')
      child.stdin.end(input)
      child.once('error', (error) => resolve({code: null, stdout: Buffer.alloc(0), stderr: `could not start ssh (${error.message})`}))
      child.once('close', (code) => resolve({code, stdout: Buffer.concat(out), stderr: err}))
    })
  }

  async runStep(opts: ScriptOptions & {runId: string; tag: string}): Promise<ScriptResult> {
    const startedAt = new Date()
    const failed = await this.openMaster()
    if (failed) return {startedAt, endedAt: new Date(), lost: true, error: opts.masker.mask(`could not connect to ${this.label} (${failed})`)}
    const marker = `\x1erunbook-exit:${randomBytes(8).toString('hex')}:`
    const dir = this.runDir(opts.runId)
    const watch = watchFailedLine(opts)
    const child = spawn('ssh', this.sshArgs(this.remote(STEP_WRAPPER, [dir, opts.tag, marker, opts.runId])), {stdio: ['pipe', 'pipe', 'pipe'], detached: true})
    child.stdin.on('error', () => {})
    child.stdin.end(opts.script + '\0')
    const stdout = new OutputPump('stdout', watch.options)
    const stderr = new OutputPump('stderr', watch.options)
    child.stdout.on('data', (b: Buffer) => stdout.take(b))
    // Bytes after the marker are the status; ssh's own complaints (connection lost) come after nothing.
    let status = ''
    let marked = false
    const err = new MarkedStream(child.stderr, Buffer.from(marker))
    const tail: string[] = []
    err.attach({take: (b) => (stderr.take(b), tail.push(b.toString('utf8')), tail.length > 20 && tail.shift())}, () => {
      marked = true
      err.attach({take: (b) => (status += b.toString('utf8'))}, () => {})
    })
    const stop = () => void this.signalStep(dir, opts.tag, opts.interrupts?.graceMs ?? 3000)
    opts.interrupts?.onInterrupt(stop)
    if (opts.interrupts?.interrupted) stop()
    const code = await new Promise<number | null>((resolve) => {
      child.once('error', () => resolve(null))
      child.once('close', (c) => resolve(c))
    })
    stdout.end()
    stderr.end()
    const result: ScriptResult = {startedAt, endedAt: new Date()}
    const rc = /^(\d+)/.exec(status)?.[1]
    if (marked && rc !== undefined) {
      const n = Number(rc)
      if (opts.interrupts?.interrupted && n > 128) result.signal = n === 143 ? 'SIGTERM' : n === 137 ? 'SIGKILL' : `signal ${n - 128}`
      else result.exitCode = n
      await this.exec(`rm -f -- ${shqPath(`${dir}/steps/${opts.tag}.rc`)}`)
      withFailedLine(result, watch.line())
    } else {
      const why = tail.join('').trim().split('\n').filter((l) => !l.startsWith('runbook:')).pop() ?? ''
      result.lost = true
      result.error = opts.masker.mask(`lost the connection to ${this.label} (ssh exited with ${code ?? 'an error'}${why ? `: ${why}` : ''})`)
    }
    return result
  }

  /** Ctrl-C: the step's group on that machine gets SIGTERM, then SIGKILL after the grace period. */
  private async signalStep(dir: string, tag: string, graceMs: number): Promise<void> {
    const pidFile = shqPath(`${dir}/steps/${tag}.pid`)
    const signal = (sig: string) => this.exec(`p=$(cat -- ${pidFile} 2>/dev/null) && kill -${sig} -- "-$p" 2>/dev/null; true`)
    await signal('TERM')
    await new Promise((r) => setTimeout(r, graceMs).unref())
    await signal('KILL')
  }

  /**
   * What the remote side knows of a step started by a runner that is gone:
   * still running, finished with a status, or nothing. Alive is asked first,
   * the wrapper included: between the step's end and its status on disk only
   * the wrapper is left, and a step taken for gone there was run a second time.
   * A wrapper that is gone has written the status, unless it was killed.
   */
  async leftover(runId: string, tag: string): Promise<{state: 'running'} | {state: 'finished'; status: number} | {state: 'none'}> {
    const base = shqPath(`${this.runDir(runId)}/steps/${tag}`)
    const alive = (file: string, group: boolean) => `{ p=$(cat -- ${base}.${file} 2>/dev/null) && kill -0 -- "${group ? '-' : ''}$p" 2>/dev/null; }`
    const r = await this.exec(`if ${alive('wrapper', false)} || ${alive('pid', true)}; then echo running; elif [ -f ${base}.rc ]; then echo "finished $(cat -- ${base}.rc)"; else echo none; fi`)
    const [state, status] = r.stdout.toString('utf8').trim().split(' ')
    if (state === 'running') return {state}
    if (state === 'finished' && status !== undefined && /^\d+$/.test(status)) return {state, status: Number(status)}
    return {state: 'none'}
  }

  async claim(runId: string, tag: string): Promise<void> {
    await this.exec(`rm -f -- ${shqPath(`${this.runDir(runId)}/steps/${tag}`)}.rc`)
  }

  async close(): Promise<void> {
    this.master = undefined
    await new Promise<void>((resolve) => {
      const child = spawn('ssh', [...this.configArgs(), '-o', `ControlPath=${this.controlPath}`, '-O', 'exit', ...(this.destination.port ? ['-p', String(this.destination.port)] : []), ...(this.destination.user ? ['-l', this.destination.user] : []), '--', this.destination.host], {stdio: 'ignore'})
      child.once('error', () => resolve())
      child.once('close', () => resolve())
    })
    rmSync(this.controlDir, {recursive: true, force: true})
  }
}

/** A path for a remote shell: quoted, with a leading `~/` left for that shell to expand. */
export function shqPath(path: string): string {
  return path.startsWith('~/') ? `~/${shq(path.slice(2))}` : shq(path)
}

/** One connection per destination for the whole process: the platform read before planning and the run share it. */
const shared = new Map<string, SshTarget>()

export function sshTarget(destination: Destination): SshTarget {
  const key = JSON.stringify(destination)
  let target = shared.get(key)
  if (!target) {
    target = new SshTarget(destination)
    shared.set(key, target)
    onClose(closeSshTargets)
  }
  return target
}

/** Ends every shared connection and removes its private folder. */
export async function closeSshTargets(): Promise<void> {
  const all = [...shared.values()]
  shared.clear()
  await Promise.all(all.map((t) => t.close()))
}
