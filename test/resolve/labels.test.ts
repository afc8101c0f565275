import {describe, expect, it} from 'vitest'
import {
  classifyGroup, groupKey, labelSpecificity, parseLabel, type DistroTerm,
} from '../../src/graph/labels.js'

const RHEL_FAMILY = ['rhel', 'centos', 'almalinux', 'rocky', 'ol', 'amzn', 'cloudlinux']
const DEB_FAMILY = ['debian', 'ubuntu', 'raspbian', 'linuxmint']

describe('parseLabel: distributions', () => {
  const cases: Array<[string, DistroTerm[]]> = [
    ['Debian 10.x (buster)', [{ids: ['debian'], version: {op: 'prefix', value: '10'}, codename: 'buster'}]],
    ['Debian 11.x (bullseye)', [{ids: ['debian'], version: {op: 'prefix', value: '11'}, codename: 'bullseye'}]],
    ['Ubuntu 18.04 LTS (bionic)', [{ids: ['ubuntu'], version: {op: 'eq', value: '18.04'}, codename: 'bionic'}]],
    ['Ubuntu 22.04 LTS (jammy)', [{ids: ['ubuntu'], version: {op: 'eq', value: '22.04'}, codename: 'jammy'}]],
    ['Ubuntu 18.04 LTS (biónico)', [{ids: ['ubuntu'], version: {op: 'eq', value: '18.04'}}]],
    ['CentOS 7.x', [{ids: ['centos'], version: {op: 'prefix', value: '7'}}]],
    ['CloudLinux OS 6.x', [{ids: ['cloudlinux'], version: {op: 'prefix', value: '6'}}]],
    ['Amazon Linux 2.0.2021x and lower', [{ids: ['amzn'], version: {op: 'lte', value: '2.0.2021'}}]],
    ['Amazon Linux 2.0.2021x e inferior', [{ids: ['amzn'], version: {op: 'lte', value: '2.0.2021'}}]],
    ['Amazon Linux 2.0.2021x e versões anteriores', [{ids: ['amzn'], version: {op: 'lte', value: '2.0.2021'}}]],
    ['Amazon Linux 2.0.2021x e mais baixo', [{ids: ['amzn'], version: {op: 'lte', value: '2.0.2021'}}]],
    ['Amazon Linux 2.0.2021x e antigos', [{ids: ['amzn'], version: {op: 'lte', value: '2.0.2021'}}]],
    ['Amazon Linux 2.0.2021x y inferior', [{ids: ['amzn'], version: {op: 'lte', value: '2.0.2021'}}]],
    ['Amazon Linux 2.0.2021x ou inférieur', [{ids: ['amzn'], version: {op: 'lte', value: '2.0.2021'}}]],
    ['Amazon Linux 2.0.2021x oder niedriger', [{ids: ['amzn'], version: {op: 'lte', value: '2.0.2021'}}]],
    ['Amazon Linux 2', [{ids: ['amzn'], version: {op: 'prefix', value: '2'}}]],
    ['RHEL 8.x', [{ids: ['rhel'], version: {op: 'prefix', value: '8'}}]],
    ['RHEL 9.x', [{ids: ['rhel'], version: {op: 'prefix', value: '9'}}]],
    ['AlmaLinux, Rocky Linux or Oracle Linux 8.x', [
      {ids: ['almalinux'], version: {op: 'prefix', value: '8'}},
      {ids: ['rocky'], version: {op: 'prefix', value: '8'}},
      {ids: ['ol'], version: {op: 'prefix', value: '8'}},
    ]],
    ['AlmaLinux, Rocky Linux ou Oracle Linux 8.x', [
      {ids: ['almalinux'], version: {op: 'prefix', value: '8'}},
      {ids: ['rocky'], version: {op: 'prefix', value: '8'}},
      {ids: ['ol'], version: {op: 'prefix', value: '8'}},
    ]],
    ['CentOS or Amazon Linux 2.0.2021x and lower', [{ids: ['centos']}, {ids: ['amzn'], version: {op: 'lte', value: '2.0.2021'}}]],
    ['CentOS ou Amazon Linux 2.0.2021x e inferior', [{ids: ['centos']}, {ids: ['amzn'], version: {op: 'lte', value: '2.0.2021'}}]],
    ['CentOS ou Amazon Linux 2.0.2021x e inferiores', [{ids: ['centos']}, {ids: ['amzn'], version: {op: 'lte', value: '2.0.2021'}}]],
    ['Debian', [{ids: ['debian']}]],
    ['Ubuntu', [{ids: ['ubuntu']}]],
    ['CentOS', [{ids: ['centos']}]],
    ['Alma Linux', [{ids: ['almalinux']}]],
    ['Debian Linux', [{ids: ['debian']}]],
    ['RedHat Linux', [{ids: ['rhel']}]],
    ['Debian/Ubuntu', [{ids: ['debian']}, {ids: ['ubuntu']}]],
    ['Fedora/RedHat', [{ids: ['fedora']}, {ids: ['rhel']}]],
    ['RHEL/Fedora', [{ids: ['rhel']}, {ids: ['fedora']}]],
    ['Debian Bookworm/Trixie', [
      {ids: ['debian'], codename: 'bookworm', version: {op: 'prefix', value: '12'}},
      {ids: ['debian'], codename: 'trixie', version: {op: 'prefix', value: '13'}},
    ]],
    ['CentOS/RHEL 8+, Fedora Linux, Amazon Linux 2023+', [
      {ids: ['centos'], version: {op: 'gte', value: '8'}},
      {ids: ['rhel'], version: {op: 'gte', value: '8'}},
      {ids: ['fedora']},
      {ids: ['amzn'], version: {op: 'gte', value: '2023'}},
    ]],
    ['CentOS/RHEL 7 and Amazon Linux 2', [
      {ids: ['centos'], version: {op: 'prefix', value: '7'}},
      {ids: ['rhel'], version: {op: 'prefix', value: '7'}},
      {ids: ['amzn'], version: {op: 'prefix', value: '2'}},
    ]],
    ['CentOS/RHEL 8, 9 and Fedora Linux, Amazon Linux 2023, etc.', [
      {ids: ['centos'], version: {op: 'prefix', value: '8'}},
      {ids: ['rhel'], version: {op: 'prefix', value: '8'}},
      {ids: ['centos'], version: {op: 'prefix', value: '9'}},
      {ids: ['rhel'], version: {op: 'prefix', value: '9'}},
      {ids: ['fedora']},
      {ids: ['amzn'], version: {op: 'prefix', value: '2023'}},
    ]],
    [':material-debian: On Debian and Ubuntu    ', [{ids: ['debian']}, {ids: ['ubuntu']}]],
    [':material-redhat: On Red Hat Enterprise Linux and derivatives', [{ids: RHEL_FAMILY}]],
    ['Red Hat Enterprise Linux and derivatives', [{ids: RHEL_FAMILY}]],
    ['Red Hat-based OS', [{ids: RHEL_FAMILY}]],
    ['Debian-based OS', [{ids: DEB_FAMILY}]],
    ['DEB-based distributions', [{ids: DEB_FAMILY}]],
    ['Distribuições baseadas em DEB', [{ids: DEB_FAMILY}]],
    ['Ubuntu 20.04 and higher', [{ids: ['ubuntu'], version: {op: 'gte', value: '20.04'}}]],
    ['Ubuntu 20.04 e superior', [{ids: ['ubuntu'], version: {op: 'gte', value: '20.04'}}]],
    ['Debian or Ubuntu 22.04', [{ids: ['debian']}, {ids: ['ubuntu'], version: {op: 'eq', value: '22.04'}}]],
  ]
  it.each(cases)('%j', (label, distros) => {
    expect(parseLabel(label).distros).toEqual(distros)
  })
  // Names, arches and versions are matched on the label in lower case (no i flag): any case reads the same.
  it.each(cases)('%j in upper and in lower case', (label, distros) => {
    expect(parseLabel(label.toUpperCase()).distros).toEqual(distros)
    expect(parseLabel(label.toLowerCase()).distros).toEqual(distros)
  })
  it('reads the arch and version in any case, with ſ as s and İ kept as the i flag does', () => {
    expect(parseLabel('VERSÃO ARM64 (BETA)').arches).toEqual(['aarch64'])
    expect(parseLabel('Debian 12.X').distros).toEqual([{ids: ['debian'], version: {op: 'prefix', value: '12'}}])
    expect(parseLabel('ſles 15').distros).toEqual([{ids: ['sles'], version: {op: 'prefix', value: '15'}}])
    expect(parseLabel('İ Debian 12').distros).toEqual([{ids: ['debian'], version: {op: 'prefix', value: '12'}}])
  })
})

describe('parseLabel: labels that name no distribution', () => {
  it.each([
    'API token', 'Node token', 'Token API', 'Token de nó', 'Docker', 'Kubernetes', 'Linux', 'All-in-one', 'Swarm',
    'NGINX-Wallarm and postanalytics on one server', 'NGINX-Wallarm e pós-análise em um servidor',
    'US Cloud', ':material-aws: Amazon AWS', 'Linux variables.env file', 'Version 2.4.0 and higher',
    'API token (Helm chart 4.6.8 and above)', 'Other supported distributions',
  ])('%j', (label) => {
    expect(parseLabel(label).distros).toEqual([])
  })
})

describe('parseLabel: arches', () => {
  it.each([
    ['x86_64 version', ['x86_64']], ['ARM64 version', ['aarch64']], ['Versão x86_64', ['x86_64']],
    ['Versão ARM64', ['aarch64']], ['ARM64 version (beta)', ['aarch64']], ['amd64', ['x86_64']],
    ['Debian', []], ['Ubuntu 22.04 (arm64)', ['aarch64']],
  ])('%j → %j', (label, arches) => {
    expect(parseLabel(label).arches).toEqual(arches)
  })
})

describe('parseLabel: catch-all labels', () => {
  it.each([
    ['Other supported distributions', true], ['Outras distribuições suportadas', true], ['Otros', true],
    ['Autres distributions', true], ['Other installations', true], ['Debian', false], ['Docker', false],
  ])('%j → %s', (label, catchAll) => {
    expect(parseLabel(label).catchAll).toBe(catchAll)
  })
})

describe('classifyGroup on real groups', () => {
  it.each([
    ['os', ['Debian 10.x (buster)', 'Debian 11.x (bullseye)', 'Ubuntu 18.04 LTS (bionic)', 'Ubuntu 20.04 LTS (focal)',
      'Ubuntu 22.04 LTS (jammy)', 'CentOS 7.x', 'Amazon Linux 2.0.2021x and lower',
      'AlmaLinux, Rocky Linux or Oracle Linux 8.x', 'RHEL 8.x']],
    ['os', ['Debian', 'Ubuntu', 'CentOS ou Amazon Linux 2.0.2021x e inferior', 'AlmaLinux, Rocky Linux ou Oracle Linux 8.x', 'RHEL 8.x']],
    ['os', ['CentOS/RHEL 8+, Fedora Linux, Amazon Linux 2023+', 'CentOS/RHEL 7 and Amazon Linux 2']],
    ['os', ['Debian/Ubuntu', 'Fedora/RedHat']],
    ['os', ['Debian Bookworm/Trixie', 'Ubuntu', 'RHEL/Fedora']],
    ['os', [':material-debian: On Debian and Ubuntu  ', ':material-redhat: On Red Hat Enterprise Linux and derivatives']],
    ['os', ['DEB-based distributions', 'RPM-based distributions']],
    ['os', ['Ubuntu 14.04', 'Other supported distributions']],
    ['os', ['Ubuntu 14.04', 'Outras distribuições suportadas']],
    ['os', ['Debian Linux', 'RedHat Linux']],
    ['arch', ['x86_64 version', 'ARM64 version']],
    ['arch', ['Versão x86_64', 'Versão ARM64 (beta)']],
    ['choice', ['API token', 'Node token']],
    ['choice', ['Token API', 'Token de nó']],
    ['choice', ['NGINX-Wallarm and postanalytics on one server', 'NGINX-Wallarm and postanalytics on different servers']],
    ['choice', ['Docker', 'Docker autoconf', 'Swarm', 'Kubernetes', 'Linux']],
    ['choice', ['Docker', 'All-in-One', 'Linux']],
    ['choice', ['US Cloud', 'EU Cloud']],
    ['choice', ['Docker image, cloud image, all-in-one installer', 'Other installations']],
    ['choice', ['Other supported distributions']],
    ['choice', ['Debian', 'Docker']],
    ['choice', ['Docker (x86_64)', 'Docker (ARM64)']],
    ['choice', []],
  ])('%s: %j', (dimension, labels) => {
    expect(classifyGroup(labels)).toBe(dimension)
  })
})

describe('groupKey', () => {
  it('folds case, space and emoji, and sorts', () => {
    expect(groupKey([':material-redhat: On RHEL and derivatives', '  :material-debian:   On Debian and   Ubuntu  '])).toBe(
      'on debian and ubuntu|on rhel and derivatives',
    )
  })

  it('gives the same key to the same choice in two places', () => {
    expect(groupKey(['API token', 'Node token'])).toBe(groupKey(['Node token ', 'api  TOKEN']))
    expect(groupKey(['API token', 'Node token'])).toBe('api token|node token')
  })

  it('keeps different label sets apart', () => {
    expect(groupKey(['Token API', 'Token de nó'])).toBe('token api|token de nó')
  })
})

describe('labelSpecificity', () => {
  const s = (label: string) => labelSpecificity(parseLabel(label))
  it('ranks a version over a bare name, eq over prefix over lte/gte, fewer distributions first', () => {
    const order = [
      'Ubuntu 22.04 LTS (jammy)', 'Ubuntu 22.04', 'Debian 11.x (bullseye)', 'Debian 11', 'AlmaLinux, Rocky Linux or Oracle Linux 8.x',
      'Amazon Linux 2.0.2021x and lower', 'Debian', 'Debian/Ubuntu', 'DEB-based distributions',
    ]
    expect(order.map(s)).toEqual([3199, 3099, 2199, 2099, 2097, 1099, 99, 98, 96])
  })

  it('scores the term that matched when given one', () => {
    const m = parseLabel('CentOS or Amazon Linux 2.0.2021x and lower')
    expect([labelSpecificity(m, m.distros[0]), labelSpecificity(m, m.distros[1])]).toEqual([98, 1098])
  })
})
