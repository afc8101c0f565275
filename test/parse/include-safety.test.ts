/**
 * Includes stay inside the docs tree (issue: a page could read /etc/shadow,
 * a symlink out of its tree or /proc/self/environ into a plan, and a FIFO
 * hung the parse). One case per class: `../` escape, absolute path, symlink
 * out, a kernel pseudo-file, a FIFO: each is a warning naming the reason, and
 * nothing of the file reaches the tree. An oversized file is a usage error
 * (src/parse/limits.ts).
 */
import {execFileSync} from 'node:child_process'
import {mkdirSync, mkdtempSync, rmSync, symlinkSync, truncateSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import type {Nodes} from 'mdast'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import {UsageError} from '../../src/errors.js'
import {MAX_INCLUDE_BYTES} from '../../src/parse/include-files.js'
import {parseFile, parseText} from '../../src/parse/index.js'

let root = ''
let site = ''
let docs = ''

/** All text of a tree: code values, paragraphs, directive attributes. */
function textOf(node: Nodes): string {
  const own = 'value' in node ? String(node.value) : ''
  const attributes = 'attributes' in node ? JSON.stringify(node.attributes) : ''
  const children = 'children' in node ? (node.children as Nodes[]).map(textOf).join('\n') : ''
  return [own, attributes, children].join('\n')
}

function parseInclude(path: string) {
  const page = parseText(`# Page\n\n--8<-- "${path}"\n\nAfter.\n`, join(docs, 'page.md'), {includePaths: [docs]})
  return {page, text: textOf(page.tree as Nodes)}
}

beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'rb-include-'))
  site = join(root, 'site')
  docs = join(site, 'docs')
  mkdirSync(join(site, 'include'), {recursive: true})
  mkdirSync(docs, {recursive: true})
  writeFileSync(join(site, 'mkdocs.yml'), 'markdown_extensions:\n  - pymdownx.snippets:\n      base_path: docs\n')
  writeFileSync(join(root, 'secret.txt'), 'SECRET-OUTSIDE\n')
  writeFileSync(join(site, 'include', 'ok.md'), '```bash\necho inside-the-tree\n```\n')
  symlinkSync(join(root, 'secret.txt'), join(docs, 'link-out.md'))
  symlinkSync(join(site, 'include', 'ok.md'), join(docs, 'link-in.md'))
  symlinkSync('/proc/self/environ', join(docs, 'environ.md'))
  execFileSync('mkfifo', [join(docs, 'pipe.md')])
  writeFileSync(join(docs, 'big.md'), 'x')
  truncateSync(join(docs, 'big.md'), MAX_INCLUDE_BYTES + 1)
})

afterAll(() => {
  if (root) rmSync(root, {recursive: true, force: true})
})

describe('snippet includes stay inside the docs tree', () => {
  it('resolves inside the tree of its mkdocs.yml, through a symlink that stays inside too', () => {
    expect(parseInclude('../include/ok.md').text).toContain('echo inside-the-tree')
    expect(parseInclude('link-in.md').text).toContain('echo inside-the-tree')
  })

  const refused: Array<[string, () => string, RegExp]> = [
    ['a ../ escape', () => '../../secret.txt', /outside the docs tree/],
    ['an absolute path', () => join(root, 'secret.txt'), /absolute path is not included/],
    ['a symlink out of the tree', () => 'link-out.md', /outside the docs tree/],
    ['/proc/self/environ, by a symlink', () => 'environ.md', /file of the kernel/],
    ['/proc/self/environ, by a ../ path', () => '../'.repeat(12) + 'proc/self/environ', /file of the kernel/],
    ['a FIFO (never opened)', () => 'pipe.md', /not a regular file \(a named pipe\)/],
  ]
  for (const [name, path, reason] of refused) {
    it(`refuses ${name}: a warning, and nothing of the file`, () => {
      const {page, text} = parseInclude(path())
      expect(page.diagnostics).toHaveLength(1)
      expect(page.diagnostics[0]).toMatchObject({severity: 'warning', source: {file: join(docs, 'page.md'), line: 3}})
      expect(page.diagnostics[0].message).toMatch(reason)
      expect(text).not.toMatch(/SECRET-OUTSIDE|PATH=|xxxx/)
      // The page goes on after the refused include.
      expect(text).toContain('After.')
    })
  }

  it('an include over the file size limit is a usage error naming the file and the limit', () => {
    expect(() => parseInclude('big.md')).toThrow(UsageError)
    expect(() => parseInclude('big.md')).toThrow(/big\.md is 16 MB, over the page size limit of 16 MB/)
  })

  it('a page that is a FIFO or /proc/kmsg is a usage error, at once', () => {
    expect(() => parseFile(join(docs, 'pipe.md'))).toThrow(UsageError)
    expect(() => parseFile(join(docs, 'pipe.md'))).toThrow(/not a regular file \(a named pipe\)/)
    expect(() => parseFile('/proc/kmsg')).toThrow(/\/proc\/kmsg is a file of the kernel/)
  })
})
