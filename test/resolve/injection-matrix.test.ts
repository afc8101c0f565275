/**
 * Placeholder values against every quoting context bash has, run by real bash:
 * a hostile value either reaches the command as exactly itself, or is refused
 * (a usage error naming the page line) where no quoting can keep it literal.
 * Every value tries to `touch` a canary file; none may ever exist.
 */
import {describe, it, expect, beforeAll, afterAll} from 'vitest'
import {spawnSync} from 'node:child_process'
import {mkdtempSync, readdirSync, rmSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {substitute} from '../../src/resolve/substitute.js'
import {UsageError} from '../../src/errors.js'
import {runBashBatch} from '../helpers/bash-batch.js'

const V = {name: 'V', raw: '<V>', secret: false}
let dir: string
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'rb-inject-'))
})
afterAll(() => rmSync(dir, {recursive: true, force: true}))

const hasLine = (v: string, line: string) => v.split('\n').some((l) => l === line)
const nul = (v: string) => v.includes('\0')
const integer = (v: string) => /^-?[0-9]+$/.test(v)

interface Context {
  name: string
  template: string
  /** What the script prints for a value it accepts. */
  expect: (v: string) => string
  /** Values this context must refuse (NUL is refused everywhere). */
  refuses?: (v: string) => boolean
}

const ab = (v: string) => `a${v}b|`
const contexts: Context[] = [
  {name: 'bare word', template: `printf '%s|' a<V>b`, expect: ab},
  {name: 'single quotes', template: `printf '%s|' 'a<V>b'`, expect: ab},
  {name: 'double quotes', template: `printf '%s|' "a<V>b"`, expect: ab},
  {name: 'ansi-c quotes', template: `printf '%s|' $'a<V>b'`, expect: ab},
  {name: 'locale string $"…"', template: `printf '%s|' $"a<V>b"`, expect: ab},
  {name: 'unquoted heredoc', template: `cat <<EOF\na<V>b\nEOF`, expect: (v) => `a${v}b\n`, refuses: (v) => hasLine(v, 'EOF')},
  {name: 'quoted heredoc', template: `cat <<'EOF'\na<V>b\nEOF`, expect: (v) => `a${v}b\n`, refuses: (v) => hasLine(v, 'EOF')},
  {name: 'tab-stripped heredoc', template: `cat <<-"EOF"\n\ta<V>b\n\tEOF`, expect: (v) => `a${v}b\n`, refuses: (v) => hasLine(v.replace(/^\t+/gm, ''), 'EOF') || /\n\t/.test(v)},
  {name: 'line after a here-string', template: `cat <<< "hello" >/dev/null\nprintf '%s|' a<V>b`, expect: ab},
  {name: 'here-string word', template: `cat <<< a<V>b`, expect: (v) => `a${v}b\n`},
  {name: 'here-string double quotes', template: `cat <<< "a<V>b"`, expect: (v) => `a${v}b\n`},
  {name: 'comment', template: `# note: <V>\nprintf ok`, expect: () => 'ok'},
  {name: 'command substitution', template: `printf '%s|' "$(printf '%s' a<V>b)"`, expect: ab},
  {name: 'case inside $( )', template: `x=$(case y in y) printf '%s' a<V>b;; esac)\nprintf '%s|' "$x"`, expect: ab},
  {name: 'case pattern', template: `x=$(printf '%s' a<V>b)\ncase "$x" in a<V>b) printf '%s|' "$x";; *) printf 'no match|';; esac`, expect: ab},
  {name: 'backticks in double quotes', template: "printf '%s|' \"`printf '%s' a<V>b`\"", expect: ab},
  {name: 'backticks in $( )', template: "x=$(x=`printf '%s' \"a<V>b\"`; printf '%s' \"$x\")\nprintf '%s|' \"$x\"", expect: ab},
  {name: 'parameter default in double quotes', template: `printf '%s|' "\${UNSET_X:-a<V>b}"`, expect: ab},
  {name: 'parameter default unquoted', template: `printf '%s|' \${UNSET_X:-a<V>b}`, expect: ab},
  {name: 'heredoc in $( )', template: `x=$(cat <<EOF\na<V>b\nEOF\n)\nprintf '%s|' "$x"`, expect: ab, refuses: (v) => hasLine(v, 'EOF')},
  {name: 'process substitution', template: `cat <(printf '%s|' a<V>b)`, expect: ab},
  {name: 'sh -c "…"', template: `sh -c "printf '%s|' a<V>b"`, expect: ab},
  {name: "bash -c '…'", template: `bash -c 'printf "%s|" "a<V>b"'`, expect: ab},
  {name: 'env timeout bash -c', template: `env timeout 20 bash -c "printf '%s|' \\"a<V>b\\""`, expect: ab},
  {name: 'bash -c inside bash -c', template: `bash -c "bash -c 'printf %s\\| a<V>b'"`, expect: ab},
  {name: 'eval of a string', template: `eval "printf '%s|' a<V>b"`, expect: ab},
  {name: 'eval of words', template: `eval printf "'%s|'" a<V>b`, expect: ab},
  {name: 'trap', template: `trap "printf '%s|' a<V>b" EXIT`, expect: ab},
  {name: 'heredoc into bash', template: `bash <<EOF\nprintf '%s|' a<V>b\nEOF`, expect: ab, refuses: (v) => hasLine(v, 'EOF')},
  {name: 'quoted heredoc piped to sh', template: `cat <<'EOF' | sh\nprintf '%s|' "a<V>b"\nEOF`, expect: ab, refuses: (v) => hasLine(v, 'EOF')},
  {name: 'here-string into bash', template: `bash <<< "printf '%s|' a<V>b"`, expect: ab},
  {name: 'flock -c', template: `flock . -c "printf '%s|' a<V>b"`, expect: ab},
  {name: 'script -c (through its pseudo-terminal)', template: `script -qec "printf '%s|' a<V>b" /dev/null`, expect: (v) => ab(v).replace(/\n/g, '\r\n')},
  // watch(1) joins its command's words with spaces and runs them with sh -c; it needs a terminal, so a function does the same here.
  {name: 'watch (its sh -c, as a function)', template: `watch() { while [ $# -gt 0 ]; do case $1 in -n) shift 2;; -*) shift;; *) break;; esac; done; sh -c "$*"; }\nwatch -n 1 printf "'%s|'" "a<V>b"`, expect: ab},
  {name: 'arithmetic expansion', template: `printf '%s|' $((<V> + 0))`, expect: (v) => `${Number(v)}|`, refuses: (v) => !integer(v)},
  {name: 'arithmetic command', template: `(( x = <V> )) || true\nprintf '%s|' "$x"`, expect: (v) => `${Number(v)}|`, refuses: (v) => !integer(v)},
  {name: '[[ -eq ]]', template: `[[ <V> -eq <V> ]] && printf 'eq|'`, expect: () => 'eq|', refuses: (v) => !integer(v)},
  {name: 'array subscript', template: `a=(); a[<V>+100]=s; printf '%s|' "\${a[@]}"`, expect: () => 's|', refuses: (v) => !integer(v)},
]

// su runs its -c script with the target user's shell: as root, to root, it asks for no password.
const asRoot = process.getuid?.() === 0
if (!asRoot) console.warn('[runbook tests] not root: the su -c contexts of the injection matrix are skipped.')
if (asRoot) {
  contexts.push(
    {name: 'su -lc (a cluster ending in c)', template: `su -lc "printf '%s|' a<V>b" root`, expect: ab},
    {name: 'su -s SHELL -c', template: `su -s /bin/sh -c "printf '%s|' a<V>b" root`, expect: ab},
  )
}

/** sudo -s / -i hand their command to a shell after escaping all but `$` and line breaks (run as root, with sudo installed). */
const hasSudo = asRoot && spawnSync('sudo', ['-n', 'true']).status === 0
if (!hasSudo) console.warn('[runbook tests] sudo is absent (or this is not root): the sudo -i / -s contexts of the injection matrix are skipped (apt-get install sudo).')
const dollarOrBreak = (v: string) => /[$\n]/.test(v)
if (hasSudo) {
  contexts.push(
    {name: 'sudo -i, a plain argument', template: `sudo -i printf '%s|' a<V>b`, expect: ab, refuses: dollarOrBreak},
    {name: 'sudo -s, double quotes', template: `sudo -s printf '%s|' "a<V>b"`, expect: ab, refuses: dollarOrBreak},
    {name: 'sudo -iu root bash -c', template: `sudo -iu root bash -c "printf '%s|' a<V>b"`, expect: ab, refuses: dollarOrBreak},
  )
}

const hostile = [
  `x'; touch pwned; echo '`,
  '$(touch pwned)',
  '`touch pwned`',
  '"; touch pwned; "',
  `'"'"'; touch pwned; '"'"'`,
  'line one\ntouch pwned\n',
  'x\nEOF\ntouch pwned\nEOF',
  '\tx\n\tEOF\ntouch pwned',
  'a\0touch pwned',
  `${'x'.repeat(100 * 1024)}'; touch pwned; '`,
  '*',
  '[a-z]*?',
  '; touch pwned & touch pwned | touch pwned',
  ') ; touch pwned ; (',
  '} ; touch pwned ; {',
  '\\',
  'ends with backslash\\',
  '${IFS}$HOME~!!',
  '%s %d\\n',
  'carriage\rreturn',
  'ünïcødé ✓ 日本',
  '__rb0_',
  '',
  '0',
  '-42',
  '7',
]

describe('placeholder values: every quoting context × hostile values, through real bash', () => {
  for (const c of contexts) {
    it(`${c.name}: each value is exact or refused, never run`, async () => {
      const accepted: Array<{value: string; script: string}> = []
      const refused: string[] = []
      for (const value of hostile) {
        try {
          accepted.push({value, script: await substitute(c.template, {V: value}, [V], {source: {file: 'docs/page.md', line: 10}})})
        } catch (error) {
          expect(error).toBeInstanceOf(UsageError)
          expect((error as Error).message).toMatch(/^docs\/page\.md:1[0-9]: the value of <V> cannot be substituted safely: /)
          refused.push(value)
        }
      }
      expect(refused).toEqual(hostile.filter((v) => nul(v) || (c.refuses?.(v) ?? false)))
      const got = runBashBatch(accepted.map((a) => a.script), dir)
      expect(accepted.map((a, i) => ({value: a.value, got: got[i]}))).toEqual(accepted.map((a) => ({value: a.value, got: c.expect(a.value)})))
      expect(readdirSync(dir)).toEqual([])
    })
  }
})

/** Contexts where no value can be made safe, or the reading is not certain: refused with the reason. */
const refusedAlways: Array<[string, string]> = [
  [`echo "<V>" | bash`, 'what this command prints is run as a script by bash later in the pipeline'],
  [`sh -c "echo $HOME <V>"`, 'it is in a string that sh runs as a script, and that string holds expansions the outer shell fills in first'],
  [`sh -c "$(echo <V>)"`, 'the output of a command substitution becomes part of a script that sh runs'],
  [`bash <<EOF\necho $HOME\necho <V>\nEOF`, 'it is in a script fed to bash on standard input, and that script holds expansions the outer shell fills in first'],
  [`echo $HOME<V>`, 'it is glued to a variable name ($NAME<X> reads as one longer name); write ${NAME}<X>'],
  [`echo "unterminated <V>`, 'the bash grammar cannot read this command, so the quoting its value needs is not certain'],
  [`sh -c "sh -c \\"sh -c 'echo <V>'\\""`, 'it is in a script run by a shell inside a shell 3 levels deep'],
  [`echo "touch <V>" | at now`, 'what this command prints is run as a script by at later in the pipeline'],
  [`echo "touch <V>" | sudo batch`, 'what this command prints is run as a script by sudo later in the pipeline'],
  [`tmux new-session -d "echo <V>"`, 'tmux new-session runs its shell-command through a shell, or types keys into one, and which of its words that is depends on the command\'s options'],
  [`tmux send-keys -t 0 "echo <V>" Enter`, 'tmux send-keys runs its shell-command through a shell, or types keys into one, and which of its words that is depends on the command\'s options'],
  [`su -c"$PRE echo <V>" root`, 'it is in a string that su runs as a script, and that string holds expansions the outer shell fills in first'],
  [`sudo -i echo "$(echo <V>)"`, 'the output of a command substitution becomes part of a command that sudo -i hands to a shell'],
]

describe('placeholder values: refused where the context is not certain', () => {
  for (const [template, why] of refusedAlways) {
    it(JSON.stringify(template), async () => {
      // The fence is on line 4: the script's first line (`true`) is line 5, the template starts on line 6.
      const line = 5 + template.slice(0, template.indexOf('<V>')).split('\n').length
      await expect(substitute(`true\n${template}`, {V: 'v'}, [V], {source: {file: 'docs/page.md', line: 4}})).rejects.toThrow(
        new UsageError(`docs/page.md:${line}: the value of <V> cannot be substituted safely: ${why}. Rewrite that command on the page so <V> stands in a plain argument (or in quotes), or run that step by hand.`),
      )
    })
  }

  it('watch, flock -c, script -c, GNU parallel and at get values quoted for the shell they start; their other words stay plain', async () => {
    const twice = `''\\''a'\\''\\'\\'''\\''b'\\'''`
    expect(await substitute(`watch -n 5 -d echo <V>`, {V: `a'b`}, [V])).toBe(`watch -n 5 -d echo ${twice}`)
    expect(await substitute(`watch --interval 5 -- echo <V>`, {V: `a'b`}, [V])).toBe(`watch --interval 5 -- echo ${twice}`)
    // -x: watch runs the command itself, no shell.
    expect(await substitute(`watch -x echo <V>`, {V: `a'b`}, [V])).toBe(`watch -x echo 'a'\\''b'`)
    // The command's own -x is not watch's.
    expect(await substitute(`watch -n 2 ls -x <V>`, {V: `a'b`}, [V])).toBe(`watch -n 2 ls -x ${twice}`)
    expect(await substitute(`flock -w 5 /run/x.lock -c "echo <V>"`, {V: '$(x)'}, [V])).toBe(`flock -w 5 /run/x.lock -c "echo '\\$(x)'"`)
    // Without -c, flock runs its command directly.
    expect(await substitute(`flock /run/x.lock echo <V>`, {V: '$(x)'}, [V])).toBe(`flock /run/x.lock echo '$(x)'`)
    expect(await substitute(`script -q -c "echo <V>" /dev/null`, {V: '$(x)'}, [V])).toBe(`script -q -c "echo '\\$(x)'" /dev/null`)
    expect(await substitute(`script -qec "echo <V>" /dev/null`, {V: '$(x)'}, [V])).toBe(`script -qec "echo '\\$(x)'" /dev/null`)
    // A script glued to its option: the whole word is read as the script (-cecho is a word before the value).
    expect(await substitute(`su -c"echo <V>"`, {V: '$(x)'}, [V])).toBe(`su -c"echo '\\$(x)'"`)
    expect(await substitute(`chmod +x script && ./script <V>`, {V: '$(x)'}, [V])).toBe(`chmod +x script && ./script '$(x)'`)
    expect(await substitute(`parallel -j 2 echo <V> ::: <V>`, {V: `a'b`}, [V])).toBe(`parallel -j 2 echo ${twice} ::: 'a'\\''b'`)
    expect(await substitute(`at now <<EOF\necho <V>\nEOF`, {V: `$(x)`}, [V])).toBe(`at now <<EOF\necho '\\$(x)'\nEOF`)
    // -f: at runs a file; `at` as an argument is a word like any other.
    expect(await substitute(`echo <V> | at -f job.sh now`, {V: `$(x)`}, [V])).toBe(`echo '$(x)' | at -f job.sh now`)
    expect(await substitute(`echo <V> | grep at`, {V: `$(x)`}, [V])).toBe(`echo '$(x)' | grep at`)
    // sudo -i's own options are not part of the command it hands on.
    expect(await substitute(`sudo -iu <V> true`, {V: 'a$b'}, [V])).toBe(`sudo -iu 'a$b' true`)
    await expect(substitute(`sudo --login true <V>`, {V: 'a$b'}, [V])).rejects.toThrow('a command that sudo --login hands to a shell')
  })

  it('ssh and su -c get values quoted for the remote or inner shell', async () => {
    expect(await substitute(`ssh -p 22 root@host echo <V>`, {V: `a'b`}, [V])).toBe(`ssh -p 22 root@host echo ''\\''a'\\''\\'\\'''\\''b'\\'''`)
    expect(await substitute(`su -c "echo <V>" bob`, {V: `$(x)`}, [V])).toBe(`su -c "echo '\\$(x)'" bob`)
    expect(await substitute(`sudo -u bob sh -c 'echo <V>'`, {V: 'a b'}, [V])).toBe(`sudo -u bob sh -c 'echo '\\''a b'\\'''`)
  })
})
