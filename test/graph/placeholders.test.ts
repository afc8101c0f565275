/**
 * Placeholders a page expects the reader to fill in, on commands from the seeds
 * and the corpus, and the look-alikes that are not placeholders.
 */
import {describe, expect, it} from 'vitest'
import {findPlaceholders, isSecretName, parameterName} from '../../src/graph/placeholders.js'

describe('findPlaceholders', () => {
  it('finds <TOKEN> and <GROUP> in the register-node command (seed manual step 3), the token secret', () => {
    expect(findPlaceholders("sudo /usr/share/wallarm-common/register-node -t <TOKEN> --labels 'group=<GROUP>' -H us1.api.wallarm.com --no-sync --no-sync-acl")).toEqual([
      {name: 'TOKEN', raw: '<TOKEN>', secret: true},
      {name: 'GROUP', raw: '<GROUP>', secret: false},
    ])
  })

  it('finds <ip1> and <ip2> in the upstream block, once each (seed step 6)', () => {
    const upstream = 'upstream wallarm_tarantool {\n    server <ip1>:3313 max_fails=0 fail_timeout=0 max_conns=1;\n    server <ip2>:3313 max_fails=0 fail_timeout=0 max_conns=1;\n    server <ip1>:3314;\n}'
    expect(findPlaceholders(upstream)).toEqual([
      {name: 'IP1', raw: '<ip1>', secret: false},
      {name: 'IP2', raw: '<ip2>', secret: false},
    ])
  })

  it('names placeholders written as words, accents folded (node.yaml in both seeds)', () => {
    expect(findPlaceholders('hostname: <name of postanalytics node>\nsecret: <secret key of postanalytics node>')).toEqual([
      {name: 'NAME_OF_POSTANALYTICS_NODE', raw: '<name of postanalytics node>', secret: false},
      {name: 'SECRET_KEY_OF_POSTANALYTICS_NODE', raw: '<secret key of postanalytics node>', secret: true},
    ])
    expect(findPlaceholders('hostname: <nome do nó de pós-análise>\nsecret: <chave secreta do nó de pós-análise>')).toEqual([
      {name: 'NOME_DO_NO_DE_POS_ANALISE', raw: '<nome do nó de pós-análise>', secret: false},
      {name: 'CHAVE_SECRETA_DO_NO_DE_POS_ANALISE', raw: '<chave secreta do nó de pós-análise>', secret: true},
    ])
  })

  it('finds build-time variables such as {{release}} (percona tarball install)', () => {
    expect(findPlaceholders('wget https://downloads.percona.com/downloads/percona-backup-mongodb/percona-backup-mongodb-{{release}}/binary/tarball/percona-backup-mongodb-{{release}}-x86_64.tar.gz')).toEqual([
      {name: 'RELEASE', raw: '{{release}}', secret: false},
    ])
    expect(findPlaceholders('echo {{ pbm.full_name }}')).toEqual([{name: 'PBM_FULL_NAME', raw: '{{ pbm.full_name }}', secret: false}])
  })

  it('finds lower-case placeholders with underscores (BunkerWeb) and credentials in a header', () => {
    expect(findPlaceholders('docker exec -it <scheduler_container> bwcli plugin list')).toEqual([{name: 'SCHEDULER_CONTAINER', raw: '<scheduler_container>', secret: false}])
    expect(findPlaceholders('curl -H "X-WallarmApi-Token: <YOUR_TOKEN>" https://api.wallarm.com')).toEqual([{name: 'YOUR_TOKEN', raw: '<YOUR_TOKEN>', secret: true}])
    expect(findPlaceholders('mysql -u <username> -p<password> <database_name>').map((p) => [p.name, p.secret])).toEqual([
      ['USERNAME', false],
      ['PASSWORD', true],
      ['DATABASE_NAME', false],
    ])
  })

  it('finds placeholders glued to the text before them (percona Kerberos URI)', () => {
    expect(findPlaceholders('PBM_MONGODB_URI="mongodb://<username>%40<KERBEROS_REALM>:<PASSWORD>@<hostname>:27018/?authMechanism=GSSAPI&authSource=%24external&replSetName=xxxx"').map((p) => p.raw)).toEqual([
      '<username>',
      '<KERBEROS_REALM>',
      '<PASSWORD>',
      '<hostname>',
    ])
    expect(findPlaceholders('tar xzf pbm_<VERSION>.tar.gz').map((p) => p.name)).toEqual(['VERSION'])
  })

  it('takes no shell redirection, here-document, process substitution, autolink, mail address or HTML tag for a placeholder', () => {
    for (const script of [
      'cat <<EOF > /etc/nginx/conf.d/x.conf\nserver {}\nEOF',
      'cat <<-EOF\nx\nEOF',
      'sort < file.txt',
      'diff <(ls a) <(ls b)',
      'make 2>&1 | tee build.log',
      'curl http://localhost/ >/dev/null 2>&1',
      'See <http://example.com/docs> and <https://x.y/z?a=b>',
      'Write to <support@wallarm.com>',
      '</div>',
      '<div class="admonition">text</div>',
      "sub_filter '</head>' '<script src=\"/x.js\"></script></head>';",
      'echo "<h1>It works</h1>" | sudo tee /usr/share/nginx/html/index.html',
      'echo "line<br/>next<br>last"',
      'if [ "$a" -lt 5 ] && [ $b<3 ]; then :; fi',
      'List<String> names = new ArrayList<>();',
      'Map<K, V> m; std::vector<std::string> v;',
      'for (i=0;i<n;i++) if (x>y) print',
      'a <= b',
    ]) {
      expect(findPlaceholders(script), script).toEqual([])
    }
  })

  it('keeps a placeholder that only looks like a tag when nothing closes it', () => {
    expect(findPlaceholders('pbm restore --title <title>')).toEqual([{name: 'TITLE', raw: '<title>', secret: false}])
  })
})

describe('parameterName and isSecretName', () => {
  it('makes environment-variable names and knows credentials in several languages', () => {
    expect(['name of postanalytics node', 'nó de pós-análise', 'UUID', 'ip1', '  x  y '].map(parameterName)).toEqual(['NAME_OF_POSTANALYTICS_NODE', 'NO_DE_POS_ANALISE', 'UUID', 'IP1', 'X_Y'])
    expect(['TOKEN', 'API_KEY', 'SENHA', 'CHAVE_SECRETA', 'CONTRASENA', 'MOT_DE_PASSE', 'PASSWORT', 'GROUP', 'HOSTNAME', 'UUID'].map(isSecretName)).toEqual([
      true, true, true, true, true, true, true, false, false, false,
    ])
  })
})
