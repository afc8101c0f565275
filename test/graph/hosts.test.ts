/**
 * Prose that sends an instruction to another server, on the sentences of the
 * reference page in English and Brazilian Portuguese, and the sentences that
 * must not (they mention a server without sending anything there).
 */
import {describe, expect, it} from 'vitest'
import {namedHostRoles, readHostComment, readHostProse, roleWords, titleWords} from '../../src/graph/hosts.js'

const en = titleWords('Separate Postanalytics Module Installation')
const pt = titleWords('Instalação do Módulo Postanalytics Separado')

describe('readHostProse', () => {
  it('reads the page title into role words without the common ones', () => {
    expect([...en]).toEqual(['postanalytics', 'installation'])
    expect([...pt]).toEqual(['instalação', 'postanalytics'])
    expect(roleWords('the primary NGINX‑Wallarm module')).toEqual(['nginx-wallarm'])
    // A word with combining marks is one word: Hindi and Thai vowel signs, a decomposed é.
    expect(roleWords('डेटाबेस सर्वर')).toEqual(['डेटाबेस', 'सर्वर'])
    expect(roleWords('เซิร์ฟเวอร์ฐานข้อมูล')).toEqual(['เซิร์ฟเวอร์ฐานข้อมูล'])
    expect(roleWords('serveur de base de donne\u0301es')).toEqual(['base', 'données'])
  })

  it('sends "On the machine with the NGINX-Wallarm module, …" to the machine with that module (seed step 6)', () => {
    const sentence =
      'On the machine with the NGINX-Wallarm module, in the NGINX configuration file, specify the postanalytics module server address:'
    expect(readHostProse(sentence, en)).toEqual({where: 'other', reason: sentence, role: ['nginx-wallarm']})
  })

  it('reads the same in Portuguese (seed passo 5)', () => {
    const sentence = 'Na máquina com o módulo NGINX-Wallarm, no arquivo de configuração do NGINX, especifique o endereço do servidor do módulo de pós-análise:'
    expect(readHostProse(sentence, pt)).toEqual({where: 'other', reason: sentence, role: ['nginx-wallarm']})
  })

  it('reads the troubleshooting items that name the NGINX-Wallarm server, with its non-breaking hyphen (seed step 8)', () => {
    expect(readHostProse('On the server with the NGINX‑Wallarm module, analyze the NGINX logs:', en)).toEqual({
      where: 'other',
      reason: 'On the server with the NGINX‑Wallarm module, analyze the NGINX logs:',
      role: ['nginx-wallarm'],
    })
    expect(readHostProse('No servidor com o módulo NGINX‑Wallarm, analise os registros do NGINX:', pt)).toMatchObject({where: 'other', role: ['nginx-wallarm']})
  })

  it('sends "on a separate / different server" elsewhere, with no role (seed step titles and lists)', () => {
    expect(readHostProse('Install the NGINX-Wallarm module on a separate server', en)).toEqual({where: 'other', reason: 'Install the NGINX-Wallarm module on a separate server'})
    expect(readHostProse('Install the NGINX-Wallarm module on a different server:', en)).toEqual({where: 'other', reason: 'Install the NGINX-Wallarm module on a different server:'})
    expect(readHostProse('Instale o módulo NGINX-Wallarm em um servidor separado', pt)).toEqual({where: 'other', reason: 'Instale o módulo NGINX-Wallarm em um servidor separado'})
    expect(readHostProse('Instale o módulo NGINX-Wallarm em um servidor diferente:', pt)).toMatchObject({where: 'other'})
    // The reason is the first sentence only.
    expect(readHostProse('Run it on another machine. Then come back.', en)).toEqual({where: 'other', reason: 'Run it on another machine.'})
  })

  it('reads the other languages of the lexicon', () => {
    const words = new Set<string>()
    expect(readHostProse('En el servidor con el módulo NGINX-Wallarm, edite el archivo:', words)).toMatchObject({where: 'other', role: ['nginx-wallarm']})
    expect(readHostProse('Sur la machine avec le module NGINX-Wallarm, modifiez le fichier :', words)).toMatchObject({where: 'other', role: ['nginx-wallarm']})
    // The role runs to the next punctuation mark.
    expect(readHostProse('Auf dem Server mit dem NGINX-Wallarm-Modul die Datei bearbeiten:', words)).toMatchObject({where: 'other', role: ['nginx-wallarm-modul', 'datei', 'bearbeiten']})
    expect(readHostProse('Installez le module sur un serveur séparé.', words)).toMatchObject({where: 'other'})
    expect(readHostProse('Instale el módulo en un servidor separado.', words)).toMatchObject({where: 'other'})
  })

  it('does not count sentences that only mention a server (seed steps 3, 5 and 6, both languages)', () => {
    for (const sentence of [
      'To provide the node with access, you need to generate a token on the Cloud side and specify it on the machine with the node packages.',
      'Once the postanalytics module is installed on the separate server:',
      'Once the postanalytics module is installed on the separate server, install the other Wallarm modules on a different servers.',
      'Run the register-node script on a machine where you install the filtering node:',
      'Please note that no such risk exists if you are deploying the postanalytics module alongside with the NGINX-Wallarm module on the same server.',
      'By default, Wallarm deployment instructions guide you to install both modules on the same server.',
      'The processing of requests in the Wallarm node consists of two stages:',
    ]) {
      expect(readHostProse(sentence, en), sentence).toBeUndefined()
    }
    for (const sentence of [
      'Para fornecer acesso ao nó, você precisa gerar um token no lado da Cloud e especificá-lo na máquina com os pacotes do nó.',
      'Uma vez que o módulo de pós-análise esteja instalado no servidor separado:',
      'Execute o script register-node em uma máquina onde você instala o nó de filtragem:',
    ]) {
      expect(readHostProse(sentence, pt), sentence).toBeUndefined()
    }
  })

  it('keeps a page’s steps at home when the machine named is the page’s own subject', () => {
    expect(readHostProse('On the machine with the postanalytics module, restart the service:', en)).toBeUndefined()
    expect(readHostProse('On the machine with the postanalytics module, restart the service:', new Set())).toMatchObject({where: 'other', role: ['postanalytics']})
  })
})

describe('readHostComment', () => {
  it('reads the server a comment names in the compatibility block, in both languages', () => {
    expect(readHostComment('run from the server with primary NGINX-Wallarm module')).toEqual(['nginx-wallarm'])
    expect(readHostComment('run from the server with the postanalytics module')).toEqual(['postanalytics'])
    expect(readHostComment('execute no servidor com o módulo principal NGINX-Wallarm')).toEqual(['nginx-wallarm'])
    expect(readHostComment('execute no servidor com o módulo pós-analítico')).toEqual(['pós-analítico'])
  })

  it('reads no server in comments that name none', () => {
    expect(readHostComment('If using the x86_64 version:')).toBeUndefined()
    expect(readHostComment('address and port for bind')).toBeUndefined()
    expect(readHostComment('omitted')).toBeUndefined()
  })
})

// The phrase lists are matched on a lower-cased copy of the sentence (no `i` flag on their
// letter classes, which V8 compiles slowly): every phrase reads the same in any letter case.
describe('host phrases in any letter case', () => {
  const sendsElsewhere = [
    'Install the module on a separate server',
    'Instale o módulo em um servidor separado',
    'Instale o módulo em outra máquina',
    'Instale el módulo en un servidor dedicado',
    'Instale el módulo en otro servidor',
    'Installez le module sur un serveur séparé',
    'Installez le module sur un autre hôte',
    'Installieren Sie das Modul auf einem anderen Server',
    'Delete the old machine',
    'Remova a máquina antiga',
    'Elimine el servidor anterior',
    "Supprimez l'ancienne machine",
    'Löschen Sie die alte Maschine',
  ]
  const cases = (text: string) => [text, text.toUpperCase(), text.replace(/(^|\s)(\p{L})/gu, (_all, space: string, letter: string) => space + letter.toUpperCase())]

  it('sends a step elsewhere whatever the case of "another server" or "the old machine", in five languages', () => {
    for (const text of sendsElsewhere) for (const variant of cases(text)) expect(readHostProse(variant, en), variant).toEqual({where: 'other', reason: variant})
  })

  it('reads the role of "on the X host" whatever its case, in five languages', () => {
    const named: Array<[string, string[]]> = [
      ['Run this on the Nagios host.', ['nagios']],
      ['Execute no servidor do Nagios.', ['nagios']],
      ['Ejecute en el servidor de Nagios.', ['nagios']],
      ['Exécutez sur le serveur Nagios.', ['nagios']],
      ['Führen Sie dies auf dem Nagios-Server aus.', ['nagios']],
    ]
    for (const [text, role] of named) for (const variant of cases(text)) expect(namedHostRoles(variant), variant).toEqual([role])
  })

  it('keeps İ as the i flag does (it folds to no single letter) and reads ſ as s', () => {
    // Lower-cased, İ is i and a combining dot, which stays part of the word.
    expect(namedHostRoles('Run this on the İzmir host.')).toEqual([['i\u0307zmir']])
    expect(readHostProse('Install it on a ſeparate server', en)).toEqual({where: 'other', reason: 'Install it on a ſeparate server'})
  })
})

