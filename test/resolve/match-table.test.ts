/**
 * Every real label against every platform we care about: which platforms a
 * label matches and how (own ID or ID_LIKE). Platforms come from real
 * os-release files (two hand-written ones; see the fixtures' SOURCE.md).
 */
import {readFileSync} from 'node:fs'
import {fileURLToPath} from 'node:url'
import {describe, expect, it} from 'vitest'
import {parseOsRelease, platformFromOsRelease} from '../../src/resolve/platform.js'
import {matchLabel} from '../../src/resolve/select.js'
import type {Platform} from '../../src/resolve/types.js'

const FIXTURES = fileURLToPath(new URL('../fixtures/os-release/', import.meta.url))

const PLATFORM_FILES = {
  deb10: 'debian-10', deb11: 'debian-11', deb12: 'debian-12',
  ub18: 'ubuntu-18.04', ub20: 'ubuntu-20.04', ub22: 'ubuntu-22.04', ub24: 'ubuntu-24.04',
  cent7: 'centos-7', alma8: 'almalinux-8', rocky8: 'rocky-8', ol8: 'handmade-ol-8',
  rhel8: 'rhel-8', rhel9: 'rhel-9', amzn2: 'handmade-amzn-2', amzn2023: 'amzn-2023',
  mint21: 'linuxmint-21', fed39: 'fedora-39',
} as const
type Key = keyof typeof PLATFORM_FILES

const platforms = Object.fromEntries(
  Object.entries(PLATFORM_FILES).map(([key, file]) => {
    const fields = parseOsRelease(readFileSync(`${FIXTURES}${file}/os-release`, 'utf8'))
    return [key, platformFromOsRelease(fields, {source: file, arch: 'x86_64', archSource: 'test'})]
  }),
) as Record<Key, Platform>

const DEBIANS = {deb10: 'id', deb11: 'id', deb12: 'id'} as const
const UBUNTUS = {ub18: 'id', ub20: 'id', ub22: 'id', ub24: 'id'} as const
const RPM_LIKE = {cent7: 'id_like', alma8: 'id_like', rocky8: 'id_like', ol8: 'id_like', amzn2: 'id_like', amzn2023: 'id_like'} as const
const EL8_REBUILDS = {alma8: 'id', rocky8: 'id', ol8: 'id'} as const
const OLD_CENTOS_OR_AMAZON = {cent7: 'id', amzn2: 'id', alma8: 'id_like', rocky8: 'id_like'} as const

/** label → the platforms it matches and how; every other platform must not match. */
const TABLE: Array<[string, Partial<Record<Key, 'id' | 'id_like'>>]> = [
  ['Debian 10.x (buster)', {deb10: 'id'}],
  ['Debian 11.x (bullseye)', {deb11: 'id'}],
  ['Ubuntu 18.04 LTS (bionic)', {ub18: 'id'}],
  ['Ubuntu 20.04 LTS (focal)', {ub20: 'id'}],
  ['Ubuntu 22.04 LTS (jammy)', {ub22: 'id', mint21: 'id_like'}],
  ['CentOS 7.x', {cent7: 'id'}],
  ['Amazon Linux 2.0.2021x and lower', {amzn2: 'id'}],
  ['Amazon Linux 2.0.2021x e inferior', {amzn2: 'id'}],
  ['AlmaLinux, Rocky Linux or Oracle Linux 8.x', EL8_REBUILDS],
  ['AlmaLinux, Rocky Linux ou Oracle Linux 8.x', EL8_REBUILDS],
  // Oracle Linux says ID_LIKE="fedora", yet is a RHEL rebuild: it takes its RHEL major's tab like Alma and Rocky.
  ['RHEL 8.x', {rhel8: 'id', alma8: 'id_like', rocky8: 'id_like', ol8: 'id_like'}],
  ['RHEL 9.x', {rhel9: 'id'}],
  ['CentOS or Amazon Linux 2.0.2021x and lower', OLD_CENTOS_OR_AMAZON],
  ['CentOS ou Amazon Linux 2.0.2021x e inferior', OLD_CENTOS_OR_AMAZON],
  ['CentOS ou Amazon Linux 2.0.2021x e inferiores', OLD_CENTOS_OR_AMAZON],
  ['Debian', {...DEBIANS, ub18: 'id_like', ub20: 'id_like', ub22: 'id_like', ub24: 'id_like', mint21: 'id_like'}],
  ['Ubuntu', {...UBUNTUS, mint21: 'id_like'}],
  ['CentOS', {cent7: 'id', alma8: 'id_like', rocky8: 'id_like', amzn2: 'id_like'}],
  ['Alma Linux', {alma8: 'id'}],
  ['Debian/Ubuntu', {...DEBIANS, ...UBUNTUS, mint21: 'id_like'}],
  ['Fedora/RedHat', {...RPM_LIKE, fed39: 'id', rhel8: 'id', rhel9: 'id'}],
  ['RHEL/Fedora', {...RPM_LIKE, fed39: 'id', rhel8: 'id', rhel9: 'id'}],
  ['Debian Bookworm/Trixie', {deb12: 'id'}],
  ['CentOS/RHEL 8+, Fedora Linux, Amazon Linux 2023+', {...RPM_LIKE, rhel8: 'id', rhel9: 'id', fed39: 'id', amzn2023: 'id'}],
  ['CentOS/RHEL 7 and Amazon Linux 2', {cent7: 'id', amzn2: 'id'}],
  [':material-debian: On Debian and Ubuntu  ', {...DEBIANS, ...UBUNTUS, mint21: 'id_like'}],
  ['Red Hat Enterprise Linux and derivatives', {
    cent7: 'id', alma8: 'id', rocky8: 'id', ol8: 'id', rhel8: 'id', rhel9: 'id', amzn2: 'id', amzn2023: 'id',
  }],
  ['Ubuntu 20.04 and higher', {ub20: 'id', ub22: 'id', ub24: 'id', mint21: 'id_like'}],
  ['x86_64 version', {}],
  ['ARM64 version', {}],
  ['Versão x86_64', {}],
  ['Versão ARM64', {}],
  ['API token', {}],
  ['Node token', {}],
  ['Token API', {}],
  ['Token de nó', {}],
  ['Docker', {}],
  ['Kubernetes', {}],
  ['Linux', {}],
  ['All-in-one', {}],
  ['Swarm', {}],
  ['NGINX-Wallarm and postanalytics on one server', {}],
]

describe('matchLabel: label × platform', () => {
  it.each(TABLE)('%j', (label, expected) => {
    const actual = Object.fromEntries(
      (Object.keys(platforms) as Key[]).flatMap((key) => {
        const m = matchLabel(label, platforms[key], 'os')
        return m.matches ? [[key, m.via]] : []
      }),
    )
    expect(actual).toEqual(expected)
  })
})

describe('matchLabel: arch', () => {
  const arm = {...platforms.deb12, arch: 'aarch64'}
  it.each([
    ['x86_64 version', true, false], ['ARM64 version', false, true], ['Versão x86_64', true, false],
    ['Versão ARM64 (beta)', false, true], ['Debian', false, false],
  ])('%j: x86_64 %s, aarch64 %s', (label, onX86, onArm) => {
    expect([matchLabel(label, platforms.deb12, 'arch').matches, matchLabel(label, arm, 'arch').matches]).toEqual([onX86, onArm])
  })

  it('an os label that names an arch needs that arch too', () => {
    const arm = {...platforms.ub22, arch: 'aarch64'}
    expect([matchLabel('Ubuntu 22.04 (arm64)', platforms.ub22, 'os').matches, matchLabel('Ubuntu 22.04 (arm64)', arm, 'os').matches])
      .toEqual([false, true])
  })
})

describe('matchLabel: versions and codenames', () => {
  const p = (over: Partial<Platform>): Platform => ({
    id: 'debian', idLike: [], arch: 'x86_64', source: 'test', archSource: 'test', ...over,
  })

  it('a codename must agree with VERSION_CODENAME', () => {
    expect(matchLabel('Debian 11.x (bullseye)', p({versionId: '11', codename: 'bookworm'}), 'os').matches).toBe(false)
  })

  it('knows Debian testing by its codename alone', () => {
    expect(matchLabel('Debian 12', p({codename: 'bookworm'}), 'os').matches).toBe(true)
  })

  it('does not match a versioned label when the platform has no usable version', () => {
    expect(matchLabel('Debian 12', p({versionId: 'TEMPLATE_VERSION_ID'}), 'os').matches).toBe(false)
  })

  it('compares only as many components as the platform gives', () => {
    const amazon = p({id: 'amzn', versionId: '2'})
    expect(matchLabel('Amazon Linux 2.0.2021x and lower', amazon, 'os').matches).toBe(true)
    expect(matchLabel('Amazon Linux 2.0.2021x and lower', {...amazon, versionId: '2018.03'}, 'os').matches).toBe(false)
    expect(matchLabel('RHEL 8.x', p({id: 'rhel', versionId: '8.10'}), 'os').matches).toBe(true)
    expect(matchLabel('Ubuntu 22.04', p({id: 'ubuntu', versionId: '22.10'}), 'os').matches).toBe(false)
  })

  it('via ID_LIKE without an upstream codename, uses the major of VERSION_ID', () => {
    const raspbian = p({id: 'raspbian', idLike: ['debian'], versionId: '11', codename: 'bullseye'})
    expect(matchLabel('Debian 11.x (bullseye)', raspbian, 'os')).toEqual({matches: true, via: 'id_like', specificity: 2199})
    expect(matchLabel('Debian 10.x (buster)', raspbian, 'os').matches).toBe(false)
  })

  it('via ID_LIKE with an upstream codename, uses the upstream release (elementary 6 is focal)', () => {
    const elementary = p({id: 'elementary', idLike: ['ubuntu'], versionId: '6', codename: 'odin', baseCodenames: {ubuntu: 'focal'}})
    expect(matchLabel('Ubuntu 20.04 LTS (focal)', elementary, 'os').matches).toBe(true)
    expect(matchLabel('Ubuntu 22.04 LTS (jammy)', elementary, 'os').matches).toBe(false)
  })
})
