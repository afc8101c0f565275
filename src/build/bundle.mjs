#!/usr/bin/env node
/**
 * `npm run build`, second half (after `tsc`, which type-checks and emits
 * dist/ module by module): bundles the CLI so that Node resolves, reads and
 * compiles a few files instead of a few hundred (the first dry-run spent a
 * third of its time finding and compiling modules).
 *
 * Every module the code loads lazily (`import('./x.js')`) is an entry of its
 * own and keeps its path under dist/, so a lazy load stays lazy and a test can
 * still see, by file name, what a command loaded. Ink, React, execa and the
 * shell parser stay in node_modules (external): what loads them is visible,
 * and sh-syntax and web-tree-sitter find their WebAssembly beside their own
 * files; node-pty loads its native binary from its own package, and the
 * headless xterm is CommonJS that requires Node's modules at run time.
 *
 * Rolldown, not esbuild, because of how shared code is cut: a bundler puts
 * each set of modules that the same entries share into a chunk of its own,
 * and with fifty lazy entries the modules a dry-run needs came out as
 * twenty-three small files, loaded one import after another (the `run`
 * command's modules took 40 ms to import that way, 26 ms as one chunk).
 * Rolldown lets the build name groups: everything the program and the `run`
 * command need before they know whether the graph is cached goes into one
 * chunk, `chunks/core-*.js`; what a real run adds to it by static imports
 * from `cli/commands/run-exec.ts` (executor, state, lock, logs, the run's
 * shell, the plain reporter) into a second, `chunks/run-*.js`. A run of plain
 * commands then loads five files instead of eighteen (14 to 35 ms less per
 * run, medians of 11 and 15 alternating runs of a one-step page).
 */
import {readFileSync, readdirSync, rmSync, statSync} from 'node:fs'
import {spawnSync} from 'node:child_process'
import {dirname, join, relative, resolve} from 'node:path'
import {fileURLToPath} from 'node:url'
import {randomBytes} from 'node:crypto'
import {rolldown} from 'rolldown'

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


const main = join(src, 'cli', 'main.ts')
const entries = [...new Set([main, ...sources(src).flatMap(lazyTargets)])].sort()
/** Where the core chunk starts: the program, the `run` command and what its dry-run loads next when the graph is cached. */
const coreRoots = [main, ...['cli/commands/run.ts', 'cli/effect-notes.ts', 'ui/dry-run.ts'].map((path) => join(src, path))]

/** Where the run chunk starts: what `run` loads once it is going to run something. */
const runRoots = [join(src, 'cli/commands/run-exec.ts')]

/** What a page's first analysis loads (parser, graph, effects), and a cached run does not. */
const analysisRoots = ['parse/index.ts', 'graph/index.ts', 'effects/effects.ts', 'effects/shell/script.ts'].map((path) => join(src, path))

/**
 * The engine's modules reached from `roots` by static imports (not through
 * those in `outside`), as the bundler's own module graph has them; packages
 * stay out: a group is the engine's own code. An entry in a group keeps its
 * file under dist/, which then only names what the group's chunk holds for
 * it; main stays out, because its code must run only when the program is
 * started.
 */
function reached(context, roots, outside = new Set()) {
  const found = new Set()
  const walk = (id) => {
    if (found.has(id) || outside.has(id) || !id.startsWith(src + '/')) return
    found.add(id)
    for (const next of context.getModuleInfo(id)?.importedIds ?? []) walk(next)
  }
  roots.forEach(walk)
  found.delete(main)
  return found
}

/**
 * The group of each module: the core, the run's own code beyond it, or none
 * (the bundler cuts it by its users). A module that both a run and a page's
 * analysis import goes into the core (so far only the answers' syntax, 2 KB):
 * left to the bundler, the run chunk takes it in as a dependency, and a first
 * dry-run then loaded the whole run chunk and the Node modules it imports
 * (child processes, sockets, readline, a VM) for one function.
 */
function groupsOf(context) {
  const core = reached(context, coreRoots)
  const analysis = reached(context, analysisRoots, core)
  const run = reached(context, runRoots, core)
  return (id) => {
    if (core.has(id)) return 'core'
    if (!run.has(id)) return null
    return analysis.has(id) ? 'core' : 'run'
  }
}

// One stamp per build: the caches keyed by the engine's build (cache.ts) never outlive it.
const define = {RUNBOOK_BUILD: JSON.stringify(randomBytes(8).toString('hex'))}

let groupOf
rmSync(join(dist, 'chunks'), {recursive: true, force: true})
const bundle = await rolldown({
  input: Object.fromEntries(entries.map((entry) => [relative(src, entry).replace(/\.tsx?$/, ''), entry])),
  platform: 'node',
  external: [/^node:/, /^(ink|react|react-dom|execa|sh-syntax|yoga-layout|web-tree-sitter|tree-sitter-bash|@lydell\/node-pty|@xterm\/headless)(\/|$)/, /^ink-/, /^@lydell\/node-pty-/],
  transform: {
    jsx: 'react-jsx',
    target: 'node20',
    define,
  },
  onLog(level, log, handle) {
    // A module imported lazily in one place and statically in another simply loads with the latter: intended.
    if (log.code === 'INEFFECTIVE_DYNAMIC_IMPORT') return
    handle(level, log)
  },
})
const {output} = await bundle.write({
  dir: dist,
  format: 'esm',
  entryFileNames: '[name].js',
  chunkFileNames: 'chunks/[name]-[hash].js',
  // dist/ is the program (the sources keep the comments), in ASCII: a file with one byte beyond it is
  // decoded on Node's slow path and scanned by V8 as two-byte text (the parser's chunk, with its entity
  // names and Unicode classes, took 13 ms to decode on a first dry-run, 5 ms once in ASCII).
  comments: false,
  charset: 'ascii',
  codeSplitting: {groups: [{debugName: 'core and run', name: (id, context) => (groupOf ??= groupsOf(context))(id)}]},
})
await bundle.close()

// A module that finds files from its own location (`fileURLToPath(import.meta.url)`, e.g. runbooks/
// beside dist/) must land as deep under dist/ as it lies under src/, or it looks in the wrong folder.
// (cache.ts looks only when RUNBOOK_BUILD is absent, i.e. never in the bundle.)
for (const chunk of output) {
  if (chunk.type !== 'chunk') continue
  for (const input of chunk.moduleIds) {
    if (!input.startsWith(src + '/')) continue
    const text = readFileSync(input, 'utf8')
    if (!/fileURLToPath\(import\.meta\.url\)|new URL\([^)]*import\.meta\.url\)/.test(text) || text.includes('RUNBOOK_BUILD')) continue
    const depth = (path, base) => relative(base, path).split('/').length
    if (depth(join(dist, chunk.fileName), dist) !== depth(input, src)) {
      throw new Error(`${relative(root, input)} finds files from its own location but was bundled into ${chunk.fileName}, at another depth: make it an entry, or find its files another way.`)
    }
  }
}

/**
 * A page's first analysis once more, on its own: the parser and the graph
 * builder as one CommonJS file, `dist/analysis.cjs`, which
 * src/cli/analysis-loader.ts compiles with V8's cache of its code (Node 20
 * caches no ES module's code). The engine's error classes stay the ES core's
 * (`require('runbook:errors')`, which the loader answers), so that what the
 * parser throws is still an `instanceof RunbookError`. Then
 * src/build/code-cache.mjs runs it over the shipped runbooks in a process of
 * its own and keeps the compiled code beside it.
 */
const errorsModule = join(src, 'errors.ts')
const analysis = await rolldown({
  input: join(src, 'cli', 'analysis.ts'),
  platform: 'node',
  external: [/^node:/],
  transform: {target: 'node20', define},
  plugins: [
    {
      name: 'errors-from-the-es-core',
      resolveId(source, importer) {
        if (importer && source.startsWith('.') && resolve(dirname(importer), source).replace(/\.js$/, '.ts') === errorsModule) return {id: 'runbook:errors', external: true}
        return null
      },
    },
  ],
})
const {output: [analysisChunk]} = await analysis.write({file: join(dist, 'analysis.cjs'), format: 'cjs', comments: false, charset: 'ascii', codeSplitting: false})
await analysis.close()
// Code run from cached data cannot load a module by `import()` on Node 20 (no callback survives the cache).
if (/\bimport\(/.test(analysisChunk.code)) throw new Error('dist/analysis.cjs loads a module by import(): the parser and the graph must import statically')
const trained = spawnSync(process.execPath, [join(root, 'src', 'build', 'code-cache.mjs')], {stdio: 'inherit'})
if (trained.status !== 0) throw new Error(`src/build/code-cache.mjs failed (${trained.status ?? trained.signal})`)
