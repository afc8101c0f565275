import {describe, it, expect, afterEach} from 'vitest'
import {existsSync, readFileSync} from 'node:fs'
import {join} from 'node:path'
import {PassThrough} from 'node:stream'
import {runScript, type ScriptResult} from '../../src/execute/process.js'
import {ShellPool} from '../../src/execute/shell-host.js'
import {MarkedStream} from '../../src/execute/marked-stream.js'
import {createMasker} from '../../src/execute/secrets.js'
import {Interrupts} from '../../src/execute/interrupt.js'
import {SUDO_SHIM} from '../../src/execute/sudo.js'
import {tempDir} from './helpers.js'

const none = createMasker([])
let pool = new ShellPool()
afterEach(() => {
  pool.close()
  pool = new ShellPool()
})

const env = {RUNBOOK_TEST: 'yes'}

/** Gone, or dead and not yet reaped. */
function stopped(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
    return stat.slice(stat.lastIndexOf(')') + 2).startsWith('Z')
  } catch {
    return true
  }
}

async function step(script: string, cwd: string, extra: {interrupts?: Interrupts; masker?: ReturnType<typeof createMasker>} = {}) {
  const lines: string[] = []
  const result: ScriptResult = await runScript({
    script,
    cwd,
    env,
    prelude: SUDO_SHIM,
    masker: extra.masker ?? none,
    shells: pool,
    onOutput: (stream, block) => lines.push(...block.text.split('\n').map((line) => `${stream}: ${line}`)),
    ...(extra.interrupts ? {interrupts: extra.interrupts} : {}),
  })
  return {result, lines}
}

describe('the run shell', () => {
  it('gives each step a fresh start: nothing one step sets reaches the next', async () => {
    const cwd = tempDir()
    const first = await step(`cd /\nX=1\nexport Y=2\nf() { :; }\nset +e\nshopt -s nullglob\nalias ll=ls\ntrap 'echo bye' EXIT\necho set`, cwd)
    expect(first.result.exitCode).toBe(0)
    expect(first.lines).toEqual(['stdout: set', 'stdout: bye'])
    const second = await step(
      `echo "dir=$(pwd) x=\${X-unset} y=\${Y-unset} test=$RUNBOOK_TEST front=$DEBIAN_FRONTEND"\ntype f >/dev/null 2>&1 && echo has-f || echo no-f\nshopt -q nullglob && echo nullglob || echo no-nullglob\necho "flags=$-"\n[[ -o pipefail ]] && echo pipefail\ncompgen -v RUNBOOK_ | grep -v '^RUNBOOK_\\(TEST\\|LINE0\\)$' || echo no-loop-variables\nfalse\necho never`,
      cwd,
    )
    expect(second.lines).toEqual([
      `stdout: dir=${cwd} x=unset y=unset test=yes front=noninteractive`,
      'stdout: no-f',
      'stdout: no-nullglob',
      expect.stringMatching(/^stdout: flags=[a-zA-Z]*e[a-zA-Z]*$/),
      'stdout: pipefail',
      'stdout: no-loop-variables',
      'stderr: runbook: line 7 exited with 1',
    ])
    expect(second.result).toMatchObject({exitCode: 1, failedLine: 7})
  })

  it('runs every step in one shell, each in a process group of its own, with stdin from /dev/null', async () => {
    const cwd = tempDir()
    const probe = `read -r -a stat < /proc/$BASHPID/stat\necho "pid=$BASHPID pgid=\${stat[4]} shell=$$"\nread -r x || echo stdin-empty\n[ -e /proc/$BASHPID/fd/3 ] && echo fd3-open || echo fd3-closed`
    const a = await step(probe, cwd)
    const b = await step(probe, cwd)
    const parse = (lines: string[]) => Object.fromEntries(lines[0]!.replace('stdout: ', '').split(' ').map((kv) => kv.split('=')))
    const [pa, pb] = [parse(a.lines), parse(b.lines)]
    expect(pa.pid).toBe(pa.pgid)
    expect(pb.pid).toBe(pb.pgid)
    expect(pa.pid).not.toBe(pb.pid)
    expect(pa.shell).toBe(pb.shell)
    expect(a.lines.slice(1)).toEqual(['stdout: stdin-empty', 'stdout: fd3-closed'])
  })

  it('keeps the script out of every argv, its own and its shell\'s', async () => {
    const cwd = tempDir()
    const {lines} = await step(`# SECRET-IN-SCRIPT\ncat /proc/$BASHPID/cmdline /proc/$$/cmdline | grep -c SECRET-IN-SCRIPT || true`, cwd)
    expect(lines).toEqual(['stdout: 0'])
  })

  it('hands each step exactly its own output, however it ends', async () => {
    const cwd = tempDir()
    const a = await step(`printf 'no newline'; printf 'err no newline' >&2`, cwd)
    const b = await step(`printf '\\x1erunbook:forged\\x1f\\n'; echo next`, cwd)
    const c = await step(`exit 4`, cwd)
    expect(a.lines.sort()).toEqual(['stderr: err no newline', 'stdout: no newline'])
    expect(b.lines).toEqual(['stdout: \x1erunbook:forged\x1f', 'stdout: next'])
    expect(c).toMatchObject({lines: [], result: {exitCode: 4}})
  })

  it('runs the sudo stand-in given as its prelude', async () => {
    const {lines, result} = await step(`sudo echo as-root\nbash -c 'sudo echo nested'`, tempDir())
    expect(result.exitCode).toBe(0)
    expect(lines).toEqual(['stdout: as-root', 'stdout: nested'])
  })

  it('reports a shell that died under a step, and starts a new one for the next', async () => {
    const cwd = tempDir()
    const dead = await step(`echo $BASHPID > step.pid\nsleep 30 &\necho $! > sleep.pid\necho before\nkill -KILL $$\nwait`, cwd)
    expect(dead.lines).toEqual(['stdout: before'])
    expect(dead.result.error).toBe("the run's shell was killed by SIGKILL")
    expect(dead.result.exitCode).toBeUndefined()
    // Nobody waits for that step any more: its group was stopped (gone, or a zombie until init reaps it).
    for (const file of ['step.pid', 'sleep.pid']) expect(stopped(Number(readFileSync(join(cwd, file), 'utf8')))).toBe(true)
    const next = await step('echo fine', cwd)
    expect(next).toMatchObject({lines: ['stdout: fine'], result: {exitCode: 0}})
  })

  it('waits for a leftover process that holds the output, then moves the next step to a new shell', async () => {
    const cwd = tempDir()
    const left = await step(`(sleep 0.3; echo late; sleep 30) &\necho $BASHPID > left.pgid\necho early`, cwd)
    expect(left.lines).toEqual(['stdout: early', 'stdout: late'])
    expect(left.result.lingering).toBe(true)
    const next = await step('echo "shell=$$"', cwd)
    process.kill(-Number(readFileSync(join(cwd, 'left.pgid'), 'utf8').trim()), 'SIGKILL')
    expect(next.lines).toHaveLength(1)
    expect(next.result.exitCode).toBe(0)
    // A quiet leftover (its output elsewhere) costs no wait and keeps the shell.
    const quiet = await step(`sleep 30 >/dev/null 2>&1 &\necho $! > quiet.pid\nuntil [ "$(readlink /proc/$!/fd/2)" = /dev/null ]; do sleep 0.01; done`, cwd)
    expect(quiet.result.lingering).toBeUndefined()
    const after = await step('echo "shell=$$"', cwd)
    process.kill(Number(readFileSync(join(cwd, 'quiet.pid'), 'utf8').trim()), 'SIGKILL')
    expect(after.lines).toEqual(next.lines)
  })

  it('moves on to a new shell when output arrives between steps', async () => {
    const cwd = tempDir()
    // A process outside the step's group (setsid) still writes to the pipe after the step.
    const first = await step(`setsid bash -c 'echo $$ > sid.pid; sleep 0.2; echo stray' &\nwhile [ ! -s sid.pid ]; do sleep 0.01; done\necho "shell=$$"`, cwd)
    // Until the stray line is out (the process is gone), and the runner has read it.
    const stray = Number(readFileSync(join(cwd, 'sid.pid'), 'utf8'))
    while (!stopped(stray)) await new Promise((r) => setTimeout(r, 20))
    // ...and the runner has read it: its shell says it is no longer usable (no fixed wait, which load can outrun).
    const hosts = () => [...(pool as unknown as {hosts: Map<string, {usable: boolean}>}).hosts.values()]
    while (hosts().some((h) => h.usable)) await new Promise((r) => setTimeout(r, 20))
    const second = await step('echo "shell=$$"', cwd)
    expect(first.lines).toHaveLength(1)
    expect(second.lines).toHaveLength(1)
    expect(second.lines[0]).not.toBe(first.lines[0])
  })

  it('makes its output pipes a megabyte, and a flood still reaches each step byte for byte', async () => {
    const cwd = tempDir()
    // The shell grows its pipes in the background as it starts: the step waits up to 5 s to see it done.
    const size = await step(`perl -e 'for (1 .. 500) { last if fcntl(STDOUT, 1032, 0) >= 1048576 && fcntl(STDERR, 1032, 0) >= 1048576; select(undef, undef, undef, 0.01) } print fcntl(STDOUT, 1032, 0), " ", fcntl(STDERR, 1032, 0), "\\n"'`, cwd)
    expect(size.lines).toEqual(['stdout: 1048576 1048576'])
    const flood = await step('seq 1 400000; seq 5 200000 >&2', cwd)
    const numbers = (from: number, to: number) => Array.from({length: to - from + 1}, (_, i) => String(from + i))
    expect(flood.lines.filter((l) => l.startsWith('stdout: ')).map((l) => l.slice(8))).toEqual(numbers(1, 400000))
    expect(flood.lines.filter((l) => l.startsWith('stderr: ')).map((l) => l.slice(8))).toEqual(numbers(5, 200000))
    expect((await step('echo after; echo err >&2', cwd)).lines.sort()).toEqual(['stderr: err', 'stdout: after'])
  })

  it('outlives a SIGPIPE (a write to a runner that died must not orphan the step), and steps still get the default SIGPIPE', async () => {
    const cwd = tempDir()
    const first = await step('echo $$; kill -PIPE $$', cwd)
    expect(first.result.exitCode).toBe(0)
    // The same shell; \`yes\` dies of SIGPIPE when head is done (141, without a word), as in any shell.
    const second = await step('echo $$; yes | head -n 2 || echo "status $?"', cwd)
    expect(second.lines).toEqual([first.lines[0], 'stdout: y', 'stdout: y', 'stdout: status 141'])
    // Ignored by the shell, so that it never interrupts the shell's \`wait\` (bash 5.2 could then wait
    // forever for a step that had ended); back to its default in the step and what it runs.
    const masks = await step('grep SigIgn /proc/$$/status; grep SigIgn /proc/$BASHPID/status; sh -c "grep SigIgn /proc/\\$\\$/status"', cwd)
    const pipeIgnored = masks.lines.map((line) => (BigInt('0x' + line.split(/\s+/).pop()) >> 12n) & 1n)
    expect(pipeIgnored).toEqual([1n, 0n, 0n])
  })

  it('runs a script holding a NUL byte in a bash of its own, which drops the byte as bash does', async () => {
    const {lines, result} = await step('echo "a\0b"', tempDir())
    expect(result.exitCode).toBe(0)
    // Two pipes: their relative order is not defined.
    expect(lines.sort()).toEqual([expect.stringMatching(/^stderr: runbook: line \d+: warning: command substitution: ignored null byte in input$/), 'stdout: ab'])
  })

  it('gives a script too long to read byte by byte a bash of its own', async () => {
    const cwd = tempDir()
    const probe = '[ $$ = $BASHPID ] && echo own-bash || echo run-shell'
    const long = await step(`# ${'x'.repeat(40 * 1024)}\n${probe}`, cwd)
    const short = await step(probe, cwd)
    expect([long.lines, short.lines]).toEqual([['stdout: own-bash'], ['stdout: run-shell']])
  })

  it('stops the step group on interrupt and reports the signal', async () => {
    const cwd = tempDir()
    const interrupts = new Interrupts(3000)
    const running = step(`sleep 30 &\necho $! > child.pid\nwait`, cwd, {interrupts})
    while (!existsSync(join(cwd, 'child.pid')) || readFileSync(join(cwd, 'child.pid'), 'utf8') === '') await new Promise((r) => setTimeout(r, 20))
    const child = Number(readFileSync(join(cwd, 'child.pid'), 'utf8'))
    // Not installed on the test process: the test drives the handler directly.
    ;(interrupts as unknown as {onSignal(s: NodeJS.Signals): void}).onSignal('SIGINT')
    const {result} = await running
    expect(result.signal).toBe('SIGTERM')
    expect(result.exitCode).toBeUndefined()
    expect(() => process.kill(child, 0)).toThrow()
  })
})

describe('MarkedStream', () => {
  const marker = Buffer.from('\x1eM:0123\x1f')
  const collect = () => {
    const parts: string[] = []
    return {parts, sink: {take: (b: Buffer) => parts.push(b.toString())}}
  }

  const tick = () => new Promise((r) => setImmediate(r))

  it('cuts at markers split across chunks at any byte, and keeps lookalikes', async () => {
    const text = 'one\x1e\x1eM:01two\x1eM:0123\x1fthree'
    for (let cut = 0; cut <= text.length; cut++) {
      const source = new PassThrough()
      const stream = new MarkedStream(source, marker)
      const a = collect()
      let marked = 0
      stream.attach(a.sink, () => {
        marked++
        stream.attach(b.sink, () => marked++)
      })
      const b = collect()
      source.write(Buffer.from(text.slice(0, cut)))
      source.write(Buffer.from(text.slice(cut)))
      await tick()
      expect([a.parts.join(''), b.parts.join(''), marked, stream.stray]).toEqual(['one\x1e\x1eM:01two', 'three', 1, false])
    }
  })

  /** Records the stream's pauses and resumes, with how many bytes the sink had at each. */
  function watchFlow(source: PassThrough, delivered: () => number) {
    const log: string[] = []
    const pause = source.pause.bind(source)
    const resume = source.resume.bind(source)
    source.pause = () => {
      log.push(`pause at ${delivered()}`)
      return pause()
    }
    source.resume = () => {
      log.push(`resume at ${delivered()}`)
      return resume()
    }
    return log
  }

  const size = (parts: string[]) => parts.reduce((n, p) => n + p.length, 0)

  it('reads a large pipe in bursts: after 64 KiB it rests a moment, then takes what gathered, in order', async () => {
    const source = new PassThrough()
    const stream = new MarkedStream(source, marker)
    const a = collect()
    let marked = 0
    stream.attach(a.sink, () => marked++)
    const flow = watchFlow(source, () => size(a.parts))
    stream.readInBursts(1024 * 1024)
    source.write(Buffer.alloc(60 * 1024, 'a'))
    await tick()
    await tick()
    // Under 64 KiB since the last rest: no rest.
    expect(flow).toEqual([])
    source.write(Buffer.alloc(4 * 1024, 'b'))
    await tick()
    source.write('c\x1eM:0123\x1fd')
    // The rest is 1 ms; a loaded machine may take longer to end it.
    for (let i = 0; i < 200 && flow.length < 2; i++) await new Promise((r) => setTimeout(r, 10))
    // Nothing reached the sink while the stream rested.
    expect(flow).toEqual([`pause at ${64 * 1024}`, `resume at ${64 * 1024}`])
    expect(a.parts.join('').replace(/a+/, (m) => `a×${m.length}`).replace(/b+/, (m) => `b×${m.length}`)).toBe(`a×${60 * 1024}b×${4 * 1024}cd`)
    expect(marked).toBe(1)
  })

  it('reads a pipe of ordinary size as output comes, and stops resting when abandoned', async () => {
    const small = new PassThrough()
    const plain = new MarkedStream(small, marker)
    const a = collect()
    plain.attach(a.sink, () => {})
    const smallFlow = watchFlow(small, () => size(a.parts))
    plain.readInBursts(64 * 1024)
    small.write(Buffer.alloc(256 * 1024, 'a'))
    await new Promise((r) => setTimeout(r, 30))
    expect([smallFlow, size(a.parts)]).toEqual([[], 256 * 1024])
    const big = new PassThrough()
    const bursting = new MarkedStream(big, marker)
    const b = collect()
    bursting.attach(b.sink, () => {})
    const bigFlow = watchFlow(big, () => size(b.parts))
    const pause = big.pause
    big.pause = () => {
      const paused = pause()
      bursting.abandon()
      return paused
    }
    bursting.readInBursts(1024 * 1024)
    big.write(Buffer.alloc(64 * 1024, 'a'))
    await new Promise((r) => setTimeout(r, 30))
    // The rest's end resumes nothing: abandon() already let the stream flow.
    expect(bigFlow).toEqual([`pause at ${64 * 1024}`, `resume at ${64 * 1024}`])
    expect(big.isPaused()).toBe(false)
  })

  it('counts bytes no step listens to as stray', async () => {
    const source = new PassThrough()
    const stream = new MarkedStream(source, marker)
    expect(stream.stray).toBe(false)
    source.write('late output')
    await tick()
    expect(stream.stray).toBe(true)
  })
})

describe('a step opens its own output by name, as in a terminal or a shell pipeline', () => {
  // Node's stdio pipes are UNIX sockets, which Linux will not open by name (ENXIO): steps get real pipes.
  const script = [
    'echo to-stdout > /dev/stdout',
    'echo to-stderr > /dev/stderr',
    'echo teed | tee /dev/stderr',
    'echo by-fd-path > /proc/self/fd/1',
    'echo by-dev-fd >> /dev/fd/2',
    '[ -p /dev/stdout ] && [ -p /dev/stderr ] && echo both-are-pipes',
  ].join('\n')
  const expected = ['stderr: by-dev-fd', 'stderr: teed', 'stderr: to-stderr', 'stdout: both-are-pipes', 'stdout: by-fd-path', 'stdout: teed', 'stdout: to-stdout']

  it('in the run\'s shell', async () => {
    const {result, lines} = await step(script, tempDir())
    expect(result.exitCode).toBe(0)
    expect(lines.sort()).toEqual(expected)
  })

  it('in a bash of its own (a script too long for the run\'s shell)', async () => {
    const lines: string[] = []
    const padding = `: ${'x'.repeat(40 * 1024)}\n`
    const result = await runScript({script: padding + script, cwd: tempDir(), env, prelude: SUDO_SHIM, masker: none, shells: pool, onOutput: (stream, block) => lines.push(...block.text.split('\n').map((l) => `${stream}: ${l}`))})
    expect(result.exitCode).toBe(0)
    expect(lines.sort()).toEqual(expected)
  })
})

describe("a step's lines and arguments, as in a fresh shell", () => {
  // Bash's own messages count the step's lines (the eval sits on the shell script's first line), and $1, $# and "$@" are empty.
  const script = 'echo "args=$# first=${1-none} all=[$*]"\necho two\nnonexistent-command-xyz\necho never'
  const expected = ['stdout: args=0 first=none all=[]', 'stdout: two', 'stderr: runbook: line 3: nonexistent-command-xyz: command not found', 'stderr: runbook: line 3 exited with 127']

  it("in the run's shell", async () => {
    const {result, lines} = await step(script, tempDir())
    expect([result.exitCode, result.failedLine]).toEqual([127, 3])
    expect(lines).toEqual(expected)
  })

  it("in a bash of its own (a script too long for the run's shell)", async () => {
    const lines: string[] = []
    const result = await runScript({script: `${script}\n# ${'x'.repeat(40 * 1024)}`, cwd: tempDir(), env, prelude: SUDO_SHIM, masker: none, shells: pool, onOutput: (stream, block) => lines.push(...block.text.split('\n').map((l) => `${stream}: ${l}`))})
    expect([result.exitCode, result.failedLine]).toEqual([127, 3])
    expect(lines).toEqual(expected)
  })
})
