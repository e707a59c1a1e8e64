// Debian's Chromium through playwright-core (no browser download). It runs
// headed on the virtual display the app uses, so that a copy made with the
// browser's clipboard API lands on the same X clipboard as one made by Go.
import { chromium } from 'playwright-core'
import { mkdtemp, rm } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'

// Flags that work on a closed network as root (DESIGN §8).
const flags = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-quic',
  '--no-first-run',
  '--no-default-browser-check',
  '--password-store=basic',
]

/**
 * Starts Chromium with a new, empty profile and opens one page on url.
 * Headed when DISPLAY is set (the journey's case), headless otherwise.
 * Returns { context, page, close }.
 */
export async function openBrowser({ viewport = { width: 1280, height: 800 }, locale = 'en-US' } = {}) {
  const profile = await mkdtemp(path.join(process.env.E2E_TMP || os.tmpdir(), 'koppel-chromium-'))
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    headless: !process.env.DISPLAY,
    args: [...flags, `--window-size=${viewport.width},${viewport.height + 120}`],
    viewport,
    locale,
    timeout: 60_000,
  })
  const page = context.pages()[0] ?? (await context.newPage())
  const close = async () => {
    await context.close()
    await rm(profile, { recursive: true, force: true })
  }
  return { context, page, close }
}
