import {describe, it, expect, beforeAll, afterAll} from 'vitest'
import {execFileSync} from 'node:child_process'
import {mkdtempSync, readdirSync, rmSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import fc from 'fast-check'
import {substitute, displayScript} from '../../src/resolve/substitute.js'
import {UsageError} from '../../src/errors.js'
import {runBashBatch} from '../helpers/bash-batch.js'

const V = {name: 'V', raw: '<V>', secret: false}
const SPACED = {name: 'NAME_OF_NODE', raw: '<name of node>', secret: false}
let dir: string

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'rb-sub-'))
})
afterAll(() => rmSync(dir, {recursive: true, force: true}))

/** Each template prints `a` + value + `b` (and a trailing `|` where printf adds it). */
const contexts: Array<{name: string; template: string; expect: (v: string) => string}> = [
  {name: 'bare word', template: `printf '%s|' a<V>b`, expect: (v) => `a${v}b|`},
  {name: 'single quotes', template: `printf '%s|' 'a<V>b'`, expect: (v) => `a${v}b|`},
  {name: 'double quotes', template: `printf '%s|' "a<V>b"`, expect: (v) => `a${v}b|`},
  {name: 'ansi-c quotes', template: `printf '%s|' $'a<V>b'`, expect: (v) => `a${v}b|`},
  {name: 'unquoted heredoc', template: `cat <<EOF\na<V>b\nEOF`, expect: (v) => `a${v}b\n`},
  {name: 'quoted heredoc', template: `cat <<'EOF'\na<V>b\nEOF`, expect: (v) => `a${v}b\n`},
  {name: 'tab-stripped heredoc', template: `cat <<-"EOF"\n\ta<V>b\n\tEOF`, expect: (v) => `a${v}b\n`},
  {name: 'comment', template: `# note: <V>\nprintf ok`, expect: () => 'ok'},
  {name: 'command substitution', template: `printf '%s|' "$(printf '%s' a<V>b)"`, expect: (v) => `a${v}b|`},
  {name: 'backticks in double quotes', template: "printf '%s|' \"`printf '%s' a<V>b`\"", expect: (v) => `a${v}b|`},
  {name: 'backticks in command substitution', template: "x=$(x=`printf '%s' \"a<V>b\"`; printf '%s' \"$x\")\nprintf '%s|' \"$x\"", expect: (v) => `a${v}b|`},
  {name: 'parameter default in double quotes', template: `printf '%s|' "\${UNSET_X:-a<V>b}"`, expect: (v) => `a${v}b|`},
  {name: 'heredoc in command substitution', template: `x=$(cat <<EOF\na<V>b\nEOF\n)\nprintf '%s|' "$x"`, expect: (v) => `a${v}b|`},
]

const hostile = [
  `x'; touch pwned; echo '`,
  '$(touch pwned)',
  '`touch pwned`',
  '`id`',
  '"; touch pwned; "',
  '\\',
  '\\\\n',
  'line one\nline two',
  'ends with backslash\\',
  '*',
  '~',
  '$HOME',
  '${HOME}',
  '!!',
  "it's",
  'ünïcødé ✓ 日本',
  ' leading and trailing ',
  '',
  '\'"`$\\',
  'EOF ',
  ') ; touch pwned ; (',
  '} ; touch pwned ; {',
  '# not a comment',
  '\nEOFX\n',
]

function runBash(script: string): string {
  return execFileSync('bash', ['--noprofile', '--norc', '-e', '-o', 'pipefail', '-c', script], {cwd: dir, encoding: 'utf8'})
}

describe('substitute: hostile values executed by bash', () => {
  for (const c of contexts) {
    it(`keeps values literal in ${c.name}`, async () => {
      const scripts = await Promise.all(hostile.map((value) => substitute(c.template, {V: value}, [V])))
      const got = runBashBatch(scripts, dir)
      expect(hostile.map((value, i) => ({value, got: got[i]}))).toEqual(hostile.map((value) => ({value, got: c.expect(value)})))
      expect(readdirSync(dir)).toEqual([])
    })
  }

  it('keeps arbitrary strings literal in every context (property)', async () => {
    await fc.assert(
      fc.asyncProperty(fc.string({unit: 'binary', maxLength: 40}).filter((s) => !s.includes('\0') && !/(^|\n)EOF(\n|$)/.test(s) && !/\n\t/.test(s)), async (value) => {
        const scripts = await Promise.all(contexts.map((c) => substitute(c.template, {V: value}, [V])))
        expect(runBashBatch(scripts, dir)).toEqual(contexts.map((c) => c.expect(value)))
      }),
      {numRuns: 10},
    )
    expect(readdirSync(dir)).toEqual([])
  })
})

describe('substitute: shapes', () => {
  it('quotes a bare word with single quotes', async () => {
    expect(await substitute('wallarm -t <V>', {V: `a'b`}, [V])).toBe(`wallarm -t 'a'\\''b'`)
  })
  it('closes and reopens single quotes', async () => {
    expect(await substitute(`echo 'group=<V>'`, {V: `g'1`}, [V])).toBe(`echo 'group=g'\\''1'`)
  })
  it('escapes inside double quotes', async () => {
    expect(await substitute(`echo "<V>"`, {V: '$a`b"c\\d!'}, [V])).toBe('echo "\\$a\\`b\\"c\\\\d!"')
  })
  it('finds placeholders by raw text or name, spaces included', async () => {
    expect(await substitute('ping <name of node> <V>', {'<name of node>': 'n1', V: 'v'}, [SPACED, V])).toBe(`ping 'n1' 'v'`)
    expect(await substitute('ssh <name of node>', {NAME_OF_NODE: 'n2'}, [SPACED])).toBe(`ssh 'n2'`)
  })
  it('leaves placeholders without a value as written', async () => {
    expect(await substitute('echo <V> <name of node>', {V: 'x'}, [V, SPACED])).toBe(`echo 'x' <name of node>`)
  })
  it('keeps a comment commented when the value holds newlines', async () => {
    expect(await substitute('# <V>\necho', {V: 'a\nrm -rf x'}, [V])).toBe('# a\n# rm -rf x\necho')
  })
  it('refuses a value whose line would end the heredoc', async () => {
    for (const template of [`cat <<'EOF'\n<V>\nEOF`, `cat <<EOF\n<V>\nEOF`, `cat <<-EOF\n\t<V>\nEOF`]) {
      await expect(substitute(template, {V: 'x\nEOF\ntouch pwned'}, [V])).rejects.toThrow(UsageError)
    }
    await expect(substitute(`cat <<'EOF'\n<V>\nEOF`, {V: 'x\nEOF\ntouch pwned'}, [V], {source: {file: 'docs/p.md', line: 7}})).rejects.toThrow(
      "docs/p.md:9: the value of <V> cannot be substituted safely: it holds a line 'EOF', which would end the heredoc it is used in early; give a value without that line. Rewrite that command on the page so <V> stands in a plain argument (or in quotes), or run that step by hand.",
    )
  })
  it('does not take << in a here-string for a heredoc', async () => {
    expect(runBash(await substitute(`cat <<< <V>`, {V: 'a b'}, [V]))).toBe('a b\n')
  })
})

describe('displayScript', () => {
  it('shows secrets as *** and other values quoted', async () => {
    const T = {name: 'TOKEN', raw: '<TOKEN>', secret: true}
    expect(await displayScript('wallarm -t <TOKEN> -g <V>', {TOKEN: 's3cr3t', V: 'g 1'}, ['TOKEN'], [T, V])).toBe(`wallarm -t *** -g 'g 1'`)
  })
  it('works from the value keys alone', async () => {
    expect(await displayScript(`echo <TOKEN> "<GROUP>"`, {TOKEN: 's3cr3t', GROUP: 'a"b'}, ['TOKEN'])).toBe('echo *** "a\\"b"')
  })
})
