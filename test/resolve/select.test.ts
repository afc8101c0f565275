import {readFileSync} from 'node:fs'
import {fileURLToPath} from 'node:url'
import {describe, expect, it} from 'vitest'
import {parseOsRelease, platformFromOsRelease} from '../../src/resolve/platform.js'
import {selectLabel, type SelectResult} from '../../src/resolve/select.js'
import type {Platform} from '../../src/resolve/types.js'

const FIXTURES = fileURLToPath(new URL('../fixtures/os-release/', import.meta.url))

function platform(file: string, arch = 'x86_64'): Platform {
  const fields = parseOsRelease(readFileSync(`${FIXTURES}${file}/os-release`, 'utf8'))
  return platformFromOsRelease(fields, {source: file, arch, archSource: 'test'})
}

const PLATFORMS = [
  'debian-10', 'debian-11', 'debian-12', 'ubuntu-18.04', 'ubuntu-20.04', 'ubuntu-22.04', 'ubuntu-24.04',
  'centos-7', 'almalinux-8', 'rocky-8', 'handmade-ol-8', 'rhel-8', 'rhel-9', 'handmade-amzn-2', 'amzn-2023',
  'linuxmint-21', 'fedora-39',
] as const
type Name = (typeof PLATFORMS)[number]

/** Labels of the reference page (separate-postanalytics), English, with their pt-BR twins. */
const PT: Record<string, string> = {
  'AlmaLinux, Rocky Linux or Oracle Linux 8.x': 'AlmaLinux, Rocky Linux ou Oracle Linux 8.x',
  'Amazon Linux 2.0.2021x and lower': 'Amazon Linux 2.0.2021x e inferior',
  'CentOS or Amazon Linux 2.0.2021x and lower': 'CentOS ou Amazon Linux 2.0.2021x e inferior',
}
const toPt = (label: string) => PT[label] ?? label

const STEP1 = [
  'Debian 10.x (buster)', 'Debian 11.x (bullseye)', 'Ubuntu 18.04 LTS (bionic)', 'Ubuntu 20.04 LTS (focal)',
  'Ubuntu 22.04 LTS (jammy)', 'CentOS 7.x', 'Amazon Linux 2.0.2021x and lower',
  'AlmaLinux, Rocky Linux or Oracle Linux 8.x', 'RHEL 8.x',
]
const STEP2 = ['Debian', 'Ubuntu', 'CentOS or Amazon Linux 2.0.2021x and lower', 'AlmaLinux, Rocky Linux or Oracle Linux 8.x', 'RHEL 8.x']

const id = (label: string): SelectResult => ({kind: 'match', label, via: 'id'})
const like = (label: string): SelectResult => ({kind: 'match', label, via: 'id_like'})
const none = (nearest?: string): SelectResult => ({kind: 'none', nearest})

const STEP1_EXPECTED: Record<Name, SelectResult> = {
  'debian-10': id('Debian 10.x (buster)'),
  'debian-11': id('Debian 11.x (bullseye)'),
  'debian-12': none('Debian 11.x (bullseye)'),
  'ubuntu-18.04': id('Ubuntu 18.04 LTS (bionic)'),
  'ubuntu-20.04': id('Ubuntu 20.04 LTS (focal)'),
  'ubuntu-22.04': id('Ubuntu 22.04 LTS (jammy)'),
  'ubuntu-24.04': none('Ubuntu 22.04 LTS (jammy)'),
  'centos-7': id('CentOS 7.x'),
  'almalinux-8': id('AlmaLinux, Rocky Linux or Oracle Linux 8.x'),
  'rocky-8': id('AlmaLinux, Rocky Linux or Oracle Linux 8.x'),
  'handmade-ol-8': id('AlmaLinux, Rocky Linux or Oracle Linux 8.x'),
  'rhel-8': id('RHEL 8.x'),
  'rhel-9': none('RHEL 8.x'),
  'handmade-amzn-2': id('Amazon Linux 2.0.2021x and lower'),
  'amzn-2023': none('Amazon Linux 2.0.2021x and lower'),
  'linuxmint-21': like('Ubuntu 22.04 LTS (jammy)'),
  'fedora-39': none(),
}

const STEP2_EXPECTED: Record<Name, SelectResult> = {
  'debian-10': id('Debian'),
  'debian-11': id('Debian'),
  'debian-12': id('Debian'),
  'ubuntu-18.04': id('Ubuntu'),
  'ubuntu-20.04': id('Ubuntu'),
  'ubuntu-22.04': id('Ubuntu'),
  'ubuntu-24.04': id('Ubuntu'),
  'centos-7': id('CentOS or Amazon Linux 2.0.2021x and lower'),
  'almalinux-8': id('AlmaLinux, Rocky Linux or Oracle Linux 8.x'),
  'rocky-8': id('AlmaLinux, Rocky Linux or Oracle Linux 8.x'),
  'handmade-ol-8': id('AlmaLinux, Rocky Linux or Oracle Linux 8.x'),
  'rhel-8': id('RHEL 8.x'),
  'rhel-9': none('RHEL 8.x'),
  'handmade-amzn-2': id('CentOS or Amazon Linux 2.0.2021x and lower'),
  'amzn-2023': none('CentOS or Amazon Linux 2.0.2021x and lower'),
  'linuxmint-21': like('Ubuntu'),
  'fedora-39': none(),
}

function translated(result: SelectResult): SelectResult {
  if (result.kind === 'match') return {...result, label: toPt(result.label)}
  if (result.kind === 'none') return {kind: 'none', nearest: result.nearest && toPt(result.nearest)}
  return {kind: 'ambiguous', labels: result.labels.map(toPt)}
}

describe.each([
  ['Step 1 (add repositories)', STEP1, STEP1_EXPECTED],
  ['Step 2 (install packages)', STEP2, STEP2_EXPECTED],
])('selectLabel on the reference page, %s', (_step, labels, expected) => {
  it.each(PLATFORMS)('%s (en)', (name) => {
    expect(selectLabel(labels, platform(name), 'os')).toEqual(expected[name])
  })

  it.each(PLATFORMS)('%s (pt-BR gives the same answer)', (name) => {
    expect(selectLabel(labels.map(toPt), platform(name), 'os')).toEqual(translated(expected[name]))
  })
})

describe('selectLabel on other real groups', () => {
  const BUNKERWEB = ['CentOS/RHEL 8+, Fedora Linux, Amazon Linux 2023+', 'CentOS/RHEL 7 and Amazon Linux 2']
  it.each([
    ['centos-7', id(BUNKERWEB[1]!)],
    ['handmade-amzn-2', id(BUNKERWEB[1]!)],
    ['rhel-8', id(BUNKERWEB[0]!)],
    ['rhel-9', id(BUNKERWEB[0]!)],
    ['rocky-8', like(BUNKERWEB[0]!)],
    ['handmade-ol-8', like(BUNKERWEB[0]!)],
    ['amzn-2023', id(BUNKERWEB[0]!)],
    ['fedora-39', id(BUNKERWEB[0]!)],
    ['debian-12', none()],
  ] as const)('BunkerWeb RPM tabs on %s', (name, result) => {
    expect(selectLabel(BUNKERWEB, platform(name), 'os')).toEqual(result)
  })

  const PERCONA = [':material-debian: On Debian and Ubuntu    ', ':material-redhat: On Red Hat Enterprise Linux and derivatives']
  it.each([
    ['ubuntu-22.04', id(PERCONA[0]!)],
    ['linuxmint-21', like(PERCONA[0]!)],
    ['handmade-ol-8', id(PERCONA[1]!)],
    ['amzn-2023', id(PERCONA[1]!)],
    ['fedora-39', none()],
  ] as const)('Percona tabs on %s', (name, result) => {
    expect(selectLabel(PERCONA, platform(name), 'os')).toEqual(result)
  })

  it('DEB- and RPM-based distributions', () => {
    const group = ['DEB-based distributions', 'RPM-based distributions']
    expect(selectLabel(group, platform('ubuntu-22.04'), 'os')).toEqual(id('DEB-based distributions'))
    expect(selectLabel(group, platform('rocky-8'), 'os')).toEqual(id('RPM-based distributions'))
  })

  it('takes the catch-all tab when nothing else fits', () => {
    const group = ['Ubuntu 14.04', 'Outras distribuições suportadas']
    expect(selectLabel(group, platform('debian-12'), 'os')).toEqual({kind: 'match', label: 'Outras distribuições suportadas', via: 'catch_all'})
    expect(selectLabel(group, platform('ubuntu-14.04'), 'os')).toEqual(id('Ubuntu 14.04'))
  })

  it('prefers the closest ID_LIKE entry (Mint: Ubuntu before Debian)', () => {
    expect(selectLabel(['Debian', 'Ubuntu'], platform('linuxmint-21'), 'os')).toEqual(like('Ubuntu'))
  })

  it('names both labels when two fit equally well', () => {
    expect(selectLabel(['Debian Linux', 'Debian', 'Ubuntu'], platform('debian-12'), 'os')).toEqual({
      kind: 'ambiguous', labels: ['Debian Linux', 'Debian'],
    })
  })

  it('a versioned label beats a bare name', () => {
    expect(selectLabel(['Debian', 'Debian 12 (bookworm)'], platform('debian-12'), 'os')).toEqual(id('Debian 12 (bookworm)'))
  })

  it('nearest prefers the older release on a tie', () => {
    expect(selectLabel(['Debian 11', 'Debian 13', 'Ubuntu'], {...platform('debian-12'), codename: undefined}, 'os'))
      .toEqual(none('Debian 11'))
  })

  it('Linux Mint 22 is Ubuntu noble, not Ubuntu 22.04, even though its VERSION_ID is 22', () => {
    expect(selectLabel(STEP1, platform('linuxmint-22'), 'os')).toEqual(none('Ubuntu 22.04 LTS (jammy)'))
    expect(selectLabel([...STEP1, 'Ubuntu 24.04 LTS (noble)'], platform('linuxmint-22'), 'os')).toEqual(like('Ubuntu 24.04 LTS (noble)'))
  })

  it('nearest falls back to the ID_LIKE family', () => {
    const mint = {...platform('linuxmint-21'), baseCodenames: undefined}
    expect(selectLabel(['Ubuntu 18.04 LTS (bionic)', 'Ubuntu 22.04 LTS (jammy)', 'RHEL 8.x'], mint, 'os'))
      .toEqual(none('Ubuntu 22.04 LTS (jammy)'))
  })
})

describe('selectLabel on arch groups', () => {
  const GROUP = ['x86_64 version', 'ARM64 version']
  it.each([
    ['x86_64', id('x86_64 version')],
    ['aarch64', id('ARM64 version')],
    ['armv7l', none()],
  ] as const)('%s', (arch, result) => {
    expect(selectLabel(GROUP, platform('debian-12', arch), 'arch')).toEqual(result)
  })

  it('pt-BR labels', () => {
    expect(selectLabel(['Versão x86_64', 'Versão ARM64'], platform('debian-12', 'aarch64'), 'arch')).toEqual(id('Versão ARM64'))
  })
})
