/**
 * The installed package set before and after a step, and undoing the
 * difference: exactly the packages the step added are removed (no autoremove),
 * so that `dpkg -l` reads as it did before.
 */
import {loadExeca} from '../lazy-execa.js'
import {RunbookError} from '../../errors.js'
import {probe, which} from './system.js'

export type PackageDb = 'dpkg' | 'rpm'

export interface PackageSet {
  db: PackageDb
  /** name (dpkg: arch-qualified when not native) → version and status. */
  packages: Record<string, {version: string; status: string}>
}

export interface PackageDelta {
  db: PackageDb
  added: Array<{name: string; version: string; /** `dpkg -l` showed it as `rc` before: remove, don't purge. */ hadConfig?: boolean}>
  removed: Array<{name: string; version: string}>
  changed: Array<{name: string; from: string; to: string}>
}

const DPKG_FORMAT = '${binary:Package}\\t${Version}\\t${Status}\\n'
const RPM_FORMAT = '%{NAME}.%{ARCH}\\t%{EPOCHNUM}:%{VERSION}-%{RELEASE}\\tinstalled\\n'

export async function packageDb(): Promise<PackageDb | null> {
  if (await which('dpkg-query')) return 'dpkg'
  if (await which('rpm')) return 'rpm'
  return null
}

export async function listPackages(db: PackageDb): Promise<PackageSet> {
  const r = db === 'dpkg' ? await probe('dpkg-query', ['-W', '-f', DPKG_FORMAT]) : await probe('rpm', ['-qa', '--qf', RPM_FORMAT])
  if (r.exitCode !== 0) throw new Error(`${db === 'dpkg' ? 'dpkg-query -W' : 'rpm -qa'} failed: ${r.stderr.trim()}`)
  const packages: PackageSet['packages'] = {}
  for (const line of r.stdout.split('\n')) {
    const [name, version, status] = line.split('\t')
    if (name && version !== undefined && status) packages[name] = {version, status}
  }
  return {db, packages}
}

/** dpkg keeps removed-but-configured and half-gone packages in its database too. */
function present(status: string | undefined): boolean {
  return status !== undefined && !status.endsWith(' not-installed') && !status.endsWith(' config-files')
}

export function diffPackages(before: PackageSet, after: PackageSet): PackageDelta {
  const delta: PackageDelta = {db: before.db, added: [], removed: [], changed: []}
  for (const [name, a] of Object.entries(after.packages)) {
    const b = before.packages[name]
    if (!present(a.status)) continue
    if (!present(b?.status)) delta.added.push({name, version: a.version, ...(b?.status.endsWith(' config-files') ? {hadConfig: true} : {})})
    else if (b!.version !== a.version) delta.changed.push({name, from: b!.version, to: a.version})
  }
  for (const [name, b] of Object.entries(before.packages)) {
    if (present(b.status) && !present(after.packages[name]?.status)) delta.removed.push({name, version: b.version})
  }
  return delta
}

const APT_ENV = {DEBIAN_FRONTEND: 'noninteractive'}
const APT_OPTS = ['-y', '-q', '-o', 'DPkg::Lock::Timeout=300', '-o', 'Dpkg::Options::=--force-confdef', '-o', 'Dpkg::Options::=--force-confold']

/** Removes exactly `names` (those still installed); refuses if the manager would remove more. */
export async function removePackages(db: PackageDb, names: string[], keepConfig: string[]): Promise<void> {
  const now = await listPackages(db)
  const purge = names.filter((n) => present(now.packages[n]?.status) && !keepConfig.includes(n))
  const remove = keepConfig.filter((n) => present(now.packages[n]?.status))
  if (db === 'rpm') {
    if (purge.length) await runOrFail('dnf', ['remove', '-y', ...purge], 'remove the packages')
    return
  }
  for (const [list, purging] of [[purge, true], [remove, false]] as const) {
    if (!list.length) continue
    const args = ['remove', ...(purging ? ['--purge'] : []), ...list]
    const sim = await probe('apt-get', ['-s', ...args], APT_ENV)
    const extra = sim.stdout.split('\n').filter((l) => l.startsWith('Purg ') || l.startsWith('Remv ')).map((l) => l.split(' ')[1]!).filter((n) => !list.includes(n) && !list.includes(n.replace(/:.*$/, '')))
    if (sim.exitCode !== 0 || extra.length) {
      throw new RunbookError(`Removing ${list.join(', ')} would also remove ${extra.join(', ') || 'other packages'} (apt-get -s ${args.join(' ')}${sim.exitCode !== 0 ? ` failed: ${sim.stderr.trim()}` : ''}). Nothing was removed; remove the packages by hand, then run the rollback again.`, 1)
    }
    await runOrFail('apt-get', [...APT_OPTS, ...args], 'remove the packages')
  }
}

/** Puts back packages a step removed or changed, at their recorded versions. */
export async function reinstallPackages(db: PackageDb, pkgs: Array<{name: string; version: string}>): Promise<void> {
  if (!pkgs.length) return
  if (db === 'rpm') {
    await runOrFail('dnf', ['install', '-y', ...pkgs.map((p) => `${p.name.replace(/\.[^.]+$/, '')}-${p.version.replace(/^0:/, '')}`)], 'reinstall the packages')
    return
  }
  await runOrFail('apt-get', [...APT_OPTS, '--allow-downgrades', 'install', ...pkgs.map((p) => `${p.name}=${p.version}`)], 'reinstall the packages')
}

async function runOrFail(file: string, args: string[], what: string): Promise<void> {
  const execa = await loadExeca()
  const r = await execa(file, args, {reject: false, stdin: 'ignore', env: APT_ENV, all: true})
  if (r.exitCode !== 0) {
    const tail = String(r.all ?? '').trim().split('\n').slice(-8).join('\n')
    throw new RunbookError(`Could not ${what}: ${file} ${args.filter((a) => !a.startsWith('-')).join(' ')} exited with ${r.exitCode ?? r.signal}.\n${tail}\nFix the cause and run the rollback again: it continues where it stopped.`, 1)
  }
}
