/**
 * Quoting a value for one bash context, so that the shell reads it back as
 * exactly that string. Which context a placeholder stands in is decided by
 * `shell-context.ts` from the syntax tree; this module only writes the quotes.
 */

/** `'…'` with embedded single quotes as `'\''`. */
export function quoteWord(value: string): string {
  return `'${value.replace(/'/g, `'\\''`)}'`
}

/** Escapes for the inside of double quotes (`!` is not special in non-interactive bash). */
export function escapeDouble(value: string): string {
  return value.replace(/[\\"$`]/g, (c) => `\\${c}`)
}

/** Escapes for an unquoted heredoc body. */
export function escapeHeredoc(value: string): string {
  return value.replace(/[\\$`]/g, (c) => `\\${c}`)
}

/** One level of backtick command substitution strips a backslash before `\ $ \``, and `"` too inside double quotes. */
export function escapeBacktick(text: string, inDouble: boolean): string {
  return text.replace(inDouble ? /[\\$`"]/g : /[\\$`]/g, (c) => `\\${c}`)
}

/** The quoting contexts a value can be written into (arithmetic and inner shells are decided before). */
export type QuoteContext = 'word' | 'single' | 'ansi-c' | 'double' | 'double-param' | 'heredoc' | 'heredoc-quoted' | 'comment'

/** `value` written so that bash, reading it in `context`, gets back exactly `value`. */
export function quoteIn(context: QuoteContext, value: string): string {
  switch (context) {
    case 'word':
      return quoteWord(value)
    case 'single':
      return value.replace(/'/g, `'\\''`)
    case 'ansi-c':
      // Close the $'…' string, add a plain single-quoted word, open it again.
      return `'${quoteWord(value)}$'`
    case 'double':
      return escapeDouble(value)
    case 'double-param':
      // Inside "${X:-…}" a `}` would end the expansion and bash reads `'` as a quote:
      // a nested double-quoted string keeps both literal.
      return `"${escapeDouble(value)}"`
    case 'heredoc':
      return escapeHeredoc(value)
    case 'heredoc-quoted':
      return value
    case 'comment':
      // A newline would end the comment: keep every line of the value commented.
      return value.replace(/\r?\n/g, '\n# ')
  }
}
