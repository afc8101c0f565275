// Registered with `node --import`: at exit, writes the names of Node's own modules the program
// loaded (beyond those of Node's start) to $TRACE_BUILTINS_FILE, one a line, so a test can prove
// what a command does not load.
import {writeFileSync} from 'node:fs'

const atStart = new Set(process.moduleLoadList)
process.on('exit', () => {
  const loaded = process.moduleLoadList.filter((name) => !atStart.has(name) && name.startsWith('NativeModule '))
  writeFileSync(process.env.TRACE_BUILTINS_FILE, loaded.map((name) => name.slice('NativeModule '.length)).join('\n') + '\n')
})
