/**
 * What the Tarantool end-to-end tests compare before a run and after its
 * rollback: the dpkg listing, file hashes, and tarantool processes.
 */
import {createHash} from 'node:crypto'
import {existsSync, lstatSync, readFileSync, readlinkSync} from 'node:fs'
import {execa} from 'execa'

export interface MachineState {
  dpkg: string
  files: Record<string, string>
  processes: string[]
}

export async function machineState(paths: string[]): Promise<MachineState> {
  const dpkg = await execa('dpkg', ['-l'], {env: {COLUMNS: '250'}})
  const ps = await execa('ps', ['-eo', 'pid=,args='])
  return {
    dpkg: dpkg.stdout,
    files: Object.fromEntries(paths.map((p) => [p, fingerprint(p)])),
    processes: ps.stdout.split('\n').filter((l) => /(^|\/)tarantool(ctl)?\b/.test(l.trim().split(/\s+/)[1] ?? '') || /\btarantool .*runbook/.test(l)),
  }
}

function fingerprint(path: string): string {
  const s = lstatSync(path, {throwIfNoEntry: false})
  if (!s) return 'absent'
  const meta = `${s.uid}:${s.gid} ${(s.mode & 0o7777).toString(8)}`
  if (s.isSymbolicLink()) return `link ${readlinkSync(path)}`
  if (s.isDirectory()) return `dir ${meta}`
  return `file ${meta} ${createHash('sha256').update(readFileSync(path)).digest('hex')}`
}

/** Whether this machine can run the tests for real, and if not, why. */
export function e2eBlocker(): string | null {
  if (process.getuid?.() !== 0) return 'not running as root'
  const osRelease = existsSync('/etc/os-release') ? readFileSync('/etc/os-release', 'utf8') : ''
  const ids = [/^ID=(.*)$/m.exec(osRelease)?.[1], /^ID_LIKE=(.*)$/m.exec(osRelease)?.[1]].join(' ').replace(/"/g, '')
  if (!/\b(debian|ubuntu)\b/.test(ids) || !existsSync('/usr/bin/dpkg-query')) return 'not a Debian-family system'
  return null
}

/** apt-get needs package lists; fetch them once when the machine has none. */
export async function ensureAptLists(): Promise<void> {
  const lists = await execa('sh', ['-c', 'ls /var/lib/apt/lists | grep -c Packages || true'])
  if (Number(lists.stdout.trim()) === 0) await execa('apt-get', ['update', '-q'], {env: {DEBIAN_FRONTEND: 'noninteractive'}})
}

/** Whether something accepts connections on 127.0.0.1:port. */
export async function listening(port: number): Promise<boolean> {
  const r = await execa('bash', ['-c', `exec 3<>/dev/tcp/127.0.0.1/${port}`], {reject: false})
  return r.exitCode === 0
}

const MACHINE_LOCK = '/tmp/runbook-tests-tarantool-machine.lock'

/**
 * The Tarantool end-to-end tests install and purge the same packages on this
 * machine: one file at a time holds it (test files run in parallel). A lock
 * left by a dead process is taken over.
 */
export async function holdMachine(): Promise<void> {
  const {mkdirSync, readFileSync: read, rmSync, writeFileSync} = await import('node:fs')
  for (;;) {
    try {
      mkdirSync(MACHINE_LOCK)
      writeFileSync(`${MACHINE_LOCK}/pid`, String(process.pid))
      return
    } catch {
      let owner = 0
      try {
        owner = Number(read(`${MACHINE_LOCK}/pid`, 'utf8'))
      } catch {
        // being written: wait
      }
      let alive = true
      if (owner > 0) {
        try {
          process.kill(owner, 0)
        } catch {
          alive = false
        }
      }
      if (!alive) rmSync(MACHINE_LOCK, {recursive: true, force: true})
      else await new Promise((done) => setTimeout(done, 1000))
    }
  }
}

export async function releaseMachine(): Promise<void> {
  const {readFileSync: read, rmSync} = await import('node:fs')
  try {
    if (Number(read(`${MACHINE_LOCK}/pid`, 'utf8')) === process.pid) rmSync(MACHINE_LOCK, {recursive: true, force: true})
  } catch {
    // not ours or gone
  }
}
