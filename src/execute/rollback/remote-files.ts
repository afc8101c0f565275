/**
 * Snapshots on another machine, through its Target: the paths a step may
 * change are listed there (type, mode, owner, size, link target, sha256 of
 * every file, or absent) and the ones that exist are copied here as one tar
 * archive in the step's journal. Restoring removes each path and unpacks the
 * archive again, then lists the paths once more: rollback claims a path put
 * back only when the listing matches the one taken before the step.
 */
import {readFile, writeFile} from 'node:fs/promises'
import {join} from 'node:path'
import {RunbookError} from '../../errors.js'
import type {Destination} from '../target/destination.js'
import type {Target} from '../target/types.js'

export interface RemoteSnapshot {
  destination: Destination
  /** Absolute paths on that machine. */
  paths: string[]
  /** The listing before the step (see LIST). */
  manifest: string
  /** The archive of the paths that existed, in the journal's blobs folder. */
  archive: string
}

/** Paths arrive on stdin, NUL-separated, after the script: they may hold a page's values, so never argv. */
const LIST = `while IFS= read -r -d '' p; do
  if [ -e "$p" ] || [ -L "$p" ]; then
    find -P "$p" -printf '%p\\t%y\\t%m\\t%U\\t%G\\t%s\\t%l\\n' | LC_ALL=C sort
    find -P "$p" -type f -exec sha256sum -- {} + | LC_ALL=C sort -k2
  else printf '%s\\tabsent\\n' "$p"; fi
done`

const ARCHIVE = `set -e; n=0; while IFS= read -r -d '' p; do if [ -e "$p" ] || [ -L "$p" ]; then set -- "$@" "$p"; fi; done; if [ $# -gt 0 ]; then tar -cPpf - --numeric-owner -- "$@"; fi`

const RESTORE = `set -e; IFS= read -r -d '' count; i=0; while [ "$i" -lt "$count" ]; do IFS= read -r -d '' p; rm -rf -- "$p"; i=$((i + 1)); done; tar -xPpf - --numeric-owner 2>/dev/null || true`

function nul(paths: string[]): Buffer {
  return Buffer.from(paths.map((p) => p + '\0').join(''))
}

async function list(target: Target, paths: string[]): Promise<string> {
  const r = await target.exec(LIST, nul(paths))
  if (r.code !== 0) throw new Error(`could not list ${paths.join(', ')} on ${target.label}: ${r.stderr.trim() || `exit ${r.code}`}`)
  return r.stdout.toString('utf8')
}

export async function snapshotRemote(target: Target, paths: string[], blobDir: string, name: string): Promise<RemoteSnapshot> {
  const manifest = await list(target, paths)
  const r = await target.exec(ARCHIVE, nul(paths))
  if (r.code !== 0) throw new Error(`could not copy ${paths.join(', ')} from ${target.label}: ${r.stderr.trim() || `exit ${r.code}`}`)
  const { mkdir } = await import('node:fs/promises')
  await mkdir(blobDir, {recursive: true, mode: 0o700})
  const archive = join(blobDir, `${name}.tar`)
  await writeFile(archive, r.stdout, {mode: 0o600})
  return {destination: target.destination!, paths, manifest, archive}
}

/** True when the paths differ from the snapshot now. */
export async function remoteChanged(target: Target, snap: RemoteSnapshot): Promise<boolean> {
  return (await list(target, snap.paths)) !== snap.manifest
}

export async function restoreRemote(target: Target, snap: RemoteSnapshot): Promise<void> {
  if (!(await remoteChanged(target, snap))) return
  const tar = await readFile(snap.archive)
  const input = Buffer.concat([Buffer.from(`${snap.paths.length}\0`), nul(snap.paths), tar])
  const r = await target.exec(RESTORE, input)
  if (r.code !== 0) throw new RunbookError(`could not restore ${snap.paths.join(', ')} on ${target.label}: ${r.stderr.trim() || `exit ${r.code}`}.`, 1)
  if (await remoteChanged(target, snap)) {
    throw new RunbookError(`restored ${snap.paths.join(', ')} on ${target.label}, but they still differ from the snapshot taken before the step. Check them by hand.`, 1)
  }
}
