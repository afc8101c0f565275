/**
 * Typed dummy values for placeholders, so a command block reads to shellcheck
 * as it will run: an address where an address goes, a number for a port. The
 * type comes from the placeholder's name, in the languages pages come in.
 */
import type {Placeholder} from '../graph/types.js'

const TYPES: Array<[RegExp, string]> = [
  [/URL|URI|LINK|ENDPOINT/, 'https://example.com/path'],
  [/(^|_)(IP|IPS|ADDRESS|ADDR|ENDERECO|DIRECCION|ADRESSE)(_|$|\d)|(^|_)IP\d/, '192.0.2.10'],
  [/PORT|PORTA|PUERTO/, '8443'],
  [/UUID/, '123e4567-e89b-12d3-a456-426614174000'],
  [/HOST|DOMAIN|DOMINIO|SERVER|SERVIDOR|FQDN/, 'host.example.com'],
  [/PATH|FILE|DIR|FOLDER|CAMINHO|ARQUIVO|PASTA|RUTA|ARCHIVO|CHEMIN|FICHIER|DATEI/, '/tmp/runbook-dummy'],
  [/EMAIL|MAIL/, 'user@example.com'],
  [/VERSION|VERSAO|VERSION|RELEASE/, '1.2.3'],
  [/COUNT|NUMBER|NUM|SIZE|MEMORY|TIMEOUT|LIMIT|NUMERO|TAMANHO/, '2'],
  [/TOKEN|SECRET|PASSWORD|PASSWD|PASS|KEY|SENHA|CHAVE|CLAVE/, 'dummy-secret-value'],
]

export function dummyValue(placeholder: Placeholder): string {
  for (const [pattern, value] of TYPES) if (pattern.test(placeholder.name)) return value
  return 'dummy-value'
}

export function dummyValues(placeholders: Placeholder[]): Record<string, string> {
  return Object.fromEntries(placeholders.map((placeholder) => [placeholder.name, dummyValue(placeholder)]))
}
