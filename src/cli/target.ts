/**
 * What the user named: a runbook in runbooks/ or a path. Also finds the
 * snippet base paths a MkDocs project declares, so a vendor page runs from its
 * own repository without --include-path.
 */
import {existsSync, readdirSync, readFileSync, statSync} from 'node:fs'
import {dirname, join, resolve} from 'node:path'
import {fileURLToPath} from 'node:url'
import {UsageError} from '../errors.js'

/** The project's runbooks/ folder (beside dist/ once built). */
export const runbooksDir = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', 'runbooks')

/** A target naming a file (by path), not a runbook of runbooks/. */
export function isPathTarget(target: string): boolean {
  return target.includes('/') || (target.endsWith('.md') && resolveTarget(target) !== join(runbooksDir, target))
}

export function resolveTarget(target: string): string {
  // `tarantool.md` with no such file here is the runbook `tarantool` (a file of that name here wins).
  if (!target.includes('/') && target.endsWith('.md') && !existsSync(target) && existsSync(join(runbooksDir, target))) return join(runbooksDir, target)
  const looksLikePath = target.includes('/') || target.endsWith('.md')
  if (looksLikePath) {
    if (!existsSync(target)) throw new UsageError(`${target}: no such file. Give the path of a markdown page, or the name of a runbook (see 'runbook list').`)
    if (statSync(target).isDirectory()) throw new UsageError(`${target} is a folder. Give the path of a markdown page inside it.`)
    return resolve(target)
  }
  const named = join(runbooksDir, `${target}.md`)
  if (existsSync(named)) return named
  const known = listRunbookNames()
  const near = known.filter((name) => name.includes(target) || target.includes(name))
  throw new UsageError(
    `no runbook named '${target}' in ${runbooksDir}. ` +
      (near.length ? `Did you mean ${near.map((name) => `'${name}'`).join(' or ')}? ` : '') +
      `Known runbooks: ${known.join(', ') || 'none'}. To run any page, give its path (e.g. ./docs/install.md).`,
  )
}

export function listRunbookNames(): string[] {
  if (!existsSync(runbooksDir)) return []
  return readdirSync(runbooksDir)
    .filter((name) => name.endsWith('.md'))
    .map((name) => name.slice(0, -3))
    .sort()
}

/**
 * `pymdownx.snippets: base_path` of the nearest mkdocs*.yml above the page
 * (following INHERIT), resolved against that file's folder.
 */
export function mkdocsBasePaths(page: string): string[] {
  for (let dir = dirname(page); ; dir = dirname(dir)) {
    const configs = safeList(dir).filter((name) => /^mkdocs.*\.ya?ml$/.test(name)).sort((a, b) => a.length - b.length)
    for (const name of configs) {
      const found = basePathsOf(join(dir, name), 0)
      if (found.length > 0) return found
    }
    if (dirname(dir) === dir) return []
  }
}

function basePathsOf(config: string, depth: number): string[] {
  let text: string
  try {
    text = readFileSync(config, 'utf8')
  } catch {
    return []
  }
  const dir = dirname(config)
  const block = /pymdownx\.snippets:\s*\n((?:[ \t]+.*\n?)+)/.exec(text)?.[1] ?? ''
  const inline = /base_path:\s*\[([^\]]*)\]/.exec(block)?.[1]
  const single = /base_path:\s*(['"]?)([^'"\n[]+)\1\s*$/m.exec(block)?.[2]
  const listed = /base_path:\s*\n((?:\s*-\s*.+\n?)+)/.exec(block)?.[1]
  const values = inline
    ? inline.split(',')
    : single
      ? [single]
      : listed
        ? listed.split('\n').map((line) => line.replace(/^\s*-\s*/, ''))
        : []
  const paths = values.map((value) => value.trim().replace(/^['"]|['"]$/g, '')).filter(Boolean).map((value) => resolve(dir, value))
  if (paths.length > 0 || depth > 3) return paths
  const inherit = /^INHERIT:\s*(['"]?)(.+?)\1\s*$/m.exec(text)?.[2]
  return inherit ? basePathsOf(resolve(dir, inherit), depth + 1) : []
}

function safeList(dir: string): string[] {
  try {
    return readdirSync(dir)
  } catch {
    return []
  }
}
