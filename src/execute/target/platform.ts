/**
 * A target's platform, read on that machine: its os-release (as this host's
 * is read: /etc, then /usr/lib) and `uname -m`, in one round trip.
 * `RUNBOOK_OS_RELEASE`, when the remote session has it (sshd's SetEnv), names
 * another file: the two-host tests give one loopback sshd another system.
 */
import {UsageError} from '../../errors.js'
import {normaliseArch, parseOsRelease, platformFromOsRelease} from '../../resolve/platform.js'
import type {Platform} from '../../resolve/types.js'
import type {Target} from './types.js'

const READ = `for f in "\${RUNBOOK_OS_RELEASE:-/etc/os-release}" /usr/lib/os-release; do if [ -r "$f" ]; then printf 'file %s\\n' "$f"; cat -- "$f"; break; fi; done; printf '\\narch %s\\n' "$(uname -m)"`

export async function targetPlatform(target: Target, arch?: {arch: string; archSource: string}): Promise<Platform> {
  const r = await target.exec(READ)
  const text = r.stdout.toString('utf8')
  if (r.code !== 0) {
    throw new UsageError(
      `Could not read the platform of ${target.role} (${target.label}): ${r.stderr.trim().split('\n').pop() || `ssh exited with ${r.code}`}. ` +
        `Check that 'ssh ${target.label.replace(/ \(sudo\)$/, '')}' works, or plan without it: --os ${target.role}=ID:VERSION.`,
    )
  }
  const file = /^file (.+)$/m.exec(text)?.[1]
  const machine = /^arch (\S+)\s*$/m.exec(text)?.[1] ?? ''
  const fields = parseOsRelease(text.replace(/^file .+\n/, '').replace(/\narch \S+\s*$/, ''))
  if (!file || Object.keys(fields).length === 0) {
    throw new UsageError(`${target.role} (${target.label}) has no readable os-release file. Name its system with --os ${target.role}=ID:VERSION.`)
  }
  const found = arch ?? {arch: normaliseArch(machine) ?? machine.toLowerCase(), archSource: `${target.label} (uname -m)`}
  return platformFromOsRelease(fields, {source: `${file} on ${target.label}`, ...found})
}
