/**
 * A small fence scanner for tests: the ```bash blocks of a Markdown page,
 * dedented, with the tab label they sit under. (The real parser is another
 * stage's; these tests must not depend on it.)
 */
export interface Fence {
  line: number
  lang: string
  text: string
  /** The nearest `=== "Label"` above at a lower indent, if any. */
  tab?: string
  /** The `### Step N:` heading above, if any. */
  step?: string
}

export function scanFences(markdown: string, langs = ['bash', 'sh', 'shell']): Fence[] {
  const lines = markdown.split('\n')
  const out: Fence[] = []
  const tabs: Array<{indent: number; label: string}> = []
  let step: string | undefined
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!
    const indent = line.length - line.trimStart().length
    const trimmed = line.trim()
    if (/^#{1,6} /.test(line)) {
      tabs.length = 0
      step = /^###\s+Step/.test(line) ? line.replace(/^#+\s*/, '') : /^##\s/.test(line) ? undefined : step
    }
    const tab = /^=== "(.*)"/.exec(trimmed)
    if (tab) {
      while (tabs.length && tabs[tabs.length - 1]!.indent >= indent) tabs.pop()
      tabs.push({indent, label: tab[1]!})
      continue
    }
    const open = /^(`{3,}|~{3,})\s*([\w-]*)/.exec(trimmed)
    if (!open) continue
    const fence = open[1]!
    const body: string[] = []
    let j = i + 1
    for (; j < lines.length; j++) {
      if (lines[j]!.trim().startsWith(fence) && lines[j]!.trim().replace(/[`~]/g, '') === '') break
      body.push(lines[j]!.slice(Math.min(indent, lines[j]!.length - lines[j]!.trimStart().length)))
    }
    while (tabs.length && tabs[tabs.length - 1]!.indent >= indent) tabs.pop()
    if (langs.includes(open[2]!.toLowerCase())) {
      out.push({line: i + 1, lang: open[2]!, text: body.join('\n'), ...(tabs.length ? {tab: tabs[tabs.length - 1]!.label} : {}), ...(step ? {step} : {})})
    }
    i = j
  }
  return out
}
