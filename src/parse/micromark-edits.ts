/**
 * micromark applies batched edits to its event list with `EditMap.consume`,
 * which copies the whole list and pushes every event back, however close to
 * the end the edits are. The document tokenizer makes such an edit for every
 * lazy continuation line inside a container (a list item's paragraph that
 * goes on unindented, a table under a list item), so a page with many of them
 * costs the square of its length: on the corpus' biggest page, 80% of the
 * parse at 16× its size went there (bare `mdast-util-from-markdown` too).
 *
 * Same edits, same result, but the events before the first edit stay where
 * they are: the cost is what lies after the first edit, which for the lazy
 * line is a handful of events. micromark (and core-commonmark) import the one
 * `EditMap` class of `micromark-util-edit-map`, so replacing its method here,
 * once, before any parse, covers every parse of the process.
 */
import type {Event} from 'micromark-util-types'
import {EditMap} from 'micromark-util-edit-map'

type Change = [at: number, remove: number, add: Event[]]

interface Edits {
  map: Change[]
  index: Map<number, Change>
}

EditMap.prototype.consume = function consume(this: Edits, events: Event[]): undefined {
  const map = this.map
  if (map.length === 0) return
  map.sort((a, b) => a[0] - b[0])
  // Cut the list back to the first edit, keeping each stretch after an edit and what the edit adds.
  const pieces: Event[][] = []
  for (let i = map.length - 1; i >= 0; i--) {
    const [at, remove, add] = map[i]!
    pieces.push(events.slice(at + remove), add)
    events.length = at
  }
  // Then put them back in order after the untouched events.
  for (let i = pieces.length - 1; i >= 0; i--) for (const event of pieces[i]!) events.push(event)
  map.length = 0
  this.index.clear()
}
