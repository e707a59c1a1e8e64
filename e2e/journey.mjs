// journey.mjs: the whole journey of issue 3 in a real browser (Debian's
// Chromium through playwright-core) against the real Go services, served by
// `wails dev`. scripts/e2e.sh starts everything and runs this with:
//   E2E_URL          the wails dev server (http://localhost:34115/)
//   E2E_SCREENSHOTS  the folder for one screenshot per screen
//   DISPLAY, XAUTHORITY  the virtual display the app (and Chromium) run on
//   KOPPEL_HOME, KOPPEL_KEYRING(_PASSPHRASE)  the app's data folder, which
//                    `koppel` (on PATH) reads to check what the window did
//
// The window is driven by ARIA role and accessible name, as a screen reader
// user would. Each screen gets a screenshot and an axe-core check. The
// journey stops at the first failed step; accessibility findings and page
// errors are reported at the end and fail the run too.
import { fileURLToPath } from 'node:url'
import { openBrowser } from './lib/browser.mjs'
import { Journey } from './lib/steps.mjs'
import { findSecrets, mask } from './lib/secrets.mjs'
import { koppel, parseQuickConnect, readClipboard, redact, writeClipboard } from './lib/system.mjs'

const url = process.env.E2E_URL ?? 'http://localhost:34115/'
const journey = new Journey({ shots: process.env.E2E_SCREENSHOTS ?? 'screenshots/e2e' })

const org = { name: 'Bakkerij Jansen BV', party: 'NL:KVK:12345678' }
const secrets = [] // every Secret the window showed, to look for after closing

// The labels the journey needs, in both languages (frontend/src/lib/i18n).
const L = {
  en: {
    addOrganization: 'Add organization',
    name: 'Name',
    partyId: 'Party ID',
    partyOk: 'Valid party ID.',
    createConnection: 'Create new connection',
    software: 'Software package',
    createKeys: 'Create keys',
    keysTitle: 'Your new connection keys',
    replacedKeysTitle: 'Your replacement connection keys',
    copyQuickConnect: 'Copy for Quick Connect',
    stored: 'I have stored the Secret',
    done: 'Done',
    guardTitle: 'Close without the Secret?',
    guardText: 'The Secret cannot be shown again. Close anyway?',
    guardBack: 'Go back',
    more: 'More actions',
    moreFor: (appKey) => `More actions for ${appKey}`,
    revoke: 'Revoke connection',
    revokeTitle: (appKey) => `Revoke connection ${appKey}?`,
    replace: 'Replace keys',
    replaceTitle: (appKey) => `Replace keys of ${appKey}?`,
    delete: 'Delete connection',
    deleteTitle: (appKey) => `Delete connection ${appKey}?`,
    reasonLost: 'The Secret was lost',
    active: 'Active',
    revoked: 'Revoked',
    quickConnect: 'Quick Connect',
    qcReady: '[data-ready="quickConnect"]',
    recognised: 'Keys recognised',
    addAdministration: 'Add administration',
    administration: 'Administration',
    administrationName: 'Administration name',
    administrationCode: 'Administration code (optional)',
    qcEmail: 'Email address linked to the administration',
    startDate: /Start date/,
    sales: 'Also process sales invoices',
    confirm: /I confirm/,
    apply: 'Apply',
    linkCreated: 'Link created',
    testConnection: 'Test connection',
    partiesReached: 'Parties reached',
    conflictRevoke: 'Revoke the other connection and continue',
    conflictCheck: (id) => new RegExp(`connection #${id} will be revoked at once`),
    conflictButton: (id) => `Revoke connection #${id} and apply`,
    back: 'Back',
    administrations: 'Administrations',
    cancel: 'Cancel',
    overview: 'All connections',
    audit: 'Audit trail',
    verifyAudit: 'Verify audit trail',
    auditOk: /The audit trail is intact/,
    settings: 'Settings',
    language: 'Language',
    clipboardClears: /Clipboard clears in \d+ s/,
    clearNow: 'Clear now',
    cleared: 'The clipboard was cleared.',
    notCleared: 'The clipboard held something else, so Koppel left it alone.',
  },
  nl: {
    addOrganization: 'Organisatie toevoegen',
    createConnection: 'Nieuwe verbinding maken',
    software: 'Softwarepakket',
    createKeys: 'Sleutels maken',
    keysTitle: 'Uw nieuwe koppelsleutels',
    copyQuickConnect: 'Kopiëren voor Quick Connect',
    stored: 'Ik heb het Secret bewaard',
    done: 'Klaar',
    more: 'Meer acties',
    moreFor: (appKey) => `Meer acties voor ${appKey}`,
    revoke: 'Verbinding intrekken',
    revokeTitle: (appKey) => `Verbinding ${appKey} intrekken?`,
    replace: 'Sleutels vervangen',
    replaceTitle: (appKey) => `Sleutels van ${appKey} vervangen?`,
    delete: 'Verbinding verwijderen',
    deleteTitle: (appKey) => `Verbinding ${appKey} verwijderen?`,
    name: 'Naam',
    guardTitle: 'Sluiten zonder het Secret?',
    guardBack: 'Terug',
    recognised: 'Sleutels herkend',
    qcEmail: 'E-mailadres dat aan de administratie is gekoppeld',
    apply: 'Toepassen',
    clipboardClears: /Klembord wordt over \d+ s gewist/,
    verifyAudit: 'Auditlog controleren',
    auditOk: /Het auditlog is intact/,
    auditTable: 'Auditgebeurtenissen',
    active: 'Actief',
    revoked: 'Ingetrokken',
    cancel: 'Annuleren',
    overview: 'Alle verbindingen',
    audit: 'Auditlog',
    settings: 'Instellingen',
    language: 'Taal',
    inbox: 'Inkomende facturen',
    routed: 'Aangeboden',
    documentTitle: (number) => `Document ${number}`,
    showXml: 'XML tonen',
    reasonLost: 'Het Secret is kwijtgeraakt',
    replaceReason: 'Waarom vervangt u de sleutels?',
    replacedKeysTitle: 'Uw vervangende koppelsleutels',
    reofferTitle: 'Opnieuw aanbieden aan API',
    reofferAll: 'Alles opnieuw aanbieden aan API',
    reofferDone: /1 document opnieuw aangeboden/,
    reofferNone: /Niets opnieuw aan te bieden/,
    close: 'Sluiten',
  },
}

// A purchase invoice for org (its customer is NL:KVK:12345678).
const invoice = { file: fileURLToPath(new URL('../internal/documents/testdata/import/invoice-basic.xml', import.meta.url)), number: 'MOL-2026-0142' }
// English words that must not be left on a Dutch screen.
const englishLeftovers = ['Create new connection', 'Revoke connection', 'Replace keys', 'Delete connection', 'Settings', 'All connections', 'Audit trail', 'Active', 'Revoked', 'More actions']

// --- helpers -------------------------------------------------------------------

function assert(ok, message) {
  if (!ok) throw new Error(message)
}

/** A dialog (or alert dialog) by its accessible name. */
function dialog(page, name) {
  return page.getByRole('dialog', { name }).or(page.getByRole('alertdialog', { name }))
}

async function gone(locator, what) {
  try {
    await locator.waitFor({ state: 'hidden', timeout: 10_000 })
  } catch {
    throw new Error(`${what} is still shown`)
  }
}

/** The App Key and Secret a keys dialog shows. */
async function keysIn(keysDialog) {
  const text = await keysDialog.innerText()
  const appKey = text.match(/ak_[A-Za-z0-9]{20}/)?.[0]
  const secret = text.match(/sk_[A-Za-z0-9]{46}/)?.[0]
  assert(appKey && secret, `the keys dialog shows no App Key and Secret:\n${redact(text)}`)
  return { appKey, secret }
}

/** The table row of the connection with appKey. */
function row(page, appKey) {
  return page.getByRole('row').filter({ hasText: appKey })
}

/** Opens the "⋯" menu of a connection; returns the menu. */
async function openMenu(page, l, appKey) {
  // Its name may or may not name the connection ("More actions (for ak_…)").
  await row(page, appKey).getByRole('button', { name: new RegExp(`^${l.more}`) }).click()
  const menu = page.getByRole('menu', { name: l.moreFor(appKey) })
  await menu.waitFor()
  return menu
}

/** Picks optionName in a radio group, or else in the select named groupName. */
async function chooseOption(scope, groupName, optionName) {
  const radio = scope.getByRole('radio', { name: optionName })
  if ((await radio.count()) > 0) return radio.first().check()
  return scope.getByRole('combobox', { name: groupName }).selectOption({ label: optionName })
}

/** Closes a keys dialog properly: tick the checkbox, then Done. */
async function closeKeys(page, l, keysDialog) {
  await keysDialog.getByRole('checkbox', { name: l.stored }).check()
  await keysDialog.getByRole('button', { name: l.done, exact: true }).click()
  await gone(keysDialog, 'the keys dialog')
}

/** Opens "Create new connection" and picks the package; returns the dialog. */
async function createConnection(page, l, softwareName) {
  await page.getByRole('button', { name: l.createConnection }).first().click()
  const create = dialog(page, l.createConnection)
  await create.waitFor()
  await chooseOption(create, l.software, new RegExp(`^${softwareName}\\b`))
  return create
}

/**
 * Opens Quick Connect from the connection's row and pastes with Ctrl+V (the
 * clipboard holds its Quick Connect text); returns the connection id the
 * view recognised. The Secret shows masked only.
 */
async function quickConnect(page, l, keys) {
  await row(page, keys.appKey).getByRole('button', { name: l.quickConnect }).click()
  await page.locator(L.en.qcReady).waitFor()
  await page.getByRole('heading', { level: 1, name: 'Quick Connect' }).waitFor()
  await page.keyboard.press('Control+V')
  await page.getByText(l.recognised, { exact: true }).first().waitFor()
  const masked = await page.getByTestId('qc-secret-masked').innerText()
  assert(masked.endsWith(keys.secret.slice(-4)) && !masked.includes(keys.secret.slice(3, 10)),
    `the recognised Secret is not masked: ${redact(masked)}`)
  const shown = await page.locator('main').innerText()
  assert(shown.includes(keys.appKey) && !shown.includes(keys.secret), 'the view does not show the App Key, or shows the Secret')
  const id = Number(shown.match(/#(\d+)/)?.[1])
  assert(id > 0, 'the view names no connection')
  return id
}

/** The local API the window runs (KOPPEL_API_ADDR), as software would call it. */
const apiBase = `http://${process.env.KOPPEL_API_ADDR ?? '127.0.0.1:8642'}`

/** POST /connect/token with the client credentials grant; returns the response. */
function requestToken(appKey, secret) {
  return fetch(`${apiBase}/connect/token`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ grant_type: 'client_credentials', client_id: appKey, client_secret: secret }),
  })
}

/** Asserts that no Secret is left in the page, its script state or its heap. */
async function assertNoSecrets(page, label) {
  const found = await findSecrets(page, secrets)
  const inPage = found.page.map((f) => `${f.where}: ${mask(f.value)}`)
  assert(inPage.length === 0, `${label}: Secrets in the page:\n  ${inPage.join('\n  ')}`)
  assert(found.heap.length === 0, `${label}: the JavaScript heap still holds ${found.heap.map(mask).join(', ')}, kept by:\n      ${found.retainedBy.join('\n      ')}`)
  assert(found.heapShaped.length === 0, `${label}: the heap holds Secret-shaped strings ${found.heapShaped.map(mask).join(', ')}`)
  console.log(`      no Secret in DOM, values, storage, window state, nor the ${(found.heapBytes / 1e6).toFixed(1)} MB heap snapshot (${secrets.length} Secrets looked for)`)
}

/** Copies for Quick Connect and returns the clipboard's text, parsed. */
async function copyForQuickConnect(page, l, keysDialog) {
  const sentinel = `e2e sentinel ${Date.now()}`
  await writeClipboard(sentinel)
  await keysDialog.getByRole('button', { name: l.copyQuickConnect }).click()
  const text = await readClipboard({ accept: (t) => t !== sentinel && t.includes('ak_') })
  assert(text !== sentinel && text !== '', 'the clipboard did not change after "Copy for Quick Connect"')
  return { text, qc: parseQuickConnect(text) }
}

// --- the journey -----------------------------------------------------------------

const { page, close } = await openBrowser()
page.setDefaultTimeout(10_000)
const pageErrors = []
page.on('pageerror', (e) => {
  // wails dev's browser bridge (/wails/ipc.js) trips over a missing element
  // at load; it is Wails' code, not Koppel's.
  if (/\/wails\/ipc\.js/.test(e.stack ?? '')) return
  pageErrors.push(e.stack ?? e.message)
})
// A virtual list's first frame renders the rows that fit below the least
// distance from the window's top its page gives it (VirtualRows' `above`,
// shown as data-above). A list that starts higher would show empty rows at
// its foot for a frame.
async function listsBelowTheirBound(page, screen) {
  const lists = await page.evaluate(() =>
    [...document.querySelectorAll('[data-above]')].map((el) => ({
      name: el.getAttribute('aria-label'),
      top: el.getBoundingClientRect().top,
      above: Number(el.dataset.above),
    })),
  )
  assert(lists.length >= 2, `the ${screen} has ${lists.length} lists with a first-frame bound (want the sidebar's and the table's)`)
  for (const l of lists) {
    assert(l.top >= l.above, `on the ${screen}, "${l.name}" starts ${l.top.toFixed(0)} px down, above its first-frame bound of ${l.above} px`)
  }
}

const consoleErrors = []
page.on('console', (m) => {
  if (m.type() === 'error' && !/favicon/.test(m.location().url)) consoleErrors.push(`${m.text()} (${m.location().url})`)
})

let failure = null
let first, second, third // { appKey, secret }
try {
  const en = L.en
  const nl = L.nl

  await journey.step('open Koppel on an empty data folder', async () => {
    await page.goto(url)
    await page.getByRole('button', { name: en.addOrganization }).first().waitFor()
    await journey.capture(page, 'empty')
  })

  await journey.step('add an organization (party ID checked as it is typed)', async () => {
    await page.getByRole('button', { name: en.addOrganization }).first().click()
    const form = dialog(page, en.addOrganization)
    await form.waitFor()
    await form.getByRole('textbox', { name: en.name, exact: true }).fill(org.name)
    const party = form.getByRole('textbox', { name: en.partyId })
    await party.fill('NL:KVK:1234')
    await form.getByText(/a KvK number has 8 digits/i).first().waitFor()
    assert((await party.getAttribute('aria-invalid')) === 'true', 'an invalid party ID is not marked aria-invalid')
    await journey.capture(page, 'add-organization-invalid')
    await party.fill(org.party)
    await form.getByText(en.partyOk).waitFor()
    await journey.capture(page, 'add-organization')
    await form.getByRole('button', { name: en.addOrganization }).click()
    await gone(form, 'the add-organization dialog')
    await page.getByRole('heading', { name: org.name }).first().waitFor()
    const orgs = await koppel('org', 'list')
    assert(orgs.some((o) => o.name === org.name && o.partyId === org.party), `koppel org list lacks ${org.name}: ${JSON.stringify(orgs)}`)
    await journey.capture(page, 'organization')
  })

  await journey.step('create a connection: the keys dialog shows App Key and Secret once', async () => {
    const create = await createConnection(page, en, 'Yuki')
    await journey.capture(page, 'create-connection')
    await create.getByRole('button', { name: en.createKeys }).click()
    const keys = dialog(page, en.keysTitle)
    await keys.waitFor()
    first = await keysIn(keys)
    secrets.push(first.secret)
    await keys.getByText(/shown only once/).first().waitFor()
    await journey.capture(page, 'keys')
    // The detectors must see the Secret while it is shown, or their "not
    // found" later proves nothing.
    const found = await findSecrets(page, [first.secret])
    assert(found.page.some((f) => f.value === first.secret), 'control: the page scan does not see the Secret the dialog shows')
    assert(found.heap.includes(first.secret), 'control: the heap snapshot does not hold the Secret the dialog shows')
    console.log(`      control: the Secret is found in the page and in the heap while the dialog shows it`)
  })

  await journey.step('"Copy for Quick Connect" puts App Key and Secret on the clipboard (DESIGN §3)', async () => {
    const keys = dialog(page, en.keysTitle)
    const { text, qc } = await copyForQuickConnect(page, en, keys)
    const lines = text.trim().split(/\r?\n/)
    assert(lines.length === 4, `the Quick Connect text has ${lines.length} lines, want 4:\n${redact(text)}`)
    assert(qc.header === 'Koppel Quick Connect', `first line is "${qc.header}"`)
    assert(lines[1] === `App Key: ${first.appKey}`, `second line is "${lines[1]}"`)
    assert(lines[2] === `Secret: ${first.secret}`, `third line is "${redact(lines[2])}", not the Secret shown`)
    assert(lines[3] === `Organization: ${org.name} (${org.party})`, `fourth line is "${lines[3]}"`)
    await page.getByText(en.clipboardClears).first().waitFor()
    await journey.capture(page, 'copied')
  })

  await journey.step('the keys dialog does not close without "I have stored the Secret"', async () => {
    const keys = dialog(page, en.keysTitle)
    await page.keyboard.press('Escape')
    const guard = dialog(page, en.guardTitle)
    await guard.waitFor()
    await guard.getByText(en.guardText).waitFor()
    await journey.capture(page, 'close-guard')
    await guard.getByRole('button', { name: en.guardBack }).click()
    await gone(guard, 'the close guard')
    await keys.waitFor()
    await closeKeys(page, en, keys)
    await row(page, first.appKey).first().waitFor()
    await journey.capture(page, 'connection-created')
  })

  await journey.step('"Clear now" empties the clipboard while it holds the Secret', async () => {
    const timer = page.getByRole('timer').filter({ hasText: en.clipboardClears })
    await timer.waitFor()
    await timer.getByRole('button', { name: en.clearNow }).click()
    const text = await readClipboard({ accept: (t) => t === '' })
    assert(text === '', `the clipboard still holds ${JSON.stringify(redact(text))}`)
    await page.getByText(en.cleared).waitFor({ state: 'attached' })
    await gone(timer, 'the clipboard countdown')
  })

  await journey.step('after closing, the Secret is nowhere in the DOM, page state or heap', async () => {
    await assertNoSecrets(page, 'after closing the keys dialog')
    const conns = await koppel('conn', 'list', '--org', org.party)
    assert(conns.length === 1 && conns[0].appKey === first.appKey && conns[0].status === 'active',
      `koppel conn list: ${JSON.stringify(conns)}`)
    assert(!JSON.stringify(conns).includes(first.secret), 'koppel conn list shows the Secret')
  })

  await journey.step('revoke: "Delete connection" is disabled while active; revoke with a reason', async () => {
    const menu = await openMenu(page, en, first.appKey)
    const del = menu.getByRole('menuitem', { name: en.delete })
    assert((await del.getAttribute('aria-disabled')) === 'true' || (await del.isDisabled()), '"Delete connection" is enabled for an active connection')
    await journey.capture(page, 'menu-active')
    await menu.getByRole('menuitem', { name: en.revoke }).click()
    const revoke = dialog(page, en.revokeTitle(first.appKey))
    await revoke.waitFor()
    await chooseOption(revoke, 'Reason', en.reasonLost)
    await revoke.getByText(/Also revoke the connection in your software package/).waitFor()
    await journey.capture(page, 'revoke')
    await revoke.getByRole('button', { name: en.revoke }).click()
    await gone(revoke, 'the revoke dialog')
    await row(page, first.appKey).getByText(en.revoked, { exact: true }).first().waitFor()
    const c = await koppel('conn', 'show', first.appKey)
    assert(c.status === 'revoked' && c.revokedReason === 'lost', `koppel conn show: ${JSON.stringify(c)}`)
    await journey.capture(page, 'revoked')
  })

  await journey.step('delete the revoked connection from its "⋯" menu', async () => {
    const menu = await openMenu(page, en, first.appKey)
    await menu.getByRole('menuitem', { name: en.delete }).click()
    const del = dialog(page, en.deleteTitle(first.appKey))
    await del.waitFor()
    await journey.capture(page, 'delete')
    await del.getByRole('button', { name: en.delete }).click()
    await gone(del, 'the delete dialog')
    await gone(row(page, first.appKey), 'the deleted connection\'s row')
    const conns = await koppel('conn', 'list', '--org', org.party)
    assert(!conns.some((c) => c.appKey === first.appKey), `koppel conn list still has ${first.appKey}`)
  })

  await journey.step('replace keys: new keys dialog, the old connection revoked', async () => {
    const create = await createConnection(page, en, 'Basecone')
    await create.getByRole('button', { name: en.createKeys }).click()
    let keys = dialog(page, en.keysTitle)
    await keys.waitFor()
    second = await keysIn(keys)
    secrets.push(second.secret)
    await closeKeys(page, en, keys)

    const menu = await openMenu(page, en, second.appKey)
    await menu.getByRole('menuitem', { name: en.replace }).click()
    const replace = dialog(page, en.replaceTitle(second.appKey))
    await replace.waitFor()
    await chooseOption(replace, 'Why are you replacing the keys?', en.reasonLost)
    await journey.capture(page, 'replace')
    await replace.getByRole('button', { name: en.replace }).click()
    keys = dialog(page, en.replacedKeysTitle)
    await keys.waitFor()
    third = await keysIn(keys)
    secrets.push(third.secret)
    assert(third.appKey !== second.appKey && third.secret !== second.secret, 'replace showed the old keys')
    await journey.capture(page, 'replaced-keys')
    // Someone copies something else: Koppel must leave it on the clipboard.
    await copyForQuickConnect(page, en, keys)
    const elsewhere = `copied elsewhere ${Date.now()}`
    await writeClipboard(elsewhere)
    await page.getByRole('timer').getByRole('button', { name: en.clearNow }).click()
    await page.getByText(en.notCleared).waitFor({ state: 'attached' })
    assert((await readClipboard()) === elsewhere, 'Koppel cleared a clipboard that no longer held its text')
    await closeKeys(page, en, keys)
    await row(page, second.appKey).getByText(en.revoked, { exact: true }).first().waitFor()
    await row(page, third.appKey).getByText(en.active, { exact: true }).first().waitFor()
    const old = await koppel('conn', 'show', second.appKey)
    const fresh = await koppel('conn', 'show', third.appKey)
    assert(old.status === 'revoked' && old.revokedReason === 'lost', `old connection: ${JSON.stringify(old)}`)
    assert(fresh.status === 'active', `new connection: ${JSON.stringify(fresh)}`)
    await assertNoSecrets(page, 'after replacing keys')
  })

  let linked, switched // the two connections of the Quick Connect steps
  await journey.step('Quick Connect: copy, open, Ctrl+V, choose the administration, email, start date, sales, confirm, Apply, Test', async () => {
    const create = await createConnection(page, en, 'Yuki')
    await create.getByRole('button', { name: en.createKeys }).click()
    const keys = dialog(page, en.keysTitle)
    await keys.waitFor()
    linked = await keysIn(keys)
    secrets.push(linked.secret)
    const { qc } = await copyForQuickConnect(page, en, keys)
    assert(qc.appKey === linked.appKey, 'the Quick Connect text names another App Key')
    await closeKeys(page, en, keys)

    const id = await quickConnect(page, en, linked)
    await journey.capture(page, 'quick-connect-recognised')
    // A new administration, added inline: created by Apply, not before.
    await page.getByRole('button', { name: en.addAdministration }).click()
    await page.getByRole('textbox', { name: en.administrationName }).fill('Bakkerij Jansen')
    await page.getByRole('textbox', { name: en.administrationCode }).fill('BJ01')
    await page.getByRole('textbox', { name: en.qcEmail }).fill('administratie@bakkerij-jansen.nl')
    await page.getByLabel(en.startDate).fill('2024-01-01')
    await page.getByRole('checkbox', { name: en.sales }).check()
    const apply = page.getByRole('button', { name: en.apply, exact: true })
    assert(await apply.isDisabled(), 'Apply is enabled before the confirmation box is ticked')
    await page.getByRole('checkbox', { name: en.confirm }).check()
    await journey.capture(page, 'quick-connect-form')
    await apply.click()
    await page.getByRole('heading', { name: en.linkCreated }).waitFor()
    await page.getByRole('button', { name: en.testConnection }).click()
    const reached = page.getByRole('list', { name: en.partiesReached })
    await reached.getByText(org.party).first().waitFor()
    await journey.capture(page, 'quick-connect-tested')

    const links = await koppel('link', 'list', '--conn', linked.appKey)
    const l = links[0] ?? {}
    assert(links.length === 1 && l.status === 'active' && l.administration === 'Bakkerij Jansen' &&
      l.email === 'administratie@bakkerij-jansen.nl' && l.startDate === '2024-01-01' && l.processSales === true &&
      String(l.lastTestResult).startsWith('ok'), `koppel link list after Apply: ${JSON.stringify(links)}`)
    assert(l.connectionId === id, `the link is on connection ${l.connectionId}, not ${id}`)
    await assertNoSecrets(page, 'after Quick Connect')
    await page.keyboard.press('Escape')
    await page.locator(en.qcReady).waitFor({ state: 'detached' })
  })

  await journey.step('Quick Connect conflict (R8): refused, then "Revoke the other connection and continue"', async () => {
    const create = await createConnection(page, en, 'Yuki')
    await create.getByRole('button', { name: en.createKeys }).click()
    const keys = dialog(page, en.keysTitle)
    await keys.waitFor()
    switched = await keysIn(keys)
    secrets.push(switched.secret)
    await copyForQuickConnect(page, en, keys)
    await closeKeys(page, en, keys)

    await quickConnect(page, en, switched)
    const admin = page.getByRole('combobox', { name: en.administration, exact: true })
    const value = await admin.locator('option', { hasText: 'Bakkerij Jansen' }).first().getAttribute('value')
    await admin.selectOption(value)
    await page.getByRole('textbox', { name: en.qcEmail }).fill('administratie@bakkerij-jansen.nl')
    await page.getByRole('checkbox', { name: en.confirm }).check()
    await page.getByRole('button', { name: en.apply, exact: true }).click()
    const revokeOther = page.getByRole('button', { name: en.conflictRevoke })
    await revokeOther.waitFor()
    const first = await koppel('conn', 'show', linked.appKey)
    await journey.capture(page, 'quick-connect-conflict')
    assert(first.status === 'active', 'the conflict revoked the other connection before it was confirmed')
    await revokeOther.click()
    await page.getByRole('checkbox', { name: en.conflictCheck(first.id) }).check()
    await journey.capture(page, 'quick-connect-conflict-confirm')
    await page.getByRole('button', { name: en.conflictButton(first.id) }).click()
    await page.getByRole('heading', { name: en.linkCreated }).waitFor()
    await journey.capture(page, 'quick-connect-switched')

    const old = await koppel('conn', 'show', linked.appKey)
    assert(old.status === 'revoked' && old.revokedReason === 'switch', `the other connection after revoke-and-continue: ${JSON.stringify(old)}`)
    const active = (await koppel('link', 'list', '--status', 'active')).filter((x) => x.administration === 'Bakkerij Jansen')
    assert(active.length === 1 && active[0].appKey === switched.appKey, `active links of the administration: ${JSON.stringify(active)}`)
    const refused = await requestToken(linked.appKey, linked.secret)
    assert(refused.status === 401, `a token for the revoked keys: ${refused.status}`)
    await page.getByRole('button', { name: en.back }).click()
    await page.locator(en.qcReady).waitFor({ state: 'detached' })
  })

  await journey.step('administrations: the list per package, with the link', async () => {
    await page.getByRole('button', { name: en.administrations, exact: true }).click()
    await page.getByRole('table').filter({ hasText: 'Bakkerij Jansen' }).first().waitFor()
    await journey.capture(page, 'administrations')
  })

  await journey.step('all connections, audit trail and its verification', async () => {
    await page.getByRole('link', { name: en.overview }).or(page.getByRole('button', { name: en.overview })).first().click()
    await row(page, third.appKey).first().waitFor()
    await journey.capture(page, 'all-connections')
    await page.getByRole('link', { name: en.audit }).or(page.getByRole('button', { name: en.audit })).first().click()
    await page.getByRole('button', { name: en.verifyAudit }).click()
    await page.getByText(en.auditOk).first().waitFor()
    await journey.capture(page, 'audit')
  })

  await journey.step('settings: switch the language to Dutch', async () => {
    await page.getByRole('link', { name: en.settings }).or(page.getByRole('button', { name: en.settings })).first().click()
    await page.getByRole('heading', { name: en.settings }).first().waitFor()
    await journey.capture(page, 'settings')
    await chooseOption(page, en.language, 'Nederlands')
    await page.waitForFunction(() => document.documentElement.lang === 'nl')
    await page.getByRole('heading', { name: nl.settings }).first().waitFor()
    await journey.capture(page, 'settings-nl')
    const settings = await koppel('settings', 'list')
    assert(JSON.stringify(settings).includes('"nl"'), `koppel settings list does not say nl: ${JSON.stringify(settings)}`)
  })

  await journey.step('reopen the window: the page brings its first screen, in Dutch, without a Secret', async () => {
    await page.reload()
    await row(page, third.appKey).getByText(nl.active, { exact: true }).first().waitFor()
    const boot = await page.evaluate(() => document.documentElement.dataset.boot)
    assert(boot === 'page', `the overview did not come with the page (data-boot=${boot})`)
    // The page as Go serves it: the overview's rows, never a Secret.
    const html = await (await page.request.get(url)).text()
    assert(html.includes('id="koppel-boot"') && html.includes(third.appKey), 'the served page has no boot data with the newest App Key')
    for (const k of [first, second, third]) assert(!html.includes(k.secret), 'the served page holds a Secret')
    // Every font size and weight costs WebKitGTK a font match before the
    // first layout (app.css, the type scale): the first screen keeps to
    // four. Containers count too: a line of text in one is laid out in its
    // font. Letter-spacing takes a face of its own as well. (The real
    // window's count, with WebKit's own faces, is scripts/window-smoke.sh's.)
    const faces = await page.evaluate(() => {
      const face = (el) => {
        const s = getComputedStyle(el)
        return `${s.fontFamily} ${s.fontSize} ${s.fontWeight} ${s.letterSpacing}`
      }
      return [...new Set([document.body, ...document.body.querySelectorAll('*')].map(face))]
    })
    assert(faces.length <= 4, `the first screen uses ${faces.length} font faces (at most 4): ${faces.join('; ')}`)
    await listsBelowTheirBound(page, 'overview')
    await journey.capture(page, 'reopened-nl')
  })

  await journey.step('the same screens in Dutch', async () => {
    const noEnglish = async (screen) => {
      const text = await page.locator('body').innerText()
      const left = englishLeftovers.filter((w) => new RegExp(`\\b${w}\\b`).test(text))
      assert(left.length === 0, `English left on the Dutch ${screen}: ${left.join(', ')}`)
    }
    await page.getByRole('link', { name: nl.overview }).or(page.getByRole('button', { name: nl.overview })).first().click()
    await row(page, third.appKey).getByText(nl.active, { exact: true }).first().waitFor()
    await row(page, second.appKey).getByText(nl.revoked, { exact: true }).first().waitFor()
    await noEnglish('overview')
    await journey.capture(page, 'nl-all-connections')

    await page.getByRole('option', { name: new RegExp(org.name) }).or(page.getByRole('link', { name: new RegExp(org.name) })).first().click()
    await page.getByRole('button', { name: nl.createConnection }).first().waitFor()
    await noEnglish('organization')
    await listsBelowTheirBound(page, 'organization')
    await journey.capture(page, 'nl-organization')

    await page.getByRole('button', { name: nl.addOrganization }).first().click()
    const form = dialog(page, nl.addOrganization)
    await form.getByRole('textbox', { name: nl.name, exact: true }).waitFor()
    await noEnglish('add-organization dialog')
    await journey.capture(page, 'nl-add-organization')
    await form.getByRole('button', { name: nl.cancel }).click()
    await gone(form, 'the Dutch add-organization dialog')

    // Each dialog of the "⋯" menu, opened and cancelled.
    const fromMenu = async (appKey, item, title, screen) => {
      const menu = await openMenu(page, nl, appKey)
      for (const name of [nl.revoke, nl.replace, nl.delete]) await menu.getByRole('menuitem', { name }).waitFor()
      if (screen === 'nl-revoke') await journey.capture(page, 'nl-menu')
      await menu.getByRole('menuitem', { name: item }).click()
      const d = dialog(page, title)
      await d.waitFor()
      await noEnglish(screen)
      await journey.capture(page, screen)
      await d.getByRole('button', { name: nl.cancel }).click()
      await gone(d, `the Dutch ${screen} dialog`)
    }
    await fromMenu(third.appKey, nl.revoke, nl.revokeTitle(third.appKey), 'nl-revoke')
    await fromMenu(third.appKey, nl.replace, nl.replaceTitle(third.appKey), 'nl-replace')
    await fromMenu(second.appKey, nl.delete, nl.deleteTitle(second.appKey), 'nl-delete')

    await row(page, third.appKey).getByRole('button', { name: 'Quick Connect' }).click()
    await page.locator(L.en.qcReady).waitFor()
    await page.getByRole('button', { name: nl.apply, exact: true }).waitFor()
    await noEnglish('Quick Connect view')
    await journey.capture(page, 'nl-quick-connect')
    await page.keyboard.press('Escape')
    await page.locator(L.en.qcReady).waitFor({ state: 'detached' })

    const create = await createConnection(page, nl, 'Yuki')
    await journey.capture(page, 'nl-create-connection')
    await create.getByRole('button', { name: nl.createKeys }).click()
    const keys = dialog(page, nl.keysTitle)
    await keys.waitFor()
    const fourth = await keysIn(keys)
    secrets.push(fourth.secret)
    await page.keyboard.press('Escape')
    const guard = dialog(page, nl.guardTitle)
    await guard.waitFor()
    await journey.capture(page, 'nl-close-guard')
    await guard.getByRole('button', { name: nl.guardBack }).click()
    await gone(guard, 'the Dutch close guard')
    const { text, qc } = await copyForQuickConnect(page, nl, keys)
    await page.getByRole('timer').filter({ hasText: nl.clipboardClears }).waitFor()
    assert(qc.header === 'Snel koppelen met Koppel' && text.includes(`Applicatiesleutel: ${fourth.appKey}\n`) &&
      text.includes(`Geheime sleutel: ${fourth.secret}\n`) && text.includes(`Organisatie: ${org.name} (${org.party})`),
      `the Dutch Quick Connect text is not as expected:\n${redact(text)}`)
    await journey.capture(page, 'nl-keys')
    await closeKeys(page, nl, keys)
    await assertNoSecrets(page, 'after the Dutch keys dialog')

    await page.getByRole('link', { name: nl.audit }).or(page.getByRole('button', { name: nl.audit })).first().click()
    await page.getByRole('heading', { name: nl.audit }).first().waitFor()
    await page.getByRole('button', { name: nl.verifyAudit }).click()
    await page.getByText(nl.auditOk).first().waitFor()
    await noEnglish('audit trail')
    // Go's details in Dutch too: the newest event is the Dutch step's new
    // connection ("Yuki for …" in English).
    const trail = await page.getByRole('table', { name: nl.auditTable }).innerText()
    assert(trail.includes(`Yuki voor ${org.name} (${org.party})`) && !trail.includes(`Yuki for ${org.name}`),
      `the Dutch audit trail does not say its details in Dutch:\n${redact(trail).slice(0, 600)}`)
    await journey.capture(page, 'nl-audit')
  })

  await journey.step('documents: an imported invoice is in the Inbox, offered, with its history and XML as text', async () => {
    const result = await koppel('invoice', 'import', '--org', org.party, invoice.file)
    assert(JSON.stringify(result).includes(invoice.number), `koppel invoice import: ${JSON.stringify(result)}`)
    await page.getByRole('option', { name: new RegExp(org.name) }).or(page.getByRole('link', { name: new RegExp(org.name) })).first().click()
    await page.getByRole('tab', { name: nl.inbox }).click()
    const inbox = page.getByRole('table', { name: 'Inkoopfacturen' })
    const docRow = inbox.getByRole('row').filter({ hasText: invoice.number })
    await docRow.getByText(nl.routed, { exact: true }).waitFor()
    await journey.capture(page, 'nl-inbox')
    await docRow.getByRole('button', { name: invoice.number }).click()
    const detail = dialog(page, nl.documentTitle(invoice.number))
    await detail.waitFor()
    await detail.getByText(third.appKey).first().waitFor()
    // Go's notes in Dutch too ("imported from …", "offered to …" in English).
    const history = await detail.locator('ol').first().innerText()
    assert(history.includes('geïmporteerd uit ') && history.includes('aangeboden aan ') && !/\b(imported|offered to)\b/.test(history),
      `the Dutch document history does not say its notes in Dutch:\n${history}`)
    await detail.getByRole('button', { name: nl.showXml }).click()
    const xml = detail.getByLabel('XML', { exact: true })
    await xml.waitFor()
    const text = await xml.innerText()
    assert(text.includes(`<cbc:ID>${invoice.number}</cbc:ID>`), 'the XML is not shown as text')
    assert((await xml.evaluate((el) => el.tagName + el.children.length)) === 'PRE0', 'the XML was rendered as markup')
    await journey.capture(page, 'nl-document')
    await detail.getByRole('button', { name: nl.close }).last().click()
    await gone(detail, 'the document dialog')
  })

  let fifth
  await journey.step('replace keys: the reconnect step re-offers the invoice; the new key downloads it', async () => {
    await page.getByRole('tab', { name: 'Verbindingen' }).click()
    const menu = await openMenu(page, nl, third.appKey)
    await menu.getByRole('menuitem', { name: nl.replace }).click()
    const replace = dialog(page, nl.replaceTitle(third.appKey))
    await replace.waitFor()
    await chooseOption(replace, nl.replaceReason, nl.reasonLost)
    await replace.getByRole('button', { name: nl.replace }).click()
    const keys = dialog(page, nl.replacedKeysTitle)
    await keys.waitFor()
    fifth = await keysIn(keys)
    secrets.push(fifth.secret)
    await closeKeys(page, nl, keys)

    // The old key cannot fetch what waits on it.
    const old = await requestToken(third.appKey, third.secret)
    assert(old.status === 401 && (await old.json()).error === 'invalid_client', `a token for the replaced keys: ${old.status}`)

    const wizard = dialog(page, nl.reofferTitle)
    await wizard.waitFor()
    await wizard.getByRole('list').getByText(invoice.number).waitFor()
    await journey.capture(page, 'nl-reconnect')
    await wizard.getByRole('button', { name: nl.reofferAll }).click()
    await wizard.getByText(nl.reofferDone).waitFor()
    await wizard.getByText(nl.reofferNone).waitFor()
    await journey.capture(page, 'nl-reconnect-done')
    await wizard.getByRole('button', { name: nl.close }).last().click()
    await gone(wizard, 'the reconnect wizard')

    const tokenResponse = await requestToken(fifth.appKey, fifth.secret)
    assert(tokenResponse.status === 200, `a token for the new keys: ${tokenResponse.status}`)
    const { access_token: token } = await tokenResponse.json()
    const auth = { Authorization: `Bearer ${token}` }
    const party = encodeURIComponent(org.party)
    const list = await fetch(`${apiBase}/api/v1/${party}/purchaseInvoice`, { headers: auth })
    const listed = await list.text()
    assert(list.status === 200 && listed.includes(invoice.number), `the new key's purchase invoices: ${list.status} ${listed.slice(0, 300)}`)
    const id = JSON.parse(listed.match(/"documentId":\s*(\d+)/)?.[1] ?? 'null')
    assert(id, `no documentId in ${listed.slice(0, 300)}`)
    const download = await fetch(`${apiBase}/api/v1/${party}/purchaseInvoice/${id}/download`, { headers: auth })
    const body = await download.text()
    assert(download.status === 200 && body.includes(`<cbc:ID>${invoice.number}</cbc:ID>`), `download with the new key: ${download.status}`)
    const shown = await koppel('invoice', 'show', String(id))
    assert(JSON.stringify(shown).includes('Delivered'), `koppel invoice show after the download: ${JSON.stringify(shown).slice(0, 300)}`)
    await assertNoSecrets(page, 'after the reconnect step')
  })

  await journey.step('the command line agrees: audit trail intact, no Secret in any output', async () => {
    const verify = await koppel('audit', 'verify')
    assert(JSON.stringify(verify).match(/"ok":\s*true|intact/), `koppel audit verify: ${JSON.stringify(verify)}`)
    const all = JSON.stringify(await koppel('conn', 'list')) + JSON.stringify(await koppel('audit'))
    for (const s of secrets) assert(!all.includes(s), `the command line shows Secret ${mask(s)}`)
  })

  await journey.step('a long list of organizations: the page brings the first 40, the window loads the rest', async () => {
    // Zorggroep 40 and 41 sort after the first 40 of the list.
    for (let i = 1; i <= 41; i++) {
      await koppel('org', 'add', '--name', `Zorggroep ${String(i).padStart(2, '0')}`, '--party-id', `NL:KVK:${70000000 + i}`)
    }
    const total = (await koppel('org', 'list', '--all')).length
    assert(total > 41, `koppel org list --all: ${total} organizations`)
    const html = await (await page.request.get(url)).text()
    assert(html.includes(`"organizationCount":${total}`) && !html.includes('Zorggroep 41'),
      `the served page does not hold a cut list of ${total} organizations`)
    await page.reload()
    const list = page.getByRole('listbox', { name: 'Organisaties' })
    await list.getByRole('option').first().waitFor()
    await page.locator('.orgs-head .count').filter({ hasText: String(total) }).waitFor()
    await page.getByRole('searchbox', { name: 'Organisaties zoeken' }).fill('Zorggroep 41')
    await list.getByRole('option', { name: /Zorggroep 41/ }).waitFor()
    await journey.capture(page, 'nl-many-organizations')
  })
} catch (err) {
  failure = err
} finally {
  await close().catch(() => {})
}

let ok = true
if (failure) {
  ok = false
  console.log(`\nFAILED at "${failure.step ?? 'start'}": ${redactAll(failure.message)}`)
  if (failure.stack && !failure.step) console.log(redactAll(failure.stack))
}
if (!journey.reportAccessibility()) ok = false
if (pageErrors.length > 0) {
  ok = false
  console.log(`\nUncaught errors in the page (${pageErrors.length}):\n  ${pageErrors.map(redactAll).join('\n  ')}`)
}
if (consoleErrors.length > 0) console.log(`\nConsole errors (reported, not failed on):\n  ${consoleErrors.map(redactAll).join('\n  ')}`)
console.log(`\njourney ${ok ? 'passed' : 'FAILED'} in ${((Date.now() - journey.started) / 1000).toFixed(1)} s; ${journey.screen} screens`)
process.exit(ok ? 0 : 1)

function redactAll(text) {
  let out = redact(String(text))
  for (const s of secrets) out = out.replaceAll(s, mask(s))
  return out
}
