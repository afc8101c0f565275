// Registered with `node --import`: appends every module URL the program loads
// to $TRACE_IMPORTS_FILE, so a test can prove what a command does not load.
import {register} from 'node:module'

register('./trace-imports-hooks.mjs', import.meta.url, {data: {file: process.env.TRACE_IMPORTS_FILE}})
