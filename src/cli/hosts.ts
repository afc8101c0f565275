/**
 * Which machine each role of a page runs on, and which system each is:
 * `--host ROLE=[user@]host[:port]` (repeatable), `--inventory FILE` (YAML or
 * INI), `--os ROLE=ID:VERSION` and `--os-release ROLE=FILE`. A flag without
 * `ROLE=` is about this host (`local`), as before.
 */
import {readFileSync} from 'node:fs'
import {createRequire} from 'node:module'
import {UsageError} from '../errors.js'
import {parseDestination, type Destination} from '../execute/target/destination.js'

const ROLE = /^([a-z][a-z0-9_-]*)=(.*)$/

export interface HostFlags {
  destinations: Destination[]
  /** role → `--os` value; `local` for a flag without a role. */
  os: Record<string, string>
  osRelease: Record<string, string>
}

export function readHostFlags(flags: {host?: string[]; inventory?: string; os?: string[]; 'os-release'?: string[]}): HostFlags {
  const byRole = new Map<string, Destination>()
  if (flags.inventory) for (const d of readInventory(flags.inventory)) byRole.set(d.role, d)
  for (const value of flags.host ?? []) {
    const m = ROLE.exec(value)
    const d = m ? parseDestination(m[1]!, m[2]!) : undefined
    if (!d) throw new UsageError(`--host ${value}: expected ROLE=[USER@]HOST[:PORT], e.g. --host nginx=root@10.0.0.7 (the roles are shown by 'runbook graph' and the dry-run).`)
    // A flag overrides the inventory's address but keeps its other settings.
    byRole.set(d.role, {...byRole.get(d.role), ...d})
  }
  return {destinations: [...byRole.values()], os: byRole2('--os', flags.os), osRelease: byRole2('--os-release', flags['os-release'])}
}

function byRole2(flag: string, values: string[] | undefined): Record<string, string> {
  const out: Record<string, string> = {}
  for (const value of values ?? []) {
    const m = ROLE.exec(value)
    const [role, rest] = m ? [m[1]!, m[2]!] : ['local', value]
    if (out[role] !== undefined) throw new UsageError(`${flag} is given twice for ${role === 'local' ? 'this host' : `the role ${role}`}: keep one.`)
    out[role] = rest
  }
  return out
}

/** The roles a flag or the inventory names must be roles of the page. */
export function checkRoles(hosts: HostFlags, pageRoles: string[]): void {
  const known = new Set(['local', ...pageRoles])
  const named = [
    ...hosts.destinations.map((d) => [d.role, '--host'] as const),
    ...Object.keys(hosts.os).map((r) => [r, '--os'] as const),
    ...Object.keys(hosts.osRelease).map((r) => [r, '--os-release'] as const),
  ]
  for (const [role, flag] of named) {
    if (!known.has(role)) throw new UsageError(`${flag} ${role}=…: this page has no host role '${role}'. Its roles are: ${[...known].join(', ')}.`)
  }
}

/**
 * An inventory maps roles to machines. YAML:
 *   nginx: {host: 10.0.0.7, user: root, port: 22, become: true}
 * (or under a top-level `hosts:`, or `nginx: root@10.0.0.7`); INI:
 *   [nginx]
 *   host = 10.0.0.7
 *   user = root
 *   become = true
 * or Ansible's one-line form `nginx ansible_host=10.0.0.7 ansible_user=root ansible_port=22 ansible_become=true`.
 */
export function readInventory(file: string): Destination[] {
  let text: string
  try {
    text = readFileSync(file, 'utf8')
  } catch (error) {
    throw new UsageError(`--inventory ${file}: cannot read it (${(error as NodeJS.ErrnoException).code ?? (error as Error).message}).`)
  }
  const entries = /^\s*\[|^\s*[a-z][\w-]*\s+\w+=/m.test(text) && !/^\s*[\w-]+:\s/m.test(text) ? readIni(file, text) : readYaml(file, text)
  return entries.map(([role, fields, line]) => destinationOf(file, role, fields, line))
}

type Entry = [role: string, fields: Record<string, unknown>, line: number]

function readYaml(file: string, text: string): Entry[] {
  const yaml = require_yaml()
  let doc: unknown
  try {
    doc = yaml.parse(text)
  } catch (error) {
    const at = (error as {linePos?: Array<{line: number}>}).linePos?.[0]?.line
    throw new UsageError(`--inventory ${file}${at ? `:${at}` : ''}: not YAML or INI (${(error as Error).message.split('\n')[0]}).`)
  }
  const root = (doc as {hosts?: unknown} | null)?.hosts ?? doc
  if (!root || typeof root !== 'object') throw new UsageError(`--inventory ${file}: expected roles mapped to hosts, e.g. "nginx: {host: 10.0.0.7, user: root}".`)
  const lines = text.split('\n')
  return Object.entries(root as Record<string, unknown>).map(([role, value]) => {
    const line = lines.findIndex((l) => new RegExp(`^\\s*${role}\\s*:`).test(l)) + 1
    return [role, typeof value === 'string' ? {address: value} : ((value ?? {}) as Record<string, unknown>), line]
  })
}

function readIni(file: string, text: string): Entry[] {
  const out: Entry[] = []
  let current: Entry | undefined
  text.split('\n').forEach((raw, i) => {
    const line = raw.replace(/[#;].*$/, '').trim()
    if (!line) return
    const section = /^\[([^\]]+)\]$/.exec(line)
    if (section) {
      current = [section[1]!.trim(), {}, i + 1]
      out.push(current)
      return
    }
    const kv = /^([\w-]+)\s*=\s*(.*)$/.exec(line)
    if (kv && current) {
      current[1][kv[1]!] = kv[2]!.trim()
      return
    }
    const words = line.split(/\s+/)
    if (current && words.length === 1) {
      // Ansible: a host line under a [group]: the group is the role.
      current[1].address = words[0]
      return
    }
    const [role, ...pairs] = words
    const fields: Record<string, unknown> = {}
    for (const pair of pairs) {
      const m = /^([\w-]+)=(.*)$/.exec(pair)
      if (!m) throw new UsageError(`--inventory ${file}:${i + 1}: cannot read "${raw.trim()}": expected ROLE key=value… or a [ROLE] section.`)
      fields[m[1]!] = m[2]
    }
    out.push([role!, fields, i + 1])
  })
  return out
}

function destinationOf(file: string, role: string, fields: Record<string, unknown>, line: number): Destination {
  const get = (...names: string[]) => names.map((n) => fields[n]).find((v) => v !== undefined && v !== null)
  const where = `--inventory ${file}${line ? `:${line}` : ''}`
  if (!/^[a-z][a-z0-9_-]*$/.test(role)) throw new UsageError(`${where}: '${role}' is not a role name (lower-case letters, digits, - and _).`)
  const address = String(get('address', 'host', 'hostname', 'ansible_host') ?? '')
  const parsed = parseDestination(role, address)
  if (!parsed) throw new UsageError(`${where}: role ${role} needs a host ([user@]host[:port]), got "${address}".`)
  const user = get('user', 'ansible_user')
  const port = get('port', 'ansible_port')
  const become = get('become', 'ansible_become')
  const dir = get('dir', 'state_dir')
  const identity = get('identity', 'identity_file', 'ansible_ssh_private_key_file')
  const sshConfig = get('ssh_config')
  const d: Destination = {...parsed}
  if (user !== undefined) d.user = String(user)
  if (port !== undefined) {
    const n = Number(port)
    if (!Number.isInteger(n) || n < 1 || n > 65535) throw new UsageError(`${where}: port of ${role} must be 1-65535, got "${String(port)}".`)
    d.port = n
  }
  if (become !== undefined) d.become = become === true || /^(true|yes|1|on)$/i.test(String(become))
  if (dir !== undefined) d.dir = String(dir)
  if (identity !== undefined) d.identity = String(identity)
  if (sshConfig !== undefined) d.sshConfig = String(sshConfig)
  return d
}

function require_yaml(): typeof import('yaml') {
  return createRequire(import.meta.url)('yaml') as typeof import('yaml')
}
