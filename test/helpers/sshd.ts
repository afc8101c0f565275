/**
 * A real OpenSSH server for the two-host tests, on 127.0.0.2:2222 only, with
 * a generated host key and a generated client key authorized for root, all in
 * a temp folder; stopped and removed by `stop()`. Its sessions see
 * RUNBOOK_OS_RELEASE (sshd's SetEnv), so the "remote" machine reads another
 * os-release than this one. `available` is false (with the reason) where sshd
 * or ssh is missing or we are not root: the tests skip with that message.
 */
import {execFileSync, spawn, type ChildProcess} from 'node:child_process'
import {existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync} from 'node:fs'
import {createConnection} from 'node:net'
import {tmpdir} from 'node:os'
import {join} from 'node:path'

const SSHD = '/usr/sbin/sshd'
export const SSH_HOST = '127.0.0.2'
export const SSH_PORT = 2222

function hasSsh(): boolean {
  try {
    execFileSync('ssh', ['-V'], {stdio: 'ignore'})
    return true
  } catch {
    return false
  }
}

export const sshdMissing: string | undefined = !existsSync(SSHD)
  ? `${SSHD} is absent (apt-get install openssh-server)`
  : !hasSsh()
    ? 'the ssh client is absent (apt-get install openssh-client)'
    : process.getuid?.() !== 0
      ? 'not root: sshd needs root to run sessions as root'
      : undefined

if (sshdMissing) console.warn(`\n[runbook tests] two-host tests skipped: ${sshdMissing}.\n`)

export interface Sshd {
  dir: string
  /** An ssh_config with the client key and the throwaway host key accepted: RUNBOOK_SSH_CONFIG for the runs. */
  sshConfig: string
  process: ChildProcess
  /** The per-connection sshd processes (children of the listener). */
  sessions(): number[]
  stop(): Promise<void>
}

export async function startSshd(osRelease: string): Promise<Sshd> {
  const dir = mkdtempSync(join(tmpdir(), 'runbook-sshd-'))
  const keygen = (file: string) => execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', join(dir, file)])
  keygen('host_key')
  keygen('client_key')
  execFileSync('cp', [join(dir, 'client_key.pub'), join(dir, 'authorized_keys')])
  writeFileSync(join(dir, 'os-release'), osRelease)
  writeFileSync(join(dir, 'sshd_config'), [
    `ListenAddress ${SSH_HOST}:${SSH_PORT}`,
    `HostKey ${join(dir, 'host_key')}`,
    `PidFile ${join(dir, 'sshd.pid')}`,
    `AuthorizedKeysFile ${join(dir, 'authorized_keys')}`,
    'PermitRootLogin prohibit-password',
    'PasswordAuthentication no',
    'KbdInteractiveAuthentication no',
    'UsePAM no',
    'StrictModes no',
    'UseDNS no',
    `SetEnv RUNBOOK_OS_RELEASE=${join(dir, 'os-release')}`,
    '',
  ].join('\n'))
  writeFileSync(join(dir, 'ssh_config'), [
    `Host ${SSH_HOST}`,
    `  IdentityFile ${join(dir, 'client_key')}`,
    '  IdentitiesOnly yes',
    '  UserKnownHostsFile /dev/null',
    '  StrictHostKeyChecking no',
    '  LogLevel ERROR',
    '',
  ].join('\n'))
  mkdirSync('/run/sshd', {recursive: true})
  const child = spawn(SSHD, ['-D', '-f', join(dir, 'sshd_config'), '-E', join(dir, 'sshd.log')], {stdio: 'ignore'})
  await waitForPort()
  const sessions = () => {
    try {
      return execFileSync('pgrep', ['-P', String(child.pid)], {encoding: 'utf8'}).split('\n').filter(Boolean).map(Number)
    } catch {
      return []
    }
  }
  return {
    dir,
    sshConfig: join(dir, 'ssh_config'),
    process: child,
    sessions,
    async stop() {
      for (const pid of sessions()) {
        try {
          process.kill(pid, 'SIGKILL')
        } catch {
          // already gone
        }
      }
      child.kill('SIGTERM')
      await new Promise((r) => (child.exitCode !== null ? r(null) : child.once('exit', r)))
      rmSync(dir, {recursive: true, force: true})
    },
  }
}

async function waitForPort(): Promise<void> {
  for (let i = 0; i < 100; i++) {
    const up = await new Promise<boolean>((resolve) => {
      const socket = createConnection({host: SSH_HOST, port: SSH_PORT})
      socket.once('connect', () => (socket.destroy(), resolve(true)))
      socket.once('error', () => resolve(false))
    })
    if (up) return
    await new Promise((r) => setTimeout(r, 100))
  }
  throw new Error(`sshd did not listen on ${SSH_HOST}:${SSH_PORT}`)
}
