/**
 * The directive nodes the parser puts in the mdast tree. A runbook written in
 * generic directive syntax (`::::tabs` / `:::tab{label="Debian 11.x"}`) gives the
 * same nodes as the MkDocs form.
 */
import type {ContainerDirective, LeafDirective} from 'mdast-util-directive'

/** A group of content tabs: children are `tab` directives. */
export interface TabsDirective extends ContainerDirective {
  name: 'tabs'
}

/** One content tab; `label` as written, `selected: 'true'` for `===+`. */
export interface TabDirective extends ContainerDirective {
  name: 'tab'
  attributes: {label: string; selected?: 'true'}
}

/** `!!! type "title"`; `???` is collapsible `closed`, `???+` `open`. */
export interface AdmonitionDirective extends ContainerDirective {
  name: 'admonition'
  attributes: {type: string; title?: string; collapsible?: 'open' | 'closed'}
}

/** An include that could not be resolved, kept visible with the reason. */
export interface IncludeDirective extends LeafDirective {
  name: 'include'
  attributes: {path: string; reason: string}
}
