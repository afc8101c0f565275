/**
 * The full state of a directory tree, without following links: what a
 * rollback must bring back exactly.
 */
import {createHash} from 'node:crypto'
import {lstatSync, readdirSync, readFileSync, readlinkSync} from 'node:fs'
import {join} from 'node:path'

export function listing(root: string): Record<string, string> {
  const out: Record<string, string> = {}
  const walk = (p: string) => {
    const s = lstatSync(p, {throwIfNoEntry: false})
    if (!s) return
    const owner = `${s.uid}:${s.gid} ${(s.mode & 0o7777).toString(8)}`
    if (s.isSymbolicLink()) out[p] = `link -> ${readlinkSync(p)} ${s.uid}:${s.gid}`
    else if (s.isDirectory()) {
      out[p] = `dir ${owner}`
      for (const name of readdirSync(p)) walk(join(p, name))
    } else out[p] = `file ${owner} ${Math.trunc(s.mtimeMs)} ${createHash('sha256').update(readFileSync(p)).digest('hex')}`
  }
  walk(root)
  return out
}
