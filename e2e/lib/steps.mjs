// The step runner of e2e/journey.mjs: named steps in order, a screenshot and
// an accessibility check per screen, and one report at the end.
import { mkdir } from 'node:fs/promises'
import path from 'node:path'
import { checkAccessibility } from './a11y.mjs'

export class Journey {
  /**
   * @param {{ shots: string }} options shots: the screenshot folder
   */
  constructor({ shots }) {
    this.shots = shots
    this.screen = 0
    this.a11y = [] // { screen, violations }
    this.started = Date.now()
  }

  /**
   * Runs one step. The first step that fails ends the journey: later steps
   * build on it.
   */
  async step(name, fn) {
    const t0 = Date.now()
    try {
      await fn()
      console.log(`  ✓ ${name} (${Date.now() - t0} ms)`)
    } catch (err) {
      console.log(`  ✗ ${name} (${Date.now() - t0} ms)`)
      err.step = name
      throw err
    }
  }

  /**
   * Saves a screenshot of the page as NN-name.png and runs axe-core on it.
   * Serious and critical violations are collected; the journey fails on
   * them at the end, so that one run reports every screen.
   */
  async capture(page, name) {
    this.screen++
    const file = path.join(this.shots, `${String(this.screen).padStart(2, '0')}-${name}.png`)
    await mkdir(this.shots, { recursive: true })
    const t0 = Date.now()
    await page.screenshot({ path: file, fullPage: false, animations: 'disabled' })
    const t1 = Date.now()
    const violations = await checkAccessibility(page)
    if (violations.length > 0) this.a11y.push({ screen: path.basename(file), violations })
    const timing = process.env.E2E_DEBUG ? ` (shot ${t1 - t0} ms, axe ${Date.now() - t1} ms)` : ''
    console.log(`      screen ${path.basename(file)}: axe ${violations.length === 0 ? 'ok' : `${violations.length} serious or critical`}${timing}`)
    return file
  }

  /**
   * Prints the accessibility findings, each rule and element once with the
   * screens it was found on; true when there are none.
   */
  reportAccessibility() {
    if (this.a11y.length === 0) {
      console.log(`\naxe-core: no serious or critical violations on ${this.screen} screens`)
      return true
    }
    const byRule = new Map() // rule id → { violation, elements: Map(target → { node, screens }) }
    for (const { screen, violations } of this.a11y) {
      for (const v of violations) {
        if (!byRule.has(v.id)) byRule.set(v.id, { violation: v, elements: new Map() })
        const rule = byRule.get(v.id)
        for (const node of v.nodes) {
          // The selector and the element's label: two tables may share a class.
          const where = `${node.target.join(' ')} ${node.html.match(/aria-label="([^"]*)"/)?.[1] ?? ''}`
          if (!rule.elements.has(where)) rule.elements.set(where, { node, screens: [] })
          const shots = rule.elements.get(where).screens
          const name = screen.replace(/\.png$/, '')
          if (!shots.includes(name)) shots.push(name)
        }
      }
    }
    console.log(`\naxe-core: serious or critical violations on ${this.a11y.length} of ${this.screen} screens`)
    for (const { violation: v, elements } of byRule.values()) {
      console.log(`\n  [${v.impact}] ${v.id}: ${v.help}\n    ${v.helpUrl}`)
      for (const { node, screens } of elements.values()) {
        console.log(`    at ${node.target.join(' ')}  (${screens.length} ${screens.length === 1 ? 'screen' : 'screens'}: ${screens.join(', ')})`)
        console.log(`       ${node.html.slice(0, 160).replace(/\s+/g, ' ')}`)
        const summary = (node.failureSummary ?? '').split('\n').map((l) => l.trim()).filter(Boolean)
        for (const line of summary.slice(0, 4)) console.log(`       ${line}`)
      }
    }
    return false
  }
}
