/**
 * Where CommonMark starts an HTML block that runs to the next blank line
 * (conditions 6 and 7 of the spec): a known block tag (`<div class="admonition">`,
 * `</details>`), or any other complete tag alone on its line. The block pass
 * needs it because superfences reads fences before Python-Markdown looks for
 * HTML, so a fence written inside such a block is code in MkDocs, where
 * CommonMark would fold it into the HTML.
 */
import {htmlBlockNames, htmlRawNames} from 'micromark-util-html-tag-name'

const blockNames = new Set(htmlBlockNames)
const rawNames = new Set(htmlRawNames)

const BLOCK_TAG = /^[ \t]*<\/?([A-Za-z][A-Za-z0-9-]*)(?=[ \t]|\/?>|$)/
const ATTRIBUTE = String.raw`[ \t]+[A-Za-z_:][A-Za-z0-9_.:-]*(?:[ \t]*=[ \t]*(?:[^"'=<>\x60\s]+|'[^']*'|"[^"]*"))?`
const COMPLETE_TAG = new RegExp(String.raw`^[ \t]*(?:<([A-Za-z][A-Za-z0-9-]*)(?:${ATTRIBUTE})*[ \t]*\/?>|<\/([A-Za-z][A-Za-z0-9-]*)[ \t]*>)[ \t]*$`)

/**
 * Does this line (not indented code) start an HTML block that a blank line ends?
 * `afterBlank`: nothing but a blank line or the start of the body is above it; a
 * tag of condition 7 cannot interrupt a paragraph.
 */
export function startsHtmlBlock(text: string, afterBlank: boolean): boolean {
  const block = BLOCK_TAG.exec(text)
  if (block && blockNames.has(block[1].toLowerCase())) return true
  if (!afterBlank) return false
  const tag = COMPLETE_TAG.exec(text)
  return tag !== null && !rawNames.has((tag[1] ?? tag[2]).toLowerCase())
}
