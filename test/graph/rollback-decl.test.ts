/** Undo declared by a page's author, in the native directive and in an invisible HTML comment. */
import {describe, expect, it} from 'vitest'
import {buildGraph} from '../../src/graph/index.js'
import {parseText} from '../../src/parse/index.js'

const page = `# Guide

## Install

### Step 1: Add the repository

=== "Debian"
    \`\`\`bash
    echo deb > /etc/apt/sources.list.d/x.list
    \`\`\`

    :::rollback
    \`\`\`bash
    rm -f /etc/apt/sources.list.d/x.list
    \`\`\`
    :::

### Step 2: Start it

\`\`\`bash
systemctl start x
\`\`\`

<!-- rollback
\`\`\`bash
systemctl stop x
\`\`\`
-->

### Step 3: Done

<!-- rollback: echo nothing to undo -->
`

describe('declared rollback', () => {
  const graph = buildGraph(parseText(page, '/guides/page.md'))
  const steps = graph.procedures[0].steps

  it('reads a :::rollback directive under the tab it sits in', () => {
    expect(steps[0].rollback).toEqual([{script: 'rm -f /etc/apt/sources.list.d/x.list', source: {file: '/guides/page.md', line: 13}, when: [{group: 'g1', label: 'Debian'}]}])
    expect(steps[0].actions.map((a) => a.script)).toEqual(['echo deb > /etc/apt/sources.list.d/x.list'])
  })

  it('reads an HTML comment, fenced or on one line, which MkDocs does not render', () => {
    expect(steps[1].rollback).toEqual([{script: 'systemctl stop x', source: {file: '/guides/page.md', line: 24}, when: []}])
    expect(steps[2].rollback).toEqual([{script: 'echo nothing to undo', source: {file: '/guides/page.md', line: 32}, when: []}])
  })
})
