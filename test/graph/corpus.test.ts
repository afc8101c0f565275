/**
 * Every page of ../shared/corpus (four MkDocs Material trees, ≈2500 .md files)
 * parses and builds a graph, with snippets resolved from each tree's base path
 * (see each SOURCE.txt): no exception, every position inside the file it names,
 * and no fence lost: each `code` node of the tree is exactly one action (the
 * parts of a split fence share `action.block`; a command shown with what it
 * prints is one block of the command and its `output` part) or one context
 * block, and every action keeps a known role. Then a few
 * facts read by hand from real pages.
 */
import {readdirSync, readFileSync} from 'node:fs'
import {join, relative, resolve} from 'node:path'
import type {Nodes} from 'mdast'
import {describe, expect, it} from 'vitest'
import {buildGraph} from '../../src/graph/index.js'
import type {Action, Graph, SourcePos} from '../../src/graph/types.js'
import {parseFile, type ParsedPage} from '../../src/parse/index.js'
import {corpusDir, hasShared} from '../helpers/shared.js'

/** Every action keeps a role: a block that does not run is not lost, it is kept with one of these. */
const ROLES = new Set(['command', 'file-content', 'example', 'output', 'conditional', 'optional'])

/** Snippet base path of each tree: wallarm `docs/`, percona `snippets/`, GetPageSpeed `includes/`; BunkerWeb has no snippets. */
const TREES: Record<string, string[]> = {
  wallarm: [resolve(corpusDir, 'wallarm', 'docs')],
  'percona-pbm-docs': [resolve(corpusDir, 'percona-pbm-docs', 'snippets')],
  'GetPageSpeed-nginx-extras-docs': [resolve(corpusDir, 'GetPageSpeed-nginx-extras-docs', 'includes')],
  'bunkerity-bunkerweb': [],
}

function pages(dir: string): string[] {
  return readdirSync(dir, {withFileTypes: true})
    .flatMap((entry) => (entry.isDirectory() ? pages(join(dir, entry.name)) : entry.name.endsWith('.md') ? [join(dir, entry.name)] : []))
    .sort()
}

/** File contents shared by every parse of this file (includes are read once). */
const cache = new Map<string, string | null>()
const lineCounts = new Map<string, number>()

function lineCount(file: string): number {
  let count = lineCounts.get(file)
  if (count === undefined) {
    const text = (cache.get(file) ?? readFileSync(file, 'utf8')).replace(/^\uFEFF/, '')
    const lines = text.split(/\r\n|\r|\n/)
    if (lines.length > 1 && lines[lines.length - 1] === '') lines.pop()
    count = lines.length
    lineCounts.set(file, count)
  }
  return count
}

/** The tree a page belongs to (its first folder under the corpus). */
function treeOf(file: string): string {
  return relative(corpusDir, file).split(/[\\/]/)[0]
}

/** Trees of long pages (a module's whole reference; the features page in five languages), grouped by their `docs/` folder. */
const BY_DOCS_FOLDER = new Set(['GetPageSpeed-nginx-extras-docs', 'bunkerity-bunkerweb'])

/**
 * Pages in groups of a few seconds' work each (well inside the test timeout on a loaded machine):
 * wallarm by folder (docs/5.0 and pt-BR include whole pages of latest/), the trees of long pages by docs folder.
 */
function groupOf(file: string): string {
  const parts = relative(corpusDir, file).split(/[\\/]/)
  if (parts.length === 1) return parts[0]
  if (BY_DOCS_FOLDER.has(parts[0])) return parts.length >= 4 && parts[1] === 'docs' ? parts.slice(0, 3).join('/') : parts[0]
  if (parts[0] !== 'wallarm' || parts.length === 2) return parts[0]
  return parts[1] === 'docs' ? parts.slice(0, 3).join('/') : parts.slice(0, 2).join('/')
}

function load(file: string, tree = treeOf(file)): {page: ParsedPage; graph: Graph} {
  const page = parseFile(file, {includePaths: TREES[tree] ?? [], cache})
  return {page, graph: buildGraph(page)}
}

/** What is wrong with one page, as lines naming the page; empty when nothing is. */
function problemsOf(file: string): string[] {
  const name = relative(corpusDir, file)
  let page: ParsedPage
  let graph: Graph
  try {
    ;({page, graph} = load(file))
  } catch (error) {
    return [`${name}: threw ${(error as Error).stack ?? error}`]
  }
  const problems: string[] = []
  const inside = (what: string, at: SourcePos) => {
    if (!(at.line >= 1 && at.line <= lineCount(at.file))) problems.push(`${name}: ${what} at ${relative(corpusDir, at.file)}:${at.line}, outside the file`)
  }

  // Positions of the tree, and its fences.
  const fences: Array<{file: string; start: number; end: number}> = []
  const visit = (node: Nodes) => {
    const file = node.data?.file ?? page.file
    if (node.position) {
      inside(`${node.type} start`, {file, line: node.position.start.line})
      inside(`${node.type} end`, {file, line: node.position.end.line})
      if (node.type === 'code') fences.push({file, start: node.position.start.line, end: node.position.end.line})
    } else if (node.type === 'code') problems.push(`${name}: a code node without a position`)
    if ('children' in node) for (const child of node.children as Nodes[]) visit(child)
  }
  visit(page.tree)

  // Positions of the graph.
  // Block ids are unique within a procedure (like step ids): grouped per procedure.
  const blocks = new Map<string, Action[]>()
  for (const procedure of graph.procedures) {
    inside(`procedure ${procedure.id}`, procedure.source)
    for (const step of procedure.steps) {
      inside(`step ${step.id}`, step.source)
      for (const action of step.actions) {
        inside(`action ${action.id}`, action.source)
        if (!ROLES.has(action.role)) problems.push(`${name}: action ${action.id} has no known role (${JSON.stringify(action.role)})`)
        const block = `${procedure.id} ${action.block}`
        if (action.block) blocks.set(block, [...(blocks.get(block) ?? []), action])
      }
      for (const rollback of step.rollback ?? []) inside(`rollback of ${step.id}`, rollback.source)
    }
  }
  for (const group of Object.values(graph.groups)) inside(`group ${group.id}`, group.source)
  for (const block of graph.context) inside('context block', block.source)
  for (const diagnostic of graph.diagnostics) inside(`diagnostic "${diagnostic.message}"`, diagnostic.source)

  // Every fence is one action block or one context block, matched by file:line.
  const key = (file: string, line: number) => `${relative(corpusDir, file)}:${line}`
  const have = fences.map((fence) => key(fence.file, fence.start)).sort()
  const got: string[] = []
  for (const [block, parts] of blocks) {
    const file = parts[0].source.file
    const lines = parts.map((part) => part.source.line)
    const fence =
      parts.length === 1
        ? fences.find((candidate) => candidate.file === file && candidate.start === lines[0])
        : fences.find((candidate) => candidate.file === file && candidate.start <= Math.min(...lines) && Math.max(...lines) <= candidate.end)
    // A fence split in parts: comment-led sections each start inside it; a command shown with what it
    // prints keeps the fence's line, and its output is one part (role `output`) starting inside it.
    const outputs = parts.filter((part) => part.role === 'output')
    const placed = (part: Action, index: number) => (fence !== undefined && part.source.line > fence.start) || (index === 0 && outputs.length > 0)
    if (!fence || parts.some((part) => part.source.file !== file)) problems.push(`${name}: action block ${block} (${key(file, lines[0])}) is no fence of the tree`)
    else if (parts.length > 1 && !parts.every(placed)) problems.push(`${name}: action block ${block} has a part at the fence's own line ${key(file, fence.start)} that is not a command kept whole`)
    else got.push(key(fence.file, fence.start))
    for (const output of outputs) {
      if (output.kind !== 'file-content' || output === parts[0] || parts.indexOf(output) !== parts.length - 1) problems.push(`${name}: output ${output.id} of block ${block} is not the block's last part, shown as file content`)
    }
  }
  for (const block of graph.context) got.push(key(block.source.file, block.source.line))
  got.sort()
  if (JSON.stringify(got) !== JSON.stringify(have)) {
    const missing = have.filter((entry, index) => have.indexOf(entry) === index && have.filter((e) => e === entry).length > got.filter((e) => e === entry).length)
    const extra = got.filter((entry, index) => got.indexOf(entry) === index && got.filter((e) => e === entry).length > have.filter((e) => e === entry).length)
    problems.push(`${name}: fences lost ${JSON.stringify(missing)}, counted twice or unknown ${JSON.stringify(extra)}`)
  }
  return problems
}

describe.skipIf(!hasShared)('corpus (../shared/corpus)', () => {
  const groups = new Map<string, string[]>()
  for (const file of hasShared ? pages(corpusDir) : []) groups.set(groupOf(file), [...(groups.get(groupOf(file)) ?? []), file])

  it('finds every .md file of the corpus', () => {
    expect(Object.fromEntries([...groups.entries()].map(([group, list]) => [group, list.length]))).toEqual({
      'README.md': 1,
      wallarm: 2,
      'wallarm/docs/5.0': 365,
      'wallarm/docs/latest': 347,
      'wallarm/docs/latest-pt-BR': 366,
      'wallarm/docs/pt-BR': 378,
      'wallarm/include': 291,
      'wallarm/include-pt-BR': 277,
      'percona-pbm-docs': 149,
      'GetPageSpeed-nginx-extras-docs': 15,
      'GetPageSpeed-nginx-extras-docs/docs/guides': 5,
      'GetPageSpeed-nginx-extras-docs/docs/lua': 115,
      'GetPageSpeed-nginx-extras-docs/docs/modules': 132,
      'bunkerity-bunkerweb': 10,
      'bunkerity-bunkerweb/docs/de': 9,
      'bunkerity-bunkerweb/docs/es': 9,
      'bunkerity-bunkerweb/docs/fr': 9,
      'bunkerity-bunkerweb/docs/superpowers': 1,
      'bunkerity-bunkerweb/docs/zh': 9,
    })
  })

  for (const group of groups.keys()) {
    it(`${group}: every page parses and builds a graph, positions inside their files, no fence lost`, () => {
      const problems = (groups.get(group) ?? []).flatMap((file) => problemsOf(file))
      expect(problems).toEqual([])
    })
  }

  it('wallarm installer 4.10 page (the reference page’s sibling): procedures, steps, tabs and kinds, read by hand', () => {
    const {graph} = load(resolve(corpusDir, 'wallarm/docs/latest/admin-en/installation-postanalytics-en.md'))
    expect(graph.title).toBe('Separate Postanalytics Module Installation')
    expect(graph.diagnostics).toEqual([])
    expect(graph.context).toEqual([])
    const token = 'API token | Node token'
    const arch = 'inline: If using the x86_64 version: | If using the ARM64 version:'
    const five = 'Debian | Ubuntu | CentOS or Amazon Linux 2.0.2021x and lower | AlmaLinux, Rocky Linux or Oracle Linux 8.x | RHEL 8.x'
    const nginx = 'Debian | Ubuntu | CentOS | AlmaLinux, Rocky Linux or Oracle Linux 8.x | RHEL 8.x'
    const shape = graph.procedures.map((procedure) => [
      procedure.id,
      procedure.title,
      procedure.steps.map((step) => [
        `${step.number}. ${step.title}`,
        step.groups.map((id) => `${graph.groups[id].inline ? 'inline: ' : ''}${graph.groups[id].labels.join(' | ')}`),
        step.actions.map((action) => action.kind).join(' '),
      ]),
    ])
    expect(shape).toEqual([
      [
        'all-in-one-automatic-installation',
        'All-in-one automatic installation',
        [
          ['1. Download all-in-one Wallarm installer', ['x86_64 version | ARM64 version'], 'exec exec'],
          ['2. Prepare Wallarm token', [token], 'manual manual'],
          ['3. Run all-in-one Wallarm installer to install postanalytics', [token, arch, arch], 'exec exec exec exec'],
          ['4. Configure the postanalytics module', [], 'edit file-content edit file-content edit file-content'],
          ['5. Enable inbound connections for the postanalytics module', [], 'manual'],
          ['6. Restart the Wallarm services', [], 'exec'],
          ['7. Install the NGINX-Wallarm module on a separate server', [token, arch, arch], 'manual exec exec exec exec'],
          ['8. Connect the NGINX-Wallarm module to the postanalytics module', [nginx], 'file-content exec exec exec exec exec'],
          ['9. Check the NGINX‑Wallarm and separate postanalytics modules interaction', [], 'check check check check'],
        ],
      ],
      [
        'manual-installation',
        'Manual installation',
        [
          [
            '1. Add Wallarm repositories',
            ['Debian 10.x (buster) | Debian 11.x (bullseye) | Ubuntu 18.04 LTS (bionic) | Ubuntu 20.04 LTS (focal) | Ubuntu 22.04 LTS (jammy) | CentOS 7.x | Amazon Linux 2.0.2021x and lower | AlmaLinux, Rocky Linux or Oracle Linux 8.x | RHEL 8.x'],
            'exec exec exec exec exec exec exec exec exec',
          ],
          ['2. Install packages for the postanalytics module', [five], 'exec exec exec exec exec'],
          ['3. Connect the postanalytics module to Wallarm Cloud', [token, token], 'manual manual exec exec'],
          ['4. Update postanalytics module configuration', [five, five], 'edit edit edit edit edit edit edit edit edit edit file-content file-content'],
          ['5. Restart Wallarm services', [five], 'exec exec exec exec exec'],
          ['6. Install the NGINX-Wallarm module on a separate server', [five], 'check check check check check check check check check check'],
          ['7. Connect the NGINX-Wallarm module to the postanalytics module', [nginx], 'file-content exec exec exec exec exec'],
          ['8. Check the NGINX‑Wallarm and separate postanalytics modules interaction', [], 'check check check check check'],
        ],
      ],
    ])
    // Step 4 edits /opt/wallarm/env.list twice and node.yaml once, each followed by what to write there.
    expect(graph.procedures[0].steps[3].actions.map((action) => [action.source.line, action.file ?? null])).toEqual([
      [115, '/opt/wallarm/env.list'],
      [120, '/opt/wallarm/env.list'],
      [132, '/opt/wallarm/env.list'],
      [137, '/opt/wallarm/env.list'],
      [144, '/opt/wallarm/etc/wallarm/node.yaml'],
      [149, '/opt/wallarm/etc/wallarm/node.yaml'],
    ])
    // The token tabs of manual step 3 come from the include, with its own file and lines.
    const include = resolve(corpusDir, 'wallarm/include/waf/installation/get-api-or-node-token.md')
    expect(graph.procedures[1].steps[2].actions.slice(0, 2).map((action) => action.source)).toEqual([
      {file: include, line: 3},
      {file: include, line: 9},
    ])
  })

  it('numbered headings under a step are part of it, and version numbers are no steps (wallarm upgrade pages, read by hand)', () => {
    const steps = (path: string) => {
      const {graph} = load(resolve(corpusDir, path))
      return graph.procedures.map((procedure) => [procedure.title, procedure.steps.map((step) => `${step.number}. ${step.title}`)])
    }
    // `### Method 1: …` to `### Method 3: …` sit in `## Step 8: Upgrade the Ingress controller`.
    expect(steps('wallarm/docs/latest/updating-migrating/older-versions/ingress-controller.md')).toEqual([
      [
        'Upgrading EOL NGINX Ingress controller with integrated Wallarm modules',
        [
          '1. Inform Wallarm technical support that you are upgrading filtering node modules (only if upgrading node 2.18 or lower)',
          '2. Disable the Active threat verification module (only if upgrading node 2.16 or lower)',
          '3. Update API port',
          '4. Update the Wallarm Helm chart repository',
          '5. Update the values.yaml configuration',
          '6. Transfer the overlimit_res attack detection configuration from directives to the rule',
          '7. Check out all coming K8s manifest changes',
          '8. Upgrade the Ingress controller',
          '9. Test the upgraded Ingress controller',
          '10. Adjust the Ingress annotations to released changes',
          '11. Re-enable the Active threat verification module (only if upgrading node 2.16 or lower)',
        ],
      ],
    ])
    // `### Study 5.x approach` is a section of step 3, not a step 5.
    expect(steps('wallarm/docs/latest/updating-migrating/older-versions/multi-tenant.md')).toEqual([
      [
        'Upgrading the EOL multi-tenant node',
        ['1. Contact the Wallarm support team', '2. Follow standard upgrade procedure', '3. Reconfigure multitenancy', '4. Test Wallarm multi-tenant node operation'],
      ],
    ])
  })

  it('GetPageSpeed brotli module page: the two RHEL tabs and the config for nginx.conf, read by hand', () => {
    const {graph} = load(resolve(corpusDir, 'GetPageSpeed-nginx-extras-docs/docs/modules/brotli.md'))
    expect(graph.title).toBe('brotli: NGINX Brotli dynamic modules')
    expect(graph.diagnostics).toEqual([])
    // No numbered steps: each top section that holds fences is a procedure of its own (the default is the first that runs a command).
    expect(graph.procedures.map((procedure) => [procedure.id, procedure.title, procedure.steps.map((step) => `${step.number}. ${step.title}`)])).toEqual([
      ['installation', 'Installation', ['1. Installation']],
      ['sample-configuration', 'Sample configuration', ['1. Sample configuration']],
    ])
    const [install, sample] = graph.procedures.map((procedure) => procedure.steps[0])
    expect(install.groups.map((id) => [graph.groups[id].dimension, graph.groups[id].labels])).toEqual([
      ['os', ['CentOS/RHEL 8+, Fedora Linux, Amazon Linux 2023+', 'CentOS/RHEL 7 and Amazon Linux 2']],
    ])
    expect(install.actions.map((action) => [action.kind, action.role, action.lang, action.source.line, action.when.map((c) => c.label), action.file ?? null])).toEqual([
      ['exec', 'command', 'bash', 23, ['CentOS/RHEL 8+, Fedora Linux, Amazon Linux 2023+'], null],
      ['exec', 'command', 'bash', 30, ['CentOS/RHEL 7 and Amazon Linux 2'], null],
      ['file-content', 'file-content', 'nginx', 38, [], '/etc/nginx/nginx.conf'],
      ['file-content', 'file-content', 'nginx', 41, [], '/etc/nginx/nginx.conf'],
    ])
    expect(install.actions[0].script).toBe('dnf -y install https://extras.getpagespeed.com/release-latest.rpm \ndnf -y install nginx-module-brotli')
    expect(sample.actions.map((action) => [action.kind, action.role, action.lang, action.source.line])).toEqual([['file-content', 'file-content', '', 137]])
  })
})
