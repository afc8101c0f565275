/**
 * The bash grammar (tree-sitter-bash's WebAssembly build, run by web-tree-sitter),
 * loaded on first use: only a plan whose placeholders have values pays for it
 * (about 0.2 s), so `graph` and a dry-run without values never load it.
 */
import {createRequire} from 'node:module'
import type {Parser as ParserType, Tree} from 'web-tree-sitter'

let loading: Promise<ParserType> | undefined

async function load(): Promise<ParserType> {
  const {Parser, Language} = await import('web-tree-sitter')
  await Parser.init()
  const wasm = createRequire(import.meta.url).resolve('tree-sitter-bash/tree-sitter-bash.wasm')
  const parser = new Parser()
  parser.setLanguage(await Language.load(wasm))
  return parser
}

export function bashParser(): Promise<ParserType> {
  return (loading ??= load())
}

export type {Tree}
export type {Node as SyntaxNode} from 'web-tree-sitter'
