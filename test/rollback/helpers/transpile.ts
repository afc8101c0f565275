/**
 * A transpiled copy of a TypeScript entry and its relative imports, so a test
 * can run it in a child process (and kill it). Written under node_modules so
 * that package imports (execa, sh-syntax) resolve.
 */
import {mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs'
import {dirname, join, relative, resolve} from 'node:path'
import {fileURLToPath} from 'node:url'
import ts from 'typescript'

export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../../..')

const made: string[] = []

/** Removes the copies made by this process. */
export function cleanTranspiled(): void {
  for (const dir of made.splice(0)) rmSync(dir, {recursive: true, force: true})
}

export function transpile(entry: string): string {
  const out = mkdtempSync(join(repoRoot, 'node_modules', '.cache-runbook-rollback-'))
  made.push(out)
  const seen = new Set<string>()
  const queue = [resolve(repoRoot, entry)]
  while (queue.length) {
    const file = queue.pop()!
    if (seen.has(file)) continue
    seen.add(file)
    const source = readFileSync(file, 'utf8')
    for (const m of source.matchAll(/(?:from|import)\s*\(?\s*'(\.{1,2}\/[^']+)\.js'/g)) queue.push(resolve(dirname(file), `${m[1]}.ts`))
    const js = ts.transpileModule(source, {compilerOptions: {module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022}}).outputText
    const target = join(out, relative(repoRoot, file)).replace(/\.ts$/, '.js')
    mkdirSync(dirname(target), {recursive: true})
    writeFileSync(target, js)
  }
  writeFileSync(join(out, 'package.json'), '{"type":"module"}\n')
  return join(out, relative(repoRoot, entry)).replace(/\.ts$/, '.js')
}
