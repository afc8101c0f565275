/**
 * Which platform we run on: the distribution from os-release (or `--os`), the
 * CPU from `uname -m` (or `--arch`). Everything downstream matches tab labels
 * against this one value.
 */
import {readFileSync} from 'node:fs'
import {machine} from 'node:os'
import {join} from 'node:path'
import {UsageError} from '../errors.js'
import {codenameOf, normaliseArch, versionOfCodename} from '../graph/labels.js'
import type {Arch, Platform} from './types.js'

export {normaliseArch}

/** A table entry of the key itself, never one inherited from Object (`constructor`, `__proto__`). */
function own<T>(table: Record<string, T>, key: string): T | undefined {
  return Object.hasOwn(table, key) ? table[key] : undefined
}

export interface DetectOptions {
  /** `--os ID[:VERSION]` */
  os?: string
  /** `--arch` */
  arch?: string
  /** `--os-release FILE` */
  osReleaseFile?: string
  /** Where `/etc` and `/usr/lib` live; `/` unless a test says otherwise. */
  root?: string
  /** What `uname -m` says; defaults to this machine. */
  machineArch?: string
}

// ---------------------------------------------------------------- os-release

const ASSIGNMENT = /^([A-Za-z_][A-Za-z0-9_]*)=(.*)$/
const DOUBLE_QUOTE_ESCAPES = new Set(['"', '\\', '$', '`'])

/**
 * Reads an os-release file as the freedesktop spec describes it: KEY=value
 * lines, values bare or quoted the shell way. Comments, blank lines and
 * lines that do not parse are skipped.
 */
export function parseOsRelease(text: string): Record<string, string> {
  const fields: Record<string, string> = {}
  for (const line of text.split(/\r?\n/)) {
    const match = ASSIGNMENT.exec(line.trim())
    if (!match) continue
    const value = shellWord(match[2]!)
    if (value !== undefined) fields[match[1]!] = value
  }
  return fields
}

/** One shell word (quotes and escapes removed), or undefined when it is not one. */
function shellWord(raw: string): string | undefined {
  let out = ''
  let i = 0
  while (i < raw.length) {
    const c = raw[i]!
    if (c === "'" || c === '"') {
      const end = closingQuote(raw, i)
      if (end < 0) return undefined
      out += c === "'" ? raw.slice(i + 1, end) : unescapeDouble(raw.slice(i + 1, end))
      i = end + 1
    } else if (c === '\\' && i + 1 < raw.length) {
      out += raw[i + 1]
      i += 2
    } else if (/\s/.test(c)) {
      // Trailing blanks are fine, and so is a comment after them; more words are not.
      return /^\s*(#.*)?$/.test(raw.slice(i)) ? out : undefined
    } else {
      out += c
      i++
    }
  }
  return out
}

function closingQuote(raw: string, open: number): number {
  const quote = raw[open]
  for (let i = open + 1; i < raw.length; i++) {
    if (quote === '"' && raw[i] === '\\') i++
    else if (raw[i] === quote) return i
  }
  return -1
}

function unescapeDouble(body: string): string {
  return body.replace(/\\(.)/g, (whole, next: string) => (DOUBLE_QUOTE_ESCAPES.has(next) ? next : whole))
}

/** A platform from os-release fields (ID defaults to `linux`, as the spec says). */
export function platformFromOsRelease(
  fields: Record<string, string>,
  where: {source: string; arch: Arch; archSource: string},
): Platform {
  const id = (fields.ID || 'linux').toLowerCase()
  return {
    id,
    idLike: (fields.ID_LIKE ?? '').toLowerCase().split(/\s+/).filter(Boolean),
    versionId: fields.VERSION_ID || undefined,
    codename: fields.VERSION_CODENAME?.toLowerCase() || undefined,
    prettyName: fields.PRETTY_NAME || undefined,
    baseCodenames: baseCodenames(fields),
    ...where,
  }
}

/** `UBUNTU_CODENAME=jammy` on Linux Mint → `{ubuntu: 'jammy'}`: the release it is built on. */
function baseCodenames(fields: Record<string, string>): Record<string, string> | undefined {
  const entries = Object.entries(fields)
    .map(([key, value]) => [/^([A-Z]+)_CODENAME$/.exec(key)?.[1], value.toLowerCase()] as const)
    .filter(([family, value]) => family && family !== 'VERSION' && value)
    .map(([family, value]) => [family!.toLowerCase(), value])
  return entries.length > 0 ? Object.fromEntries(entries) : undefined
}

// ---------------------------------------------------------------- --os

const ID_ALIASES: Record<string, string> = {
  amazon: 'amzn', amazonlinux: 'amzn', 'amazon-linux': 'amzn',
  oracle: 'ol', oraclelinux: 'ol', 'oracle-linux': 'ol',
  alma: 'almalinux', 'alma-linux': 'almalinux',
  redhat: 'rhel', 'red-hat': 'rhel',
  rockylinux: 'rocky', 'rocky-linux': 'rocky',
  mint: 'linuxmint', 'linux-mint': 'linuxmint',
  opensuse: 'opensuse-leap',
}

/** ID_LIKE as the real os-release files of each distribution have it. */
export const ID_LIKE: Record<string, string[]> = {
  ubuntu: ['debian'],
  linuxmint: ['ubuntu', 'debian'],
  raspbian: ['debian'],
  centos: ['rhel', 'fedora'],
  rocky: ['rhel', 'centos', 'fedora'],
  almalinux: ['rhel', 'centos', 'fedora'],
  cloudlinux: ['rhel', 'fedora', 'centos'],
  ol: ['fedora'],
  rhel: ['fedora'],
  amzn: ['centos', 'rhel', 'fedora'],
  sles: ['suse'],
  'opensuse-leap': ['suse', 'opensuse'],
}

const OS_FLAG = /^([a-z][a-z0-9._-]*)(?::([a-z0-9][a-z0-9._~-]*))?$/

function osFlagError(value: string): UsageError {
  return new UsageError(
    `--os "${value}" is not a platform this tool can read. Give an os-release ID, optionally with ` +
      'a version after a colon, for example --os ubuntu:22.04, --os rocky:8, --os amzn:2 or --os debian ' +
      '(common names such as amazon, oracle, alma or redhat are accepted too).',
  )
}

/** A platform from `--os ID[:VERSION]`, with ID_LIKE and codename filled in from built-in tables. */
export function platformFromOsFlag(value: string, arch: Arch, archSource: string): Platform {
  const match = OS_FLAG.exec(value.trim().toLowerCase())
  if (!match) throw osFlagError(value)
  const id = own(ID_ALIASES, match[1]!) ?? match[1]!
  let versionId: string | undefined = match[2]
  let codename = versionId === undefined ? undefined : codenameOf(id, versionId)
  if (versionId !== undefined && !/^\d/.test(versionId)) {
    // `--os debian:bookworm`: a codename stands for its release.
    codename = versionId
    versionId = versionOfCodename(id, versionId)
    if (versionId === undefined) throw osFlagError(value)
  }
  const modernAmazon = id === 'amzn' && versionId !== undefined && Number.parseInt(versionId, 10) >= 2022
  return {
    id,
    idLike: modernAmazon ? ['fedora'] : [...(own(ID_LIKE, id) ?? [])],
    versionId,
    codename,
    arch,
    source: `--os ${value}`,
    archSource,
  }
}

// ---------------------------------------------------------------- detection

function chooseArch(opts: DetectOptions): {arch: Arch; archSource: string} {
  if (opts.arch !== undefined) {
    const arch = normaliseArch(opts.arch)
    if (!arch) {
      throw new UsageError(
        `--arch "${opts.arch}" is not a CPU architecture this tool knows. Use x86_64 (or amd64, x64), ` +
          'aarch64 (or arm64), or another name as uname -m prints it, such as armv7l, ppc64le or s390x.',
      )
    }
    return {arch, archSource: '--arch'}
  }
  const raw = opts.machineArch ?? machine()
  return {arch: normaliseArch(raw) ?? raw.toLowerCase(), archSource: 'this machine (uname -m)'}
}

/** The file's text; undefined if it does not exist; a UsageError if it exists but cannot be read. */
async function readIfPresent(path: string, flag?: string): Promise<string | undefined> {
  try {
    // Synchronous: a few hundred bytes, and node:fs/promises would be one more module to load.
    return readFileSync(path, 'utf8')
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code
    if (code === 'ENOENT' && !flag) return undefined
    const reason = code === 'ENOENT' ? 'there is no such file' : code === 'EISDIR' ? 'it is a directory'
      : code === 'EACCES' ? 'permission denied' : (error as Error).message
    const what = flag ? `the os-release file given with ${flag} (${path})` : `the os-release file ${path}`
    throw new UsageError(
      `Could not read ${what}: ${reason}. Check the path and its permissions, ` +
        'or name the platform with --os ID:VERSION (for example --os ubuntu:22.04).',
    )
  }
}

async function readOsRelease(opts: DetectOptions): Promise<{text: string; source: string}> {
  if (opts.osReleaseFile !== undefined) {
    const text = await readIfPresent(opts.osReleaseFile, '--os-release')
    return {text: text ?? '', source: `--os-release ${opts.osReleaseFile}`}
  }
  const root = opts.root ?? '/'
  const tried = ['etc/os-release', 'usr/lib/os-release'].map((p) => join(root, p))
  for (const path of tried) {
    const text = await readIfPresent(path)
    if (text !== undefined) return {text, source: path}
  }
  throw new UsageError(
    `Could not find an os-release file to tell which Linux distribution this is: tried ${tried.join(' and ')}. ` +
      'Name the platform with --os ID:VERSION (for example --os ubuntu:22.04 or --os rocky:8), ' +
      'or point to a copy of the file with --os-release FILE.',
  )
}

/** The platform to resolve tabs for: flags first, then os-release and uname. */
export async function detectPlatform(opts: DetectOptions = {}): Promise<Platform> {
  if (opts.os !== undefined && opts.osReleaseFile !== undefined) {
    throw new UsageError('--os and --os-release both name the platform; give only one of them.')
  }
  const {arch, archSource} = chooseArch(opts)
  if (opts.os !== undefined) return platformFromOsFlag(opts.os, arch, archSource)
  const {text, source} = await readOsRelease(opts)
  const fields = parseOsRelease(text)
  if (Object.keys(fields).length === 0) {
    throw new UsageError(
      `${source.replace(/^--os-release /, '')} does not look like an os-release file: it has no KEY=value ` +
        'lines such as ID=debian. Point --os-release at a copy of /etc/os-release, or use --os ID:VERSION.',
    )
  }
  return platformFromOsRelease(fields, {source, arch, archSource})
}

// ---------------------------------------------------------------- display

const DISPLAY_NAMES: Record<string, string> = {
  debian: 'Debian', ubuntu: 'Ubuntu', rhel: 'RHEL', ol: 'Oracle Linux', amzn: 'Amazon Linux',
  almalinux: 'AlmaLinux', rocky: 'Rocky Linux', centos: 'CentOS', fedora: 'Fedora Linux',
  linuxmint: 'Linux Mint', sles: 'SLES', 'opensuse-leap': 'openSUSE Leap', alpine: 'Alpine Linux',
}

/** `Debian GNU/Linux 12 (bookworm), x86_64 — from /etc/os-release` */
export function describePlatform(p: Platform): string {
  const name = p.prettyName ?? composedName(p)
  const arch = p.archSource === '--arch' ? `${p.arch} (--arch)` : p.arch
  return `${name}, ${arch} — from ${p.source}`
}

function composedName(p: Platform): string {
  const parts = [own(DISPLAY_NAMES, p.id) ?? p.id, p.versionId, p.codename && `(${p.codename})`]
  return parts.filter(Boolean).join(' ')
}
