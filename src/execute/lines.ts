/**
 * Splits a byte stream into lines without holding more than one line: output
 * floods stream through, and a line with no newline in sight is cut at
 * `maxLine` characters rather than buffered without bound.
 */
import {StringDecoder} from 'node:string_decoder'

export interface Line {
  text: string
  /** False for a line cut at `maxLine` or the last one when the stream ended without a newline. */
  newline: boolean
}

/** Receives one line; `newline` as in {@link Line}. */
export type LineSink = (text: string, newline: boolean) => void

export class LineSplitter {
  private decoder = new StringDecoder('utf8')
  private partial = ''
  /** The last `each` cut a line at `maxLine`. */
  cut = false

  constructor(private readonly maxLine = 64 * 1024) {}

  push(chunk: Buffer | string): Line[] {
    const out: Line[] = []
    this.each(chunk, (text, newline) => out.push({text, newline}))
    return out
  }

  /**
   * `push` for floods: hands each line to `sink` as it is found (no array, no
   * objects) and returns the text of those lines in one piece, newlines
   * included, which is every line joined as a log would write them.
   */
  each(chunk: Buffer | string, sink: LineSink): string {
    const text = this.partial + (typeof chunk === 'string' ? chunk : this.decoder.write(chunk))
    const max = this.maxLine
    let start = 0
    this.cut = false
    for (let nl = text.indexOf('\n'); nl !== -1; nl = text.indexOf('\n', start)) {
      // A line longer than maxLine goes out in pieces without a newline, its end with one.
      while (nl - start > max) {
        this.cut = true
        sink(text.slice(start, start + max), false)
        start += max
      }
      sink(text.slice(start, nl), true)
      start = nl + 1
    }
    while (text.length - start >= max) {
      this.cut = true
      sink(text.slice(start, start + max), false)
      start += max
    }
    this.partial = start === 0 ? text : text.slice(start)
    return start === 0 ? '' : start === text.length ? text : text.slice(0, start)
  }

  /** The text of the line begun and not yet handed out. */
  get pending(): string {
    return this.partial
  }

  end(): Line[] {
    const rest = this.partial + this.decoder.end()
    this.partial = ''
    return rest ? [{text: rest, newline: false}] : []
  }
}
