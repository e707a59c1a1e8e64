// English messages: the reference catalog. Every other catalog has exactly
// these keys (nl.ts is typed as Catalog). Placeholders are written {name}.
export const en = {
  'app.name': 'Koppel',
  'app.loading': 'Opening Koppel…',

  'startup.title': 'Koppel could not open your data',
  'startup.code': 'Error code: {code}',
  'startup.hint': 'Solve the problem described above, then start Koppel again.',

  'load.failed': 'This list could not be loaded: {message}',
  'load.retry': 'Try again',

  'orgs.heading': 'Organizations',
  'orgs.search.label': 'Search organizations',
  'orgs.search.placeholder': 'Name or party ID',
  'orgs.noMatch': 'No organization matches “{query}”.',
  'orgs.ended': 'Partnership ended',

  'empty.title': 'No organizations yet',
  'empty.intro': 'For now, organizations are added from the command line. Add the first one with:',
  'empty.next': 'Then create connection keys for it with:',

  'org.partyId': 'Party ID',
  'org.kvk': 'KvK',
  'org.vat': 'VAT',
  'org.email': 'Email',
  'org.endedOn': 'Partnership ended on {date}',
  'org.select': 'Select an organization to see its connections.',

  'conns.heading': 'Connections',
  'conns.empty.title': 'No connections yet',
  'conns.empty.intro': 'For now, connection keys are created from the command line. Create keys for {name} with:',
  'conns.software': 'Package',
  'conns.appKey': 'App Key',
  'conns.status': 'Status',
  'conns.created': 'Created',
  'conns.revoked': 'Revoked',
  'conns.lastUsed': 'Last used',
  'conns.never': 'Never',
  'conns.notRevoked': '—',
  'conns.revokedAttempts': 'Software still uses these revoked keys: {count} attempts, last {when}. Revoke them inside the package too.',

  'status.active': 'Active',
  'status.revoked': 'Revoked',

  'reason.lost': 'lost',
  'reason.compromised': 'compromised',
  'reason.routine': 'routine replacement',
  'reason.switch': 'switched package',
  'reason.other': 'other reason',
  'reason.partnership ended': 'partnership ended',
  'reason.incomplete': 'left incomplete',
} as const

export type MessageKey = keyof typeof en

/** A catalog: a message for every key of the English one, and no other keys. */
export type Catalog = { readonly [K in MessageKey]: string }
