/**
 * Size limits and linear passes, through the real CLI: generated pages at the
 * scale that used to overflow the stack (150k lines) or take quadratic time
 * (40k placeholders) complete; pages over a limit fail with exit 2 and a
 * message naming the file, the limit and what to do. No timing assertions
 * (test/bench measures growth).
 */
import {describe, it, expect, afterAll} from 'vitest'
import {mkdtempSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {runCli} from '../helpers/cli.js'

const dir = mkdtempSync(join(tmpdir(), 'rb-limits-'))
afterAll(() => rmSync(dir, {recursive: true, force: true}))

function page(name: string, body: string): string {
  const file = join(dir, name)
  writeFileSync(file, `# Limits\n\n## Install\n\n### Step 1: Do it\n\n${body}`)
  return file
}

describe('large pages complete', () => {
  it('a 150k-line command block: the dry-run prints every line', () => {
    const lines = Array.from({length: 150_000}, (_, i) => `echo line${i}`)
    const file = page('long.md', '```bash\n' + lines.join('\n') + '\n```\n')
    const r = runCli(['run', file, '--dry-run'], {cwd: dir, maxBuffer: 256 * 1024 * 1024, timeout: 600_000})
    expect(r.stderr).toBe('')
    expect(r.code).toBe(0)
    const printed = r.stdout.split('\n').filter((line) => /^ {4}\$ echo line\d+$/.test(line))
    expect(printed).toHaveLength(150_000)
    expect(printed.at(-1)).toBe('    $ echo line149999')
  }, 600_000)

  it('40k placeholders: the dry-run substitutes every one', () => {
    const file = page('placeholders.md', '```bash\n' + 'echo <A>\n'.repeat(40_000) + '```\n')
    const r = runCli(['run', file, '--dry-run', '--set', 'A=x y'], {cwd: dir, maxBuffer: 256 * 1024 * 1024, timeout: 600_000})
    expect(r.stderr).toBe('')
    expect(r.code).toBe(0)
    expect(r.stdout.split('\n').filter((line) => line.trim() === "$ echo 'x y'" || line.trim() === "echo 'x y'")).toHaveLength(40_000)
  }, 600_000)
})

describe('limits fail with a clear message', () => {
  it('page size', () => {
    const file = page('huge.md', `\`\`\`bash\n${'echo x\n'.repeat(2_500_000)}\`\`\`\n`)
    const r = runCli(['graph', 'huge.md'], {cwd: dir})
    expect(r.code).toBe(2)
    expect(r.stderr).toBe('runbook: huge.md is 16.7 MB, over the page size limit of 16 MB for a page or an included file. Give the install guide itself, or split it into pages.\n')
    expect(file).toContain(dir)
  })

  it('line length', () => {
    page('wide.md', `Some text\n\n\`\`\`bash\necho ${'x'.repeat(1024 * 1024)}\n\`\`\`\n`)
    const r = runCli(['run', 'wide.md', '--dry-run'], {cwd: dir})
    expect(r.code).toBe(2)
    expect(r.stderr).toBe('runbook: wide.md:10: the line is 1 MB long, over the line length limit of 1 MB. Break it into lines, or move the data it holds into a file that a step downloads.\n')
  })

  it('include depth', () => {
    for (let i = 0; i < 40; i++) writeFileSync(join(dir, `part${i}.md`), `part ${i}\n--8<-- "part${i + 1}.md"\n`)
    page('deep.md', '--8<-- "part0.md"\n')
    const r = runCli(['graph', 'deep.md'], {cwd: dir})
    expect(r.code).toBe(2)
    expect(r.stderr).toBe('runbook: part31.md:2: include "part32.md" nests includes deeper than the include depth limit of 32. Check for files that include each other through different paths.\n')
  })

  it('total included size', () => {
    const line = 'y'.repeat(1000 * 1000)
    writeFileSync(join(dir, 'blob.txt'), `${Array.from({length: 10}, () => line).join('\n')}\n`)
    page('many.md', '```text\n' + '--8<-- "blob.txt"\n'.repeat(7) + '```\n')
    const r = runCli(['graph', 'many.md'], {cwd: dir})
    expect(r.code).toBe(2)
    expect(r.stderr).toBe('runbook: many.md:14: include "blob.txt" brings the page and its includes over the total included size limit of 64 MB. Include smaller files, or fewer times.\n')
  })
})
