/**
 * Splits a byte stream into the lines a reporter shows (the log takes the
 * bytes themselves), without holding more than one line: output floods
 * stream through, and a line with no newline in sight is cut at `maxLine`
 * characters rather than buffered without bound.
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

  constructor(private readonly maxLine = 64 * 1024) {}

  push(chunk: Buffer | string): Line[] {
    const out: Line[] = []
    this.each(chunk, (text, newline) => out.push({text, newline}))
    return out
  }

  /** `push` for floods: hands each line to `sink` as it is found, no array, no objects. */
  each(chunk: Buffer | string, sink: LineSink): void {
    const text = this.partial + (typeof chunk === 'string' ? chunk : this.decoder.write(chunk))
    const max = this.maxLine
    let start = 0
    for (let nl = text.indexOf('\n'); nl !== -1; nl = text.indexOf('\n', start)) {
      // A line longer than maxLine goes out in pieces without a newline, its end with one.
      while (nl - start > max) {
        sink(text.slice(start, start + max), false)
        start += max
      }
      sink(text.slice(start, nl), true)
      start = nl + 1
    }
    while (text.length - start >= max) {
      sink(text.slice(start, start + max), false)
      start += max
    }
    this.partial = start === 0 ? text : text.slice(start)
  }

  end(): Line[] {
    const rest = this.partial + this.decoder.end()
    this.partial = ''
    return rest ? [{text: rest, newline: false}] : []
  }
}
