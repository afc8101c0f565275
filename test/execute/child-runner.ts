/**
 * Runs the executor in a child process for the kill and signal tests:
 * `node child-runner.js job.json`, plain reporter on stdout, no terminal.
 */
import {readFileSync} from 'node:fs'
import {runPlan} from '../../src/execute/executor.js'
import {createPlainInteraction, createPlainReporter} from '../../src/ui/plain.js'

const job = JSON.parse(readFileSync(process.argv[2]!, 'utf8'))
const result = await runPlan({
  ...job,
  reporter: createPlainReporter(process.stdout, {color: false}),
  interaction: createPlainInteraction({yes: Boolean(job.yes), input: process.stdin, output: process.stdout, isTTY: false}),
  resumeCommand: (id: string) => `runbook resume ${id}`,
})
process.exitCode = result.exitCode
// The flood test reads the runner's peak memory from here.
if (process.env.RUNBOOK_TEST_RSS_FILE) {
  const {writeFileSync} = await import('node:fs')
  writeFileSync(process.env.RUNBOOK_TEST_RSS_FILE, String(process.resourceUsage().maxRSS * 1024))
}
