/**
 * Semantic text styles. With colour off (`--no-color`, `NO_COLOR`) every style
 * is empty, so Ink writes no escape codes at all; components never pick a
 * colour themselves and never rely on colour alone to carry meaning.
 */
import {createContext, useContext} from 'react'
import type {TextProps} from 'ink'

type Style = Pick<TextProps, 'color' | 'bold' | 'dimColor' | 'inverse'>

export interface Theme {
  color: boolean
  title: Style
  ok: Style
  fail: Style
  running: Style
  warn: Style
  muted: Style
  key: Style
  selected: Style
  rule: Style
}

const colored: Theme = {
  color: true,
  title: {bold: true},
  ok: {color: 'green'},
  fail: {color: 'red'},
  running: {color: 'cyan'},
  warn: {color: 'yellow'},
  muted: {dimColor: true},
  key: {color: 'cyan', bold: true},
  selected: {color: 'cyan', bold: true},
  rule: {color: 'gray'},
}

const plain: Theme = {
  color: false,
  title: {},
  ok: {},
  fail: {},
  running: {},
  warn: {},
  muted: {},
  key: {},
  selected: {},
  rule: {},
}

export function themeFor(color: boolean): Theme {
  return color ? colored : plain
}

export const ThemeContext = createContext<Theme>(plain)

export function useTheme(): Theme {
  return useContext(ThemeContext)
}
