/**
 * ANSI colours for the plain outputs, honouring NO_COLOR and --no-color. The
 * Ink app has its own; this one must not pull Ink in.
 */
export interface Palette {
  bold(text: string): string
  dim(text: string): string
  red(text: string): string
  green(text: string): string
  yellow(text: string): string
  blue(text: string): string
  magenta(text: string): string
  cyan(text: string): string
  inverse(text: string): string
}

const codes = {bold: [1, 22], dim: [2, 22], red: [31, 39], green: [32, 39], yellow: [33, 39], blue: [34, 39], magenta: [35, 39], cyan: [36, 39], inverse: [7, 27]} as const

export function paint(enabled: boolean): Palette {
  const make = ([open, close]: readonly [number, number]) => (enabled ? (text: string) => `\u001B[${open}m${text}\u001B[${close}m` : (text: string) => text)
  return Object.fromEntries(Object.entries(codes).map(([name, pair]) => [name, make(pair)])) as unknown as Palette
}

/** Colour is on for a terminal unless NO_COLOR is set or --no-color given. */
export function wantColor(stream: NodeJS.WriteStream, noColorFlag?: boolean, env = process.env): boolean {
  if (noColorFlag || (env.NO_COLOR !== undefined && env.NO_COLOR !== '')) return false
  if (env.FORCE_COLOR && env.FORCE_COLOR !== '0') return true
  return Boolean(stream.isTTY)
}
