import {mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {fileURLToPath} from 'node:url'
import {afterEach, beforeEach, describe, expect, it} from 'vitest'
import {UsageError} from '../../src/errors.js'
import {describePlatform, detectPlatform, normaliseArch} from '../../src/resolve/platform.js'

const FIXTURES = fileURLToPath(new URL('../fixtures/os-release/', import.meta.url))
const read = (name: string) => readFileSync(`${FIXTURES}${name}/os-release`, 'utf8')

let root: string
beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'runbook-platform-'))
})
afterEach(() => {
  rmSync(root, {recursive: true, force: true})
})

function place(relative: string, text: string): string {
  const path = join(root, relative)
  mkdirSync(join(path, '..'), {recursive: true})
  writeFileSync(path, text)
  return path
}

async function usageError(run: Promise<unknown>): Promise<string> {
  const error = await run.then(() => undefined, (e: unknown) => e)
  expect(error).toBeInstanceOf(UsageError)
  return (error as UsageError).message
}

describe('normaliseArch', () => {
  it.each([
    ['x86_64', 'x86_64'], ['AMD64', 'x86_64'], ['x64', 'x86_64'], ['aarch64', 'aarch64'], ['ARM64', 'aarch64'],
    ['armv7l', 'armv7l'], ['ppc64le', 'ppc64le'], ['s390x', 's390x'], ['i686', 'i686'], ['RISCV64', 'riscv64'],
  ])('%s → %s', (name, arch) => {
    expect(normaliseArch(name)).toBe(arch)
  })

  it.each(['', 'banana', 'x86', 'arm 64', 'ubuntu', 'constructor', '__proto__'])('%j is not an arch', (name) => {
    expect(normaliseArch(name)).toBeUndefined()
  })
})

describe('detectPlatform from os-release', () => {
  it('reads <root>/etc/os-release first', async () => {
    place('etc/os-release', read('debian-12'))
    place('usr/lib/os-release', read('ubuntu-22.04'))
    expect(await detectPlatform({root, machineArch: 'x86_64'})).toEqual({
      id: 'debian',
      idLike: [],
      versionId: '12',
      codename: 'bookworm',
      prettyName: 'Debian GNU/Linux 12 (bookworm)',
      baseCodenames: undefined,
      arch: 'x86_64',
      source: join(root, 'etc/os-release'),
      archSource: 'this machine (uname -m)',
    })
  })

  it('falls back to <root>/usr/lib/os-release', async () => {
    place('usr/lib/os-release', read('linuxmint-21'))
    expect(await detectPlatform({root, machineArch: 'aarch64'})).toEqual({
      id: 'linuxmint',
      idLike: ['ubuntu', 'debian'],
      versionId: '21.3',
      codename: 'virginia',
      prettyName: 'Linux Mint 21.3',
      baseCodenames: {ubuntu: 'jammy'},
      arch: 'aarch64',
      source: join(root, 'usr/lib/os-release'),
      archSource: 'this machine (uname -m)',
    })
  })

  it('defaults ID to linux and leaves an empty VERSION_CODENAME out', async () => {
    place('etc/os-release', 'NAME="Something"\nVERSION_CODENAME=""\n')
    const p = await detectPlatform({root, machineArch: 'x86_64'})
    expect([p.id, p.codename, p.versionId]).toEqual(['linux', undefined, undefined])
  })

  it('normalises the machine arch (arm64 as macOS and Node say it)', async () => {
    place('etc/os-release', read('rocky-8'))
    expect((await detectPlatform({root, machineArch: 'arm64'})).arch).toBe('aarch64')
  })

  it('reads --os-release FILE instead of the machine', async () => {
    place('etc/os-release', read('debian-12'))
    const file = place('web1-os-release', read('handmade-amzn-2'))
    const p = await detectPlatform({root, osReleaseFile: file, machineArch: 'x86_64'})
    expect([p.id, p.idLike, p.versionId, p.source]).toEqual(['amzn', ['centos', 'rhel', 'fedora'], '2', `--os-release ${file}`])
  })

  it('says which paths it tried when there is no os-release', async () => {
    expect(await usageError(detectPlatform({root, machineArch: 'x86_64'}))).toBe(
      `Could not find an os-release file to tell which Linux distribution this is: tried ${join(root, 'etc/os-release')} ` +
        `and ${join(root, 'usr/lib/os-release')}. Name the platform with --os ID:VERSION (for example --os ubuntu:22.04 ` +
        'or --os rocky:8), or point to a copy of the file with --os-release FILE.',
    )
  })

  it('names --os-release and the file when it is missing', async () => {
    const file = join(root, 'nope')
    expect(await usageError(detectPlatform({root, osReleaseFile: file, machineArch: 'x86_64'}))).toBe(
      `Could not read the os-release file given with --os-release (${file}): there is no such file. ` +
        'Check the path and its permissions, or name the platform with --os ID:VERSION (for example --os ubuntu:22.04).',
    )
  })

  it('names --os-release when the file is a directory', async () => {
    expect(await usageError(detectPlatform({root, osReleaseFile: root, machineArch: 'x86_64'}))).toBe(
      `Could not read the os-release file given with --os-release (${root}): it is a directory. ` +
        'Check the path and its permissions, or name the platform with --os ID:VERSION (for example --os ubuntu:22.04).',
    )
  })

  it('does not fall back past an /etc/os-release it cannot read', async () => {
    mkdirSync(join(root, 'etc/os-release'), {recursive: true})
    place('usr/lib/os-release', read('ubuntu-22.04'))
    expect(await usageError(detectPlatform({root, machineArch: 'x86_64'}))).toBe(
      `Could not read the os-release file ${join(root, 'etc/os-release')}: it is a directory. Check the path and ` +
        'its permissions, or name the platform with --os ID:VERSION (for example --os ubuntu:22.04).',
    )
  })

  it('rejects a --os-release file with no KEY=value lines', async () => {
    const file = place('notes.txt', 'hello\nworld\n')
    expect(await usageError(detectPlatform({osReleaseFile: file, machineArch: 'x86_64'}))).toBe(
      `${file} does not look like an os-release file: it has no KEY=value lines such as ID=debian. ` +
        'Point --os-release at a copy of /etc/os-release, or use --os ID:VERSION.',
    )
  })
})

describe('detectPlatform with --os and --arch', () => {
  const os = (value: string, arch?: string) => detectPlatform({os: value, arch, root, machineArch: 'x86_64'})

  it('ubuntu:22.04 gets ID_LIKE and codename from the built-in tables', async () => {
    expect(await os('ubuntu:22.04')).toEqual({
      id: 'ubuntu',
      idLike: ['debian'],
      versionId: '22.04',
      codename: 'jammy',
      arch: 'x86_64',
      source: '--os ubuntu:22.04',
      archSource: 'this machine (uname -m)',
    })
  })

  it.each([
    ['rocky:8', 'rocky', ['rhel', 'centos', 'fedora'], '8', undefined],
    ['debian', 'debian', [], undefined, undefined],
    ['debian:11', 'debian', [], '11', 'bullseye'],
    ['debian:bookworm', 'debian', [], '12', 'bookworm'],
    ['Ubuntu:24.04', 'ubuntu', ['debian'], '24.04', 'noble'],
    ['ubuntu:18.04', 'ubuntu', ['debian'], '18.04', 'bionic'],
    ['amzn:2', 'amzn', ['centos', 'rhel', 'fedora'], '2', undefined],
    ['amazon:2023', 'amzn', ['fedora'], '2023', undefined],
    ['amazonlinux:2', 'amzn', ['centos', 'rhel', 'fedora'], '2', undefined],
    ['oracle:8', 'ol', ['fedora'], '8', undefined],
    ['oraclelinux:8', 'ol', ['fedora'], '8', undefined],
    ['oracle-linux:9', 'ol', ['fedora'], '9', undefined],
    ['alma:8', 'almalinux', ['rhel', 'centos', 'fedora'], '8', undefined],
    ['redhat:9', 'rhel', ['fedora'], '9', undefined],
    ['red-hat:8', 'rhel', ['fedora'], '8', undefined],
    ['centos:7', 'centos', ['rhel', 'fedora'], '7', undefined],
    ['fedora:39', 'fedora', [], '39', undefined],
    ['gentoo', 'gentoo', [], undefined, undefined],
    ['constructor:1', 'constructor', [], '1', undefined],
  ])('--os %s', async (value, id, idLike, versionId, codename) => {
    const p = await os(value)
    expect([p.id, p.idLike, p.versionId, p.codename, p.source]).toEqual([id, idLike, versionId, codename, `--os ${value}`])
  })

  it('does not read os-release when --os is given', async () => {
    place('etc/os-release', read('debian-12'))
    expect((await os('rocky:8')).id).toBe('rocky')
  })

  it('takes --arch through the aliases', async () => {
    place('etc/os-release', read('debian-12'))
    const p = await detectPlatform({arch: 'arm64', root, machineArch: 'x86_64'})
    expect([p.arch, p.archSource]).toEqual(['aarch64', '--arch'])
  })

  it.each(['', 'ubuntu 22.04', 'ubuntu:', ':22.04', 'ubuntu:22.04:1', 'debian:banana', '22.04'])(
    'rejects --os %j naming the flag, with examples',
    async (value) => {
      expect(await usageError(os(value))).toBe(
        `--os "${value}" is not a platform this tool can read. Give an os-release ID, optionally with a version ` +
          'after a colon, for example --os ubuntu:22.04, --os rocky:8, --os amzn:2 or --os debian (common names ' +
          'such as amazon, oracle, alma or redhat are accepted too).',
      )
    },
  )

  it('rejects an unknown --arch naming the flag', async () => {
    expect(await usageError(os('ubuntu:22.04', 'pentium'))).toBe(
      '--arch "pentium" is not a CPU architecture this tool knows. Use x86_64 (or amd64, x64), aarch64 (or arm64), ' +
        'or another name as uname -m prints it, such as armv7l, ppc64le or s390x.',
    )
  })

  it('rejects --os together with --os-release', async () => {
    expect(await usageError(detectPlatform({os: 'debian:12', osReleaseFile: 'x'}))).toBe(
      '--os and --os-release both name the platform; give only one of them.',
    )
  })
})

describe('describePlatform', () => {
  it('uses PRETTY_NAME and the source', async () => {
    place('etc/os-release', read('debian-12'))
    const p = await detectPlatform({root, machineArch: 'x86_64'})
    expect(describePlatform(p)).toBe(
      `Debian GNU/Linux 12 (bookworm), x86_64 — from ${join(root, 'etc/os-release')}`,
    )
  })

  it('composes a name for --os and says the arch came from --arch', async () => {
    const p = await detectPlatform({os: 'ubuntu:22.04', arch: 'arm64'})
    expect(describePlatform(p)).toBe('Ubuntu 22.04 (jammy), aarch64 (--arch) — from --os ubuntu:22.04')
  })
})
