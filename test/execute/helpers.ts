/**
 * Test helpers: plans built by hand from scripts, a reporter that records, an
 * Interaction that answers from a script, and a transpiled copy of the sources
 * so a test can run the executor in a child process it can kill.
 */
import {mkdtempSync, mkdirSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {dirname, join, relative, resolve} from 'node:path'
import {fileURLToPath} from 'node:url'
import ts from 'typescript'
import type {Plan, PlannedAction, PlannedStep, ParameterInfo} from '../../src/resolve/types.js'
import type {FailureChoice, Interaction, RunEvent, StepChoice} from '../../src/execute/events.js'

export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../..')

export interface StepSpec {
  id?: string
  title?: string
  script?: string
  actions?: Array<Partial<PlannedAction>>
  host?: 'local' | 'other'
  troubleshooting?: string
  hash?: string
}

export function makeAction(stepId: string, n: number, a: Partial<PlannedAction>): PlannedAction {
  return {
    id: `${stepId}/a${n}`,
    kind: 'exec',
    role: 'command',
    lang: 'bash',
    script: '',
    template: a.script ?? '',
    variant: [],
    source: {file: '/fixture.md', line: 1},
    placeholders: [],
    host: {where: 'local', reason: ''},
    sudo: false,
    interactive: false,
    ...a,
  }
}

export function makePlan(specs: StepSpec[], opts: {file?: string; hash?: string; parameters?: ParameterInfo[]} = {}): Plan {
  const steps: PlannedStep[] = specs.map((s, i) => {
    const id = s.id ?? `step-${i + 1}`
    const actions = (s.actions ?? [{script: s.script ?? 'true'}]).map((a, n) => makeAction(id, n + 1, a))
    return {
      id,
      number: i + 1,
      title: s.title ?? `Step ${i + 1} title`,
      source: {file: '/fixture.md', line: 10 * (i + 1)},
      prose: '',
      host: s.host ?? 'local',
      actions,
      skipped: [],
      ...(s.troubleshooting ? {troubleshooting: s.troubleshooting} : {}),
      hash: s.hash ?? `h-${id}-${actions.map((a) => a.script).join('|').length}`,
    }
  })
  return {
    runbook: {title: 'Fixture runbook', file: opts.file ?? '/fixtures/fixture-runbook.md', hash: opts.hash ?? 'rb-hash-1'},
    platform: {id: 'debian', idLike: [], versionId: '12', prettyName: 'Debian GNU/Linux 12', arch: 'x86_64', source: '--os debian:12', archSource: '--arch'},
    procedure: {id: 'install', title: 'Install'},
    otherProcedures: [],
    choices: {},
    conditions: [],
    selections: [],
    steps,
    parameters: opts.parameters ?? [],
    conditions: [],
    warnings: [],
  }
}

export function param(name: string, secret = false): ParameterInfo {
  return {name, raw: `<${name}>`, secret, source: {file: '/fixture.md', line: 1}}
}

export function recorder(): {events: RunEvent[]; reporter: (e: RunEvent) => void; lines: () => string[]} {
  const events: RunEvent[] = []
  return {
    events,
    reporter: (e) => events.push(e),
    lines: () => events.flatMap((e) => (e.type === 'output' ? e.text.split('\n') : [])),
  }
}

export function answers(opts: {failure?: FailureChoice[]; manual?: boolean[]; step?: StepChoice[]; terminal?: boolean} = {}): Interaction & {asked: string[]} {
  const failure = [...(opts.failure ?? [])]
  const manual = [...(opts.manual ?? [])]
  const step = [...(opts.step ?? [])]
  const asked: string[] = []
  const interaction: Interaction & {asked: string[]} = {
    asked,
    async choose() {
      throw new Error('unexpected choose')
    },
    async promptValue() {
      throw new Error('unexpected promptValue')
    },
    async confirmManual(_a, s) {
      asked.push(`manual ${s.number}`)
      return manual.shift() ?? false
    },
    async confirmStep(s) {
      asked.push(`step ${s.number}`)
      return step.shift() ?? 'run'
    },
    async onFailure(s) {
      asked.push(`failure ${s.number}`)
      return failure.shift() ?? 'abort'
    },
  }
  if (opts.terminal) interaction.withTerminal = (run) => run()
  return interaction
}

export function tempDir(prefix = 'rb-exec-'): string {
  return mkdtempSync(join(tmpdir(), prefix))
}

/** Every file under `dir`, recursively. */
export function allFiles(dir: string): string[] {
  const out: string[] = []
  for (const name of readdirSync(dir)) {
    const p = join(dir, name)
    if (statSync(p).isDirectory()) out.push(...allFiles(p))
    else out.push(p)
  }
  return out
}

/**
 * Transpiles `entry` (repo-relative .ts) and everything it imports into a cache
 * folder inside node_modules (so `execa` resolves), returning the .js entry.
 */
export function transpile(entry: string): string {
  const out = mkdtempSync(join(repoRoot, 'node_modules', '.cache-runbook-test-'))
  process.once('exit', () => rmSync(out, {recursive: true, force: true}))
  const seen = new Set<string>()
  const queue = [resolve(repoRoot, entry)]
  while (queue.length > 0) {
    const file = queue.pop()!
    if (seen.has(file)) continue
    seen.add(file)
    const source = readFileSync(file, 'utf8')
    for (const m of source.matchAll(/(?:from|import)\s*\(?\s*'(\.{1,2}\/[^']+)\.js'/g)) queue.push(resolve(dirname(file), `${m[1]}.ts`))
    const js = ts.transpileModule(source, {compilerOptions: {module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022, verbatimModuleSyntax: false}}).outputText
    const target = join(out, relative(repoRoot, file)).replace(/\.ts$/, '.js')
    mkdirSync(dirname(target), {recursive: true})
    writeFileSync(target, js)
  }
  writeFileSync(join(out, 'package.json'), '{"type":"module"}\n')
  return join(out, relative(repoRoot, entry)).replace(/\.ts$/, '.js')
}
