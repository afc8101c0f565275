import fc from 'fast-check'
import {describe, expect, it} from 'vitest'
import {classifyGroup, groupKey, parseLabel} from '../../src/graph/labels.js'
import {parseOsRelease} from '../../src/resolve/platform.js'
import {selectLabel} from '../../src/resolve/select.js'
import type {Platform} from '../../src/resolve/types.js'

/** Pieces of real labels, so that generated strings reach the interesting paths. */
const PIECES = [
  'Debian', 'Ubuntu', 'CentOS', 'RHEL', 'Amazon Linux', 'AlmaLinux', 'Rocky Linux', 'Oracle Linux', 'Fedora', 'DEB',
  '10.x', '22.04', '2.0.2021x', '8+', '9', '2023', '.', '..', 'x', '+', '(bullseye)', 'Bookworm', 'jammy', 'LTS',
  ' or ', ' ou ', ' and ', ' e ', ',', '/', '-', 'and lower', 'e inferiores', 'and higher', 'derivatives', 'Other',
  'x86_64', 'ARM64', 'Versão', ':material-debian:', ' ', '  ', '\t', 'é', '🙂', '\u0000',
]
const labelText = fc.oneof(
  fc.string({unit: 'binary'}),
  fc.array(fc.constantFrom(...PIECES), {maxLength: 12}).map((parts) => parts.join('')),
)
const platform: fc.Arbitrary<Platform> = fc.record({
  id: fc.oneof(fc.constantFrom('debian', 'ubuntu', 'rhel', 'amzn', 'linuxmint'), fc.string()),
  idLike: fc.array(fc.oneof(fc.constantFrom('debian', 'ubuntu', 'rhel', 'fedora', 'centos'), fc.string()), {maxLength: 3}),
  versionId: fc.option(fc.oneof(fc.constantFrom('2', '8.10', '22.04', '2023', '.', '1..2'), fc.string()), {nil: undefined}),
  codename: fc.option(fc.oneof(fc.constantFrom('jammy', 'bookworm'), fc.string()), {nil: undefined}),
  baseCodenames: fc.option(fc.dictionary(fc.constantFrom('ubuntu', 'debian', 'constructor'), fc.string()), {nil: undefined}),
  arch: fc.oneof(fc.constantFrom('x86_64', 'aarch64'), fc.string()),
  source: fc.constant('test'),
  archSource: fc.constant('test'),
})

describe('never throws on arbitrary input', () => {
  it('parseLabel', () => {
    fc.assert(fc.property(labelText, (label) => {
      const m = parseLabel(label)
      expect(Array.isArray(m.distros) && Array.isArray(m.arches)).toBe(true)
    }))
  })

  it('selectLabel, matchLabel through it, for os and arch', () => {
    fc.assert(fc.property(fc.array(labelText, {maxLength: 6}), platform, fc.constantFrom('os', 'arch') as fc.Arbitrary<'os' | 'arch'>,
      (labels, p, dimension) => {
        const result = selectLabel(labels, p, dimension)
        expect(['match', 'ambiguous', 'none']).toContain(result.kind)
        if (result.kind === 'match') expect(labels).toContain(result.label)
      }))
  })

  it('classifyGroup', () => {
    fc.assert(fc.property(fc.array(labelText, {maxLength: 6}), (labels) => {
      expect(['os', 'arch', 'choice']).toContain(classifyGroup(labels))
    }))
  })

  it('parseOsRelease', () => {
    fc.assert(fc.property(fc.string({unit: 'binary'}), (text) => {
      expect(typeof parseOsRelease(text)).toBe('object')
    }))
  })
})

describe('groupKey', () => {
  const pieceLabel = fc.array(fc.constantFrom(...PIECES), {maxLength: 12}).map((parts) => parts.join(''))

  it('does not depend on order', () => {
    fc.assert(fc.property(fc.array(labelText, {maxLength: 6}), (labels) => {
      expect(groupKey(labels)).toBe(groupKey([...labels].reverse()))
    }))
  })

  it('does not depend on case or surrounding space', () => {
    fc.assert(fc.property(fc.array(pieceLabel, {maxLength: 6}), (labels) => {
      expect(groupKey(labels.map((l) => `  ${l.toUpperCase()}\t`))).toBe(groupKey(labels.map((l) => l.toLowerCase())))
    }))
  })
})
