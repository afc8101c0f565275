// The floor of a first dry-run, for dry-run.js: Node starts, loads remark-parse (bundled into one
// file, as dist/ is) and parses the page once, with nothing of the engine. The parser is the design's
// (remark, unified); whatever a first dry-run costs beyond this is the engine's own.
import {readFileSync} from 'node:fs'
import remarkParse from 'remark-parse'
import {unified} from 'unified'

const tree = unified().use(remarkParse).parse(readFileSync(process.argv[2], 'utf8'))
if (tree.children.length === 0) throw new Error(`${process.argv[2]}: parsed to nothing`)
