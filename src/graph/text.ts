/** Plain text of mdast nodes, for display and for reading what the prose says. */
import {relative} from 'node:path'
import type {Nodes} from 'mdast'

export function textOf(node: Nodes | Nodes[]): string {
  if (Array.isArray(node)) return concat(node)
  switch (node.type) {
    case 'text':
    case 'inlineCode':
      return node.value
    case 'code':
      return ''
    case 'image':
      return ''
    case 'break':
      return '\n'
    default:
      return 'children' in node ? concat(node.children as Nodes[]) : ''
  }
}

function concat(nodes: Nodes[]): string {
  let out = ''
  for (const node of nodes) out += textOf(node)
  return out
}

/** Block-level text: paragraphs on their own lines, list items with a marker. */
export function proseOf(nodes: Nodes[], indent = ''): string {
  const out: string[] = []
  for (const node of nodes) {
    if (node.type === 'paragraph' || node.type === 'heading') out.push(indent + squash(textOf(node)))
    else if (node.type === 'list') {
      node.children.forEach((item, index) => {
        const marker = node.ordered ? `${(node.start ?? 1) + index}. ` : '- '
        const body = proseOf(item.children as Nodes[], indent + '   ').trimStart()
        if (body) out.push(indent + marker + body)
      })
    } else if (node.type === 'containerDirective' && node.name === 'tab') {
      out.push(`${indent}[${String(node.attributes?.label ?? '')}]`, proseOf(node.children as Nodes[], indent + '  '))
    } else if (node.type === 'containerDirective') {
      if (node.name === 'admonition' && node.attributes?.title) out.push(indent + node.attributes.title)
      out.push(proseOf(node.children as Nodes[], indent))
    } else if (node.type === 'blockquote') out.push(proseOf(node.children as Nodes[], indent + '> '))
  }
  return out.filter((line) => line.trim() !== '').join('\n')
}

/** Fold runs of white space (including the non-breaking kinds) into one space. */
export function squash(text: string): string {
  // `\s` takes in the non-breaking spaces; most text has no run to fold, only ends to trim.
  return (/\s\s|[^\S ]/.test(text) ? text.replace(/\s+/g, ' ') : text).trim()
}

/** Headings as slugs: lower case, accents folded, words joined by `-`. */
export function slug(text: string): string {
  return joinWords(text.toLowerCase(), '-')
}

/**
 * Accents folded (`pós-análise` → `pos-analise`), then every run of other
 * characters than ASCII letters and digits made one `separator`.
 */
export function joinWords(text: string, separator: string): string {
  return text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[^A-Za-z0-9]+/g, separator)
    .split(separator)
    .filter(Boolean)
    .join(separator)
}

/** A path as a person wants to read it: relative to where they are, when that is shorter. */
export function displayPath(file: string, cwd = process.cwd()): string {
  const rel = relative(cwd, file)
  return rel && rel.length < file.length ? rel : file
}

/**
 * Text in lower case for patterns written in lower case, in place of the `i`
 * flag: V8 builds a case-insensitive Unicode class (`\p{L}`, and the
 * `(?![\p{L}])` that ends a word) slowly — several ms a pattern, most of a
 * first dry-run's time in regular expressions. As the flag would: `ſ` is `s`,
 * and `İ` stays as it is (it folds to no single letter), so that the text
 * keeps its length and an index into it is an index into the original.
 */
export function lowered(text: string): string {
  const lower = text.includes('\u0130') ? text.split('\u0130').map((part) => part.toLowerCase()).join('\u0130') : text.toLowerCase()
  return lower.replaceAll('\u017f', 's')
}

