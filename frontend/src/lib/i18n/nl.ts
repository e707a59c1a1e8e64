import type { Catalog } from './en'

// Dutch messages. `satisfies Catalog` makes TypeScript refuse a missing or an
// extra key.
export const nl = {
  'app.name': 'Koppel',
  'app.loading': 'Koppel wordt geopend…',

  'startup.title': 'Koppel kan uw gegevens niet openen',
  'startup.code': 'Foutcode: {code}',
  'startup.hint': 'Los het hierboven beschreven probleem op en start Koppel daarna opnieuw.',

  'load.failed': 'Deze lijst kon niet worden geladen: {message}',
  'load.retry': 'Opnieuw proberen',

  'orgs.heading': 'Organisaties',
  'orgs.search.label': 'Organisaties zoeken',
  'orgs.search.placeholder': 'Naam of party-ID',
  'orgs.noMatch': 'Geen organisatie gevonden voor “{query}”.',
  'orgs.ended': 'Samenwerking beëindigd',

  'empty.title': 'Nog geen organisaties',
  'empty.intro': 'Organisaties voegt u voorlopig toe via de opdrachtregel. Voeg de eerste toe met:',
  'empty.next': 'Maak daarna koppelsleutels voor die organisatie met:',

  'org.partyId': 'Party-ID',
  'org.kvk': 'KvK',
  'org.vat': 'Btw',
  'org.email': 'E-mail',
  'org.endedOn': 'Samenwerking beëindigd op {date}',
  'org.select': 'Kies een organisatie om de koppelingen te zien.',

  'conns.heading': 'Koppelingen',
  'conns.empty.title': 'Nog geen koppelingen',
  'conns.empty.intro': 'Koppelsleutels maakt u voorlopig via de opdrachtregel. Maak sleutels voor {name} met:',
  'conns.software': 'Pakket',
  'conns.appKey': 'App Key',
  'conns.status': 'Status',
  'conns.created': 'Aangemaakt',
  'conns.revoked': 'Ingetrokken',
  'conns.lastUsed': 'Laatst gebruikt',
  'conns.never': 'Nooit',
  'conns.notRevoked': '—',
  'conns.revokedAttempts': 'Het pakket gebruikt deze ingetrokken sleutels nog: {count} pogingen, laatste {when}. Trek ze ook in het pakket in.',

  'status.active': 'Actief',
  'status.revoked': 'Ingetrokken',

  'reason.lost': 'kwijtgeraakt',
  'reason.compromised': 'uitgelekt',
  'reason.routine': 'routinematige vervanging',
  'reason.switch': 'ander pakket',
  'reason.other': 'andere reden',
  'reason.partnership ended': 'samenwerking beëindigd',
  'reason.incomplete': 'onvolledig achtergelaten',
} satisfies Catalog
