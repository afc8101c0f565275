/** Runs `runbook rollback` for a run directory in a child process that a test can kill. */
import {planRollback, runRollback} from '../../../src/execute/rollback/index.js'

const plan = await planRollback(process.argv[2]!)
const result = await runRollback(plan, {yes: true})
process.exitCode = result.exitCode
