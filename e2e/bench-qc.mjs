// bench-qc.mjs: the Quick Connect figures of issue 5 in a real browser
// against the real Go services (`wails dev`, started by scripts/e2e.sh with
// E2E_SCRIPT pointing here; scripts/bench-qc.sh does that):
//   (a) the Quick Connect button pressed → the view ready with its data
//   (b) Ctrl+V → the recognised keys shown
// each read from the page's own performance measures (qc-open, qc-paste;
// see ui.openQuickConnect and QuickConnectPage.svelte), BENCH_QC_RUNS times
// after one warm-up. Prints median and p90 beside the targets; exits
// non-zero only when something could not be measured.
import { openBrowser } from './lib/browser.mjs'
import { koppel, writeClipboard } from './lib/system.mjs'

const url = process.env.E2E_URL ?? 'http://localhost:34115/'
const runs = Number(process.env.BENCH_QC_RUNS ?? 20)

const org = { name: 'Bakkerij Jansen BV', party: 'NL:KVK:12345678' }
await koppel('org', 'add', '--name', org.name, '--party-id', org.party)
await koppel('admin', 'add', '--software', 'yuki', '--name', 'Bakkerij Jansen', '--org', org.party, '--email', 'administratie@bakkerij-jansen.nl')
const issued = await koppel('conn', 'create', '--org', org.party, '--software', 'yuki')
const text = `Koppel Quick Connect\nApp Key: ${issued.appKey}\nSecret: ${issued.secret}\nOrganization: ${org.name} (${org.party})\n`

const { page, close } = await openBrowser()
page.setDefaultTimeout(15_000)
const open = [], paste = []
let failure = null
try {
  await page.goto(url)
  await page.getByRole('row').filter({ hasText: issued.appKey }).first().waitFor()
  await writeClipboard(text)
  for (let i = 0; i <= runs; i++) {
    await page.evaluate(() => performance.clearMeasures())
    await page.getByRole('row').filter({ hasText: issued.appKey }).getByRole('button', { name: 'Quick Connect' }).click()
    await page.locator('[data-ready="quickConnect"]').waitFor()
    await page.keyboard.press('Control+V')
    await page.getByText('Keys recognised', { exact: true }).first().waitFor()
    const m = await page.evaluate(async () => {
      for (let t = 0; t < 50 && performance.getEntriesByName('qc-paste').length === 0; t++) await new Promise((r) => setTimeout(r, 20))
      const d = (n) => performance.getEntriesByName(n).at(-1)?.duration
      return { open: d('qc-open'), paste: d('qc-paste') }
    })
    if (m.open === undefined || m.paste === undefined) throw new Error(`run ${i}: the page recorded no measure (${JSON.stringify(m)})`)
    if (i > 0) {
      open.push(m.open)
      paste.push(m.paste)
    }
    await page.keyboard.press('Escape')
    await page.locator('[data-ready="quickConnect"]').waitFor({ state: 'detached' })
  }
} catch (err) {
  failure = err
} finally {
  await close().catch(() => {})
}
if (failure) {
  console.log(`bench-qc: FAILED: ${failure.message}`)
  process.exit(1)
}

const at = (xs, q) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(q * xs.length))]
const row = (label, xs, target) =>
  console.log(`  ${label.padEnd(48)} median ${at(xs, 0.5).toFixed(1).padStart(6)} ms  p90 ${at(xs, 0.9).toFixed(1).padStart(6)} ms  target ${target}`)
console.log(`\nQuick Connect in Chromium against wails dev (${runs} runs after a warm-up):`)
row('button pressed → view ready', open, '≤ 100 ms')
row('Ctrl+V → recognised keys shown', paste, '≤ 50 ms')
