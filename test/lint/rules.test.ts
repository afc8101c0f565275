/**
 * Every lint rule family on small pages in English and Brazilian Portuguese
 * (test/fixtures/lint): the same defects at the same places in both languages,
 * found through structure, never through English words.
 */
import {spawnSync} from 'node:child_process'
import {mkdtempSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join, resolve} from 'node:path'
import {afterAll, describe, expect, it} from 'vitest'
import {lint} from '../../src/lint/index.js'
import {platformFromOsFlag} from '../../src/resolve/platform.js'
import {repoRoot} from '../helpers/shared.js'

const fixtures = resolve(repoRoot, 'test/fixtures/lint')
const hasShellcheck = spawnSync('shellcheck', ['--version'], {stdio: 'ignore'}).status === 0
if (!hasShellcheck) console.warn('\n[runbook tests] shellcheck is not installed: the shellcheck parts of the lint tests are skipped (apt-get install shellcheck).\n')

type Row = [line: number, column: number, rule: string, severity: string]

async function rows(page: string, options: {shellcheck?: boolean; platforms?: string[]} = {}): Promise<Row[]> {
  const result = await lint({targets: [resolve(fixtures, page)], shellcheck: options.shellcheck ?? false, platforms: options.platforms?.map((p) => platformFromOsFlag(p, 'x86_64', 'test'))})
  return result.findings.map((finding) => [finding.line, finding.column, finding.rule, finding.severity])
}

async function messages(page: string): Promise<string[]> {
  const result = await lint({targets: [resolve(fixtures, page)], shellcheck: false})
  return result.findings.map((finding) => `${finding.line}:${finding.column} ${finding.rule} ${finding.message} | ${finding.hint}`)
}

describe.each(['en', 'pt-BR'])('lint rules on %s pages', (lang) => {
  it('coverage: the step without a tab for a platform the page claims; the step that says why is left alone', async () => {
    expect(await rows(`coverage.${lang}.md`)).toEqual([[16, 1, 'coverage/missing-platform', 'error']])
  })

  it('coverage with --platforms: every OS tab group must cover each platform given', async () => {
    expect(await rows(`coverage.${lang}.md`, {platforms: ['debian:11', 'debian:12', 'ubuntu:22.04']})).toEqual([
      [5, 1, 'coverage/missing-platform', 'error'],
      [16, 1, 'coverage/missing-platform', 'error'],
      [25, 1, 'coverage/missing-platform', 'error'],
    ])
  })

  it('coverage from the requirements: a platform the requirements name with a version must have a tab in every OS group', async () => {
    expect(await messages(`requirements.${lang}.md`)).toEqual([
      `10:1 coverage/missing-platform step 1 "${lang === 'en' ? 'Install the package' : 'Instale o pacote'}": no tab for debian:12 (named in the requirements) | add a tab for it, widen a label (e.g. "Debian 11.x, 12.x"), or say in the step why it does not apply`,
    ])
  })

  it('fences: file content and output in bash fences, a transcript mixing output, unlabelled commands, a longer closing fence, an unclosed fence', async () => {
    expect(await rows(`fences.${lang}.md`)).toEqual([
      [7, 1, 'fences/shell-holds-content', 'warning'],
      [14, 1, 'fences/prompt-mixes-output', 'warning'],
      [21, 1, 'fences/commands-unlabelled', 'info'],
      [27, 1, 'fences/shell-holds-content', 'warning'],
      [36, 1, 'fences/closing-length', 'error'],
      [40, 1, 'fences/unclosed', 'error'],
    ])
  })

  it('tabs: disagreeing groups of one step, an escaped label, a label naming no platform, a 3-space tab group', async () => {
    expect(await rows(`tabs.${lang}.md`)).toEqual([
      [16, 1, 'coverage/missing-platform', 'error'],
      [16, 1, 'tabs/labels-disagree', 'warning'],
      [27, 15, 'tabs/escaped-label', 'warning'],
      [35, 6, 'tabs/unknown-label', 'warning'],
      [44, 4, 'coverage/missing-platform', 'error'],
      [44, 4, 'tabs/indent', 'error'],
    ])
  })

  it('placeholders: never explained, a secret echoed (not when piped), two spellings of one name', async () => {
    expect(await rows(`placeholders.${lang}.md`)).toEqual([
      [8, 43, 'placeholders/unexplained', 'info'],
      [9, 6, 'placeholders/secret-echoed', 'warning'],
      [16, 22, 'placeholders/spelling', 'warning'],
    ])
  })

  it('shell patterns: sudo on the left of sudo tee, apt in a script, curl | sh without -f (with -f is fine)', async () => {
    expect(await rows(`shell.${lang}.md`)).toEqual([
      [8, 1, 'shell/sudo-tee', 'info'],
      [9, 6, 'shell/apt-in-script', 'warning'],
      [10, 1, 'shell/curl-pipe-sh', 'warning'],
    ])
  })

  it.skipIf(!hasShellcheck)('shellcheck: findings at the page line and column; a placeholder filled with a typed dummy is no redirection', async () => {
    const found = (await rows(`shell.${lang}.md`, {shellcheck: true})).filter((row) => row[2] === 'shell/shellcheck')
    expect(found).toEqual([
      [18, 10, 'shell/shellcheck', 'error'],
      [18, 41, 'shell/shellcheck', 'info'],
    ])
    const result = await lint({targets: [resolve(fixtures, `shell.${lang}.md`)], shellcheck: true})
    expect(result.findings.filter((f) => f.rule === 'shell/shellcheck').map((f) => f.message.slice(0, 7))).toEqual(['SC2045:', 'SC2086:'])
  })

  it('includes: a missing target, a file outside the base path of mkdocs.yml, a --8<-- line with trailing text', async () => {
    expect(await rows(`site/docs/install.${lang}.md`)).toEqual([
      [7, 1, 'includes/missing', 'error'],
      [9, 1, 'includes/outside-base', 'error'],
      [11, 25, 'includes/trailing-text', 'error'],
    ])
  })
})

describe('lint messages', () => {
  it('say what is wrong and how to fix it, naming the labels and lines involved', async () => {
    expect(await messages('tabs.en.md')).toEqual([
      '16:1 coverage/missing-platform step 1 "Add the repository": no tab for debian:10, debian:12 (covered by other steps of this procedure) | add a tab for it, widen a label (e.g. "Debian 11.x, 12.x"), or say in the step why it does not apply',
      '16:1 tabs/labels-disagree step 1: this tab group labels platforms differently from the group at line 5: "Debian" vs "Debian 11.x" | use the same labels in every tab group of a step',
      '27:15 tabs/escaped-label tab label "Debian 11\\.x" has an escape (\\.): MkDocs shows it unescaped, readers and --choose see two spellings | write the character itself in the label',
      '35:6 tabs/unknown-label tab "Docker" names no platform, beside tabs that do ("Debian 11.x", "Ubuntu 22.04"): the group becomes a question for every reader | name the distribution and version in the label, or move this tab to a group of its own',
      '44:4 coverage/missing-platform step 3 "Start it": no tab for debian:10, debian:12, ubuntu:18.04, ubuntu:20.04, ubuntu:22.04, ubuntu:24.04 (covered by other steps of this procedure) | add a tab for it, widen a label (e.g. "Debian 11.x, 12.x"), or say in the step why it does not apply',
      // The parser warns of the indent itself now; lint keeps its wording and adds the hint.
      '44:4 tabs/indent tab group indented 3 columns: MkDocs renders it as plain text (its tabs and their code need four columns per level); read here as tabs, as the author meant. Indent it by 4 columns | indent the tab group (and its body by 4 more) at a multiple of 4 spaces',
    ])
    expect(await messages('placeholders.pt-BR.md')).toEqual([
      '8:43 placeholders/unexplained placeholder <nome_do_no> is never explained in the prose: the reader must guess what to put there | say what <nome_do_no> stands for and where to find it, in a sentence or a list near the block',
      '9:6 placeholders/secret-echoed <TOKEN> looks like a secret and this line prints it (echo): it lands on the screen, in scrollback and in logs | pipe it into the program that needs it, or write it to a file with restricted permissions',
      '16:22 placeholders/spelling placeholder <NOME_DO_NO> is also spelled <nome_do_no> (line 8): one value, two spellings for the reader to reconcile | spell it <nome_do_no> everywhere',
    ])
  })

  it('a clean page has no finding; a folder is searched for every page under it', async () => {
    expect(await rows('clean.en.md', {shellcheck: hasShellcheck})).toEqual([])
    const result = await lint({targets: [resolve(fixtures, 'site')], shellcheck: false})
    expect(result.pages.map((page) => page.slice(fixtures.length + 1))).toEqual(['site/docs/install.en.md', 'site/docs/install.pt-BR.md', 'site/outside/notes.md', 'site/snippets/requirements.md'])
    expect(result.findings.length).toBe(6)
  })
})

describe('tabs/unknown-label reads a catch-all as a platform only beside named platforms', () => {
  const temp = mkdtempSync(join(tmpdir(), 'runbook-lint-rules-'))
  afterAll(() => rmSync(temp, {recursive: true, force: true}))
  const page = (labels: string[]) => {
    const file = join(temp, `${labels.length}-${labels[0].length}.md`)
    writeFileSync(file, `# Page\n\n## Step 1: Configure\n\n${labels.map((label) => `=== "${label}"\n    \`\`\`bash\n    sudo systemctl restart demo\n    \`\`\`\n`).join('')}`)
    return file
  }

  it('"Docker image" beside "Other installations" is a choice, not an unknown platform; beside "Debian 11.x" and "Other" it is', async () => {
    const rules = async (file: string) => (await lint({targets: [file], shellcheck: false})).findings.map((finding) => `${finding.line} ${finding.rule}`)
    expect(await rules(page(['Docker image', 'Other installations']))).toEqual([])
    expect(await rules(page(['Debian 11.x', 'Other distributions', 'Docker image']))).toEqual(['13 tabs/unknown-label'])
  })
})

describe('placeholders/unsubstitutable: a command the engine would refuse to fill in', () => {
  const temp = mkdtempSync(join(tmpdir(), 'runbook-lint-unsafe-'))
  afterAll(() => rmSync(temp, {recursive: true, force: true}))

  it.each([
    ['en', 'Finish the restore'],
    ['pt-BR', 'Conclua a restauração'],
  ])('is reported at the command line (%s) and the block is not handed to shellcheck', async (_lang, title) => {
    const file = join(temp, `${_lang}.md`)
    writeFileSync(file, `# Restore\n\n## Step 1: ${title}\n\n\`\`\`bash\npbm restore-finish <restore_name> -c </path/to/pbm-config.yaml>\n\`\`\`\n`)
    const result = await lint({targets: [file], shellcheck: hasShellcheck})
    expect(result.findings.map((finding) => [finding.line, finding.column, finding.rule])).toEqual([
      [6, 1, 'placeholders/unsubstitutable'],
      [6, 20, 'placeholders/unexplained'],
    ])
    expect(result.findings[0].message).toContain('<restore_name> cannot be substituted safely')
  })
})
