/**
 * The run's shell: one bash that stays up for the whole run and forks a
 * subshell per step, instead of a new bash (and a Node spawn) per step, which
 * cost ten times what the steps of a typical guide do. Each step still gets
 * what a fresh `bash -e -o pipefail` gave it: its own process group (job
 * control), the run's work folder as its directory, stdin from /dev/null, no
 * variables of an earlier step, the failing line named.
 *
 * The protocol: a script goes in on the shell's stdin, NUL-terminated (never
 * in argv, so secrets stay out of `ps`). On fd 3 the shell says `start <pid>`
 * and `end <pid> <status> <left>` (and once, `pipes <bytes>`: GROW_PIPES);
 * after each step it writes a marker on stdout and stderr, so the bytes
 * before it are that step's output.
 *
 * This one long-lived process is spawned with node:child_process rather than
 * execa: it needs none of execa's result handling, and loading execa would
 * cost a quick run more than its steps do (see lazy-execa.ts). Every process
 * the engine starts for a single command still goes through execa.
 */
import {spawn, type ChildProcess} from 'node:child_process'
import {randomBytes} from 'node:crypto'
import type {Readable, Writable} from 'node:stream'
import {MarkedStream, type ByteSink} from './marked-stream.js'
import {outputPipes} from './output-pipes.js'
import {groupHoldsOutput} from './pipe-holders.js'
import {signalGroup} from './interrupt.js'

/** When the shell dies under a step: how long the step's group gets between SIGTERM and SIGKILL, and its output to drain. */
const ORPHAN_GRACE_MS = 1000

/** No step of the run's shell has the terminal: package managers must not ask. */
export const NON_INTERACTIVE = {DEBIAN_FRONTEND: 'noninteractive'}

/** The ERR trap names the failing line: LINENO in eval counts on from the line the eval is on. */
export const ERR_TRAP = `trap 'printf "runbook: line %s exited with %s\\n" "$((LINENO - RUNBOOK_LINE0 + 1))" "$?" >&2' ERR`

/**
 * The shell must not outlive the runner, nor leave its step running: a
 * watcher (in the shell's own group, started before job control) blocks on
 * fd 4, a pipe whose other end only the runner holds. When the runner dies,
 * even by SIGKILL, the kernel closes that end; the watcher's read returns and
 * it signals the shell, whose trap interrupts \`wait\`, stops the step's group
 * (SIGTERM, then SIGKILL a second later) and exits. A shell ending normally
 * (stdin closed) takes its watcher with it; a watcher whose shell died first
 * (it is no longer the shell's child) signals nobody: that pid may be reused.
 * The shell ignores SIGPIPE: a runner that dies between a step's fork and the
 * shell's `start` line (or its markers) made that write kill the shell before
 * the watcher's signal came, and the step ran on, orphaned. Ignored, not
 * caught: a caught signal interrupts `wait`, and bash 5.2 waiting again for a
 * step that ended meanwhile returned -1 or blocked for good (seen under load).
 * Each step puts SIGPIPE back to its default first (`trap - PIPE`), so its
 * commands die of it as in any shell.
 */
const RUNNER_WATCH = `{ read -r -u 4 _; read -r _ _ _ RUNBOOK_PPID _ </proc/$BASHPID/stat; [ "$RUNBOOK_PPID" = $$ ] && kill -USR1 $$; } </dev/null >/dev/null 2>&1 3>&- &
RUNBOOK_WATCH=$!
exec 4<&-
trap 'kill "$RUNBOOK_WATCH" 2>/dev/null' EXIT
trap '' PIPE
trap 'if [ -n "\${RUNBOOK_PID-}" ]; then kill -TERM -- "-$RUNBOOK_PID" 2>/dev/null; sleep 1; kill -KILL -- "-$RUNBOOK_PID" 2>/dev/null; fi; exit 129' USR1`

/**
 * The shell's setup, run first (from its third argument): the watcher, job
 * control, the prelude. `set -m` puts every step in its own process group;
 * the step turns it off again so that its own background jobs stay in its
 * group (Ctrl-C reaches them).
 */
function hostSetup(prelude: string): string {
  return `${RUNNER_WATCH}
${GROW_PIPES}
set -m
${prelude}`
}

/**
 * The size asked for the output pipes: what Linux allows any user by default
 * (/proc/sys/fs/pipe-max-size). A user's pipes share a soft limit
 * (pipe-user-pages-soft, 64 MiB by default; root is exempt): two megabytes
 * per run, and past the limit the kernel refuses, and the pipes stay as they are.
 */
const PIPE_BYTES = 1024 * 1024

/**
 * The output pipes made a megabyte, so that a flood is read in bursts
 * (marked-stream.ts). Node cannot call fcntl(F_SETPIPE_SZ), so perl does
 * (perl-base is part of every Debian and Ubuntu system; without perl the
 * pipes keep their 64 KiB and are read as output comes). It runs in the
 * background so that the first step does not wait for it, on copies of the
 * pipes (fds 7 and 8), its own stdout and stderr going to /dev/null so that a
 * warning of perl's is never taken for output; it tells the runner the
 * smaller of the two sizes it got (0 when it got none) on the control pipe.
 * Disowned, so that the shell never reports the job's end (bash prints
 * "[2] Done" on stderr when it sees fit, which would count as stray output).
 */
const GROW_PIPES = `command -v perl >/dev/null 2>&1 && perl -e 'open(my $c, ">&=", 3) or exit; my $min; for my $fd (7, 8) { my $p; my $got = 0 + (open($p, ">&=", $fd) && fcntl($p, 1031, ${PIPE_BYTES}) || 0); $min = $got if !defined $min || $got < $min } print $c "pipes $min\\n"' 7>&1 8>&2 >/dev/null 2>&1 &
disown`

/**
 * The loop, on one line: the step's `eval` then sits on line 1 of the shell's
 * script, so bash's own messages count the step's lines (`line 3: x: command
 * not found` for its third line, not the loop's). The positional parameters
 * are cleared first: a step's `$1`, `$#` and `"$@"` are empty, as in a fresh
 * shell (they held the marker and the folder). The loop's variables are unset
 * inside the step before its first line runs.
 */
const HOST_LOOP = [
  'eval "$3"',
  'RUNBOOK_MARK=$1 RUNBOOK_CWD=$2',
  'set --',
  `while IFS= read -r -d '' RUNBOOK_SCRIPT; do ( trap - PIPE; set +m -e -o pipefail; cd -- "$RUNBOOK_CWD"; RUNBOOK_LINE0=$LINENO; ${ERR_TRAP}; eval "unset RUNBOOK_SCRIPT RUNBOOK_MARK RUNBOOK_CWD RUNBOOK_WATCH; $RUNBOOK_SCRIPT" ) </dev/null 3>&- & RUNBOOK_PID=$!`,
  'unset RUNBOOK_SCRIPT',
  `printf 'start %s\\n' "$RUNBOOK_PID" >&3`,
  'wait "$RUNBOOK_PID" 2>/dev/null',
  'RUNBOOK_RC=$?',
  'RUNBOOK_LEFT=0',
  'if kill -0 -- "-$RUNBOOK_PID" 2>/dev/null; then RUNBOOK_LEFT=1; fi',
  `printf '%s' "$RUNBOOK_MARK"`,
  `printf '%s' "$RUNBOOK_MARK" >&2`,
  `printf 'end %s %s %s\\n' "$RUNBOOK_PID" "$RUNBOOK_RC" "$RUNBOOK_LEFT" >&3`,
  'unset RUNBOOK_PID RUNBOOK_RC RUNBOOK_LEFT',
  'done',
].join('; ')

export interface HostSettings {
  cwd: string
  /** Added to the runner's environment (with DEBIAN_FRONTEND=noninteractive: no step has the terminal). */
  env: Record<string, string>
  /** Shell code run once when the shell starts (the sudo stand-in); never holds a value. */
  prelude: string
}

export interface HostRun {
  script: string
  stdout: ByteSink & {end(): void}
  stderr: ByteSink & {end(): void}
  /** The step's process (and group) id, as soon as it exists. */
  onStart(pid: number): void
  /** After the step's shell exited: how long its output may go on before we stop waiting (a leftover `server &`). */
  lingerMs: number
}

export interface HostOutcome {
  /** The step shell's status, as bash's `wait` gives it (128+N after signal N). */
  status?: number
  pid?: number
  /** A process of the step kept writing to the output after the step's shell exited. */
  lingering: boolean
  /** The shell itself failed (it could not start, or it died). */
  error?: string
}

/** The step now running, and what the shell said about it so far. */
interface Step {
  job: HostRun
  resolve: (outcome: HostOutcome) => void
  markers: number
  /** Past the end: lingering or finished; nothing the shell says changes it now. */
  settling?: boolean
  pid?: number
  status?: number
  left?: boolean
}

export class ShellHost {
  private readonly process: ChildProcess
  private readonly stdin: Writable
  private readonly out: MarkedStream
  private readonly err: MarkedStream
  /** The control pipe closed: every line the shell wrote to it has been read. */
  private readonly controlClosed: Promise<unknown>
  private step: Step | undefined
  private control = ''
  private dead: string | undefined
  /** No more steps go to this shell (it died, or a leftover process writes to its pipes). */
  private retired = false

  constructor(settings: HostSettings) {
    const marker = `\x1erunbook:${randomBytes(12).toString('hex')}\x1f`
    // Its own session: the terminal's Ctrl-C reaches the runner alone, which stops the step's group itself.
    // The steps write to real pipes (output-pipes.ts: /dev/stdout and /dev/stderr open), or to Node's sockets where no FIFO can be made.
    const pipes = outputPipes(2)
    try {
      this.process = spawn('bash', ['--noprofile', '--norc', '-c', HOST_LOOP, 'runbook', marker, settings.cwd, hostSetup(settings.prelude)], {
        cwd: settings.cwd,
        env: {...process.env, ...NON_INTERACTIVE, ...settings.env},
        stdio: ['pipe', pipes?.writers[0] ?? 'pipe', pipes?.writers[1] ?? 'pipe', 'pipe', 'pipe'],
        detached: true,
      })
    } finally {
      pipes?.closeWriters()
    }
    this.stdin = this.process.stdin!
    // A shell that died is reported by onExit; the failed write adds nothing.
    this.stdin.on('error', () => {})
    const bytes = Buffer.from(marker)
    this.out = new MarkedStream(pipes?.readers[0] ?? this.process.stdout!, bytes)
    this.err = new MarkedStream(pipes?.readers[1] ?? this.process.stderr!, bytes)
    const control = this.process.stdio[3] as Readable
    control.setEncoding('utf8')
    control.on('data', (text: string) => this.onControl(text))
    this.controlClosed = new Promise((resolve) => control.once('close', resolve))
    this.process.once('error', (error) => this.onExit(`could not start (${error.message})`))
    this.process.once('exit', (code, signal) => this.onExit(signal ? `was killed by ${signal}` : `exited with ${code}`))
  }

  /** True when the shell is up and said nothing since the last step: its pipes belong to the next step alone. */
  get usable(): boolean {
    return !this.retired && !this.dead && !this.out.stray && !this.err.stray
  }

  run(job: HostRun): Promise<HostOutcome> {
    if (this.step) throw new Error('the shell runs one step at a time')
    if (this.dead) return Promise.resolve({lingering: false, error: `the run's shell ${this.dead}`})
    return new Promise<HostOutcome>((resolve) => {
      const step: Step = {job, resolve, markers: 0}
      this.step = step
      const marked = () => {
        step.markers++
        this.maybeDone(step)
      }
      this.out.attach(job.stdout, marked)
      this.err.attach(job.stderr, marked)
      this.stdin.write(job.script + '\0')
    })
  }

  /** Ends the shell: it reads EOF and exits; a leftover holding its pipes keeps nothing of ours alive. */
  close(): void {
    this.retired = true
    this.stdin.end()
    this.out.abandon()
    this.err.abandon()
    ;(this.process.stdio[3] as Readable & {unref?: () => void}).unref?.()
    // The watcher's pipe: closing it ends the watcher (and the shell, which has no step running now).
    ;(this.process.stdio[4] as Readable).destroy()
    this.process.unref()
  }

  private onControl(text: string): void {
    this.control += text
    for (let nl = this.control.indexOf('\n'); nl !== -1; nl = this.control.indexOf('\n')) {
      const [kind, pid, status, left] = this.control.slice(0, nl).split(' ')
      this.control = this.control.slice(nl + 1)
      if (kind === 'pipes') {
        // `pipes <bytes>`: what GROW_PIPES got.
        const bytes = Number(pid)
        this.out.readInBursts(bytes)
        this.err.readInBursts(bytes)
        continue
      }
      const step = this.step
      if (!step) continue
      if (kind === 'start') {
        step.pid = Number(pid)
        step.job.onStart(step.pid)
      } else if (kind === 'end') {
        step.status = Number(status)
        step.left = left === '1'
        this.maybeDone(step)
      }
    }
  }

  /** Done when the shell reported the status and both markers are in, unless a leftover process still writes. */
  private maybeDone(step: Step): void {
    if (step.status === undefined || step.markers < 2 || step.settling) return
    step.settling = true
    if (step.left && step.pid !== undefined && groupHoldsOutput(step.pid, this.process.pid!)) void this.linger(step)
    else this.finish(step, false)
  }

  /** A leftover process of the step holds the pipes: its output counts for the step until it goes quiet, then the shell is retired. */
  private async linger(step: Step): Promise<void> {
    const {job} = step
    let last = Date.now()
    const touched = (sink: ByteSink): ByteSink => ({
      take: (data) => {
        last = Date.now()
        sink.take(data)
      },
    })
    this.out.attach(touched(job.stdout), () => {})
    this.err.attach(touched(job.stderr), () => {})
    for (let quiet = job.lingerMs; quiet > 0; quiet = job.lingerMs - (Date.now() - last)) {
      await new Promise((r) => setTimeout(r, quiet).unref())
    }
    this.retired = true
    this.finish(step, true)
  }

  private finish(step: Step, lingering: boolean, error?: string): void {
    this.step = undefined
    this.out.detach()
    this.err.detach()
    step.job.stdout.end()
    step.job.stderr.end()
    const outcome: HostOutcome = {lingering}
    if (step.status !== undefined) outcome.status = step.status
    if (step.pid !== undefined) outcome.pid = step.pid
    if (error) outcome.error = error
    step.resolve(outcome)
  }

  private onExit(how: string): void {
    if (this.dead) return
    this.dead = how
    ;(this.process.stdio[4] as Readable | null)?.destroy()
    this.retired = true
    const step = this.step
    if (!step || step.settling) return
    step.settling = true
    void this.orphaned(step, `the run's shell ${how}`)
  }

  /**
   * The shell went away mid-step: nobody waits for the step any more, so its
   * group is stopped, and the output it wrote is kept once the pipes close.
   */
  private async orphaned(step: Step, error: string): Promise<void> {
    const grace = new Promise((r) => setTimeout(r, ORPHAN_GRACE_MS).unref())
    // The shell's exit can be seen before its last control line (the step's `start`, with the
    // group to stop) is read: the steps close that pipe, so it ends with the shell; wait for it.
    await Promise.race([this.controlClosed, grace])
    const pid = step.pid
    if (pid !== undefined) signalGroup(pid, 'SIGTERM')
    await Promise.race([Promise.all([this.out.closed, this.err.closed]), grace])
    if (pid !== undefined) signalGroup(pid, 'SIGKILL')
    step.status = undefined
    this.finish(step, false, error)
  }
}

/** One shell per set of settings (in practice one per run), replaced when retired. */
export class ShellPool {
  private readonly hosts = new Map<string, ShellHost>()
  /** The executor passes the same env object to every step: its key is worked out once. */
  private readonly envKeys = new WeakMap<object, string>()

  get(settings: HostSettings): ShellHost {
    let envKey = this.envKeys.get(settings.env)
    if (envKey === undefined) {
      envKey = JSON.stringify(Object.entries(settings.env).sort())
      this.envKeys.set(settings.env, envKey)
    }
    const key = JSON.stringify([settings.cwd, settings.prelude, envKey])
    const known = this.hosts.get(key)
    if (known?.usable) return known
    known?.close()
    const host = new ShellHost(settings)
    this.hosts.set(key, host)
    return host
  }

  close(): void {
    for (const host of this.hosts.values()) host.close()
    this.hosts.clear()
  }
}
