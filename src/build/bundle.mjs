#!/usr/bin/env node
/**
 * `npm run build`, second half (after `tsc`, which type-checks and emits
 * dist/ module by module): bundles the CLI so that Node resolves, reads and
 * compiles a few files instead of a few hundred (the first dry-run spent a
 * third of its time finding and compiling modules).
 *
 * Every module the code loads lazily (`import('./x.js')`) is an entry of its
 * own and keeps its path under dist/, so a lazy load stays lazy and a test can
 * still see, by file name, what a command loaded; code shared by several
 * entries goes to dist/chunks/. Ink, React, execa and the shell parser stay
 * in node_modules (external): what loads them is visible, and sh-syntax and
 * web-tree-sitter find their WebAssembly beside their own files; node-pty
 * loads its native binary from its own package, and the headless xterm is
 * CommonJS that requires Node's modules at run time.
 */
import {readFileSync, readdirSync, rmSync, statSync} from 'node:fs'
import {dirname, join, relative, resolve} from 'node:path'
import {fileURLToPath} from 'node:url'
import {randomBytes} from 'node:crypto'
import {build} from 'esbuild'

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..')
const src = join(root, 'src')
const dist = join(root, 'dist')

function sources(dir) {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name)
    if (statSync(path).isDirectory()) return sources(path)
    return /\.tsx?$/.test(name) && !name.endsWith('.d.ts') ? [path] : []
  })
}

/** `import('./x.js')` in `file` → the source file it names. */
function lazyTargets(file) {
  const text = readFileSync(file, 'utf8')
  const targets = []
  // Worker files too (`new Worker(new URL('./x.js', import.meta.url))`): a worker starts from a file of its own.
  for (const m of text.matchAll(/\bimport\(\s*['"](\.{1,2}\/[^'"]+)['"]\s*\)|\bnew URL\(\s*['"](\.{1,2}\/[^'"]+\.js)['"]\s*,\s*import\.meta\.url\s*\)/g)) {
    const base = resolve(dirname(file), m[1] ?? m[2]).replace(/\.js$/, '')
    const found = ['.ts', '.tsx'].map((ext) => base + ext).find((path) => {
      try {
        return statSync(path).isFile()
      } catch {
        return false
      }
    })
    if (!found) throw new Error(`${relative(root, file)}: cannot find the source of ${m[1] ?? m[2]}`)
    targets.push(found)
  }
  return targets
}

const entries = [...new Set([join(src, 'cli', 'main.ts'), ...sources(src).flatMap(lazyTargets)])].sort()
rmSync(join(dist, 'chunks'), {recursive: true, force: true})
const result = await build({
  entryPoints: entries,
  outbase: src,
  outdir: dist,
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  jsx: 'automatic',
  packages: 'bundle',
  external: ['ink', 'ink-*', 'react', 'react/*', 'react-dom', 'execa', 'sh-syntax', 'sh-syntax/*', 'yoga-layout', 'web-tree-sitter', 'tree-sitter-bash', '@lydell/node-pty', '@lydell/node-pty-*', '@xterm/headless'],
  chunkNames: 'chunks/[name]-[hash]',
  // One stamp per build: the caches keyed by the engine's build (cache.ts) never outlive it.
  define: {RUNBOOK_BUILD: JSON.stringify(randomBytes(8).toString('hex'))},
  legalComments: 'none',
  logLevel: 'warning',
  metafile: true,
})

// A module that finds files from its own location (`fileURLToPath(import.meta.url)`, e.g. runbooks/
// beside dist/) must land as deep under dist/ as it lies under src/, or it looks in the wrong folder.
// (cache.ts looks only when RUNBOOK_BUILD is absent, i.e. never in the bundle.)
for (const [output, {inputs}] of Object.entries(result.metafile.outputs)) {
  for (const input of Object.keys(inputs)) {
    const text = input.startsWith('src/') ? readFileSync(join(root, input), 'utf8') : ''
    if (!/fileURLToPath\(import\.meta\.url\)|new URL\([^)]*import\.meta\.url\)/.test(text) || text.includes('RUNBOOK_BUILD')) continue
    const depth = (path, base) => relative(base, join(root, path)).split('/').length
    if (depth(output, dist) !== depth(input, src)) {
      throw new Error(`${input} finds files from its own location but was bundled into ${output}, at another depth: make it an entry, or find its files another way.`)
    }
  }
}
