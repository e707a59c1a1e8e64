// axe-core through @axe-core/playwright: every WCAG rule axe has, on the
// page as it is; only serious and critical findings count.
import { AxeBuilder } from '@axe-core/playwright'

const counted = new Set(['serious', 'critical'])

/** Runs axe-core on the page; returns the serious and critical violations. */
export async function checkAccessibility(page) {
  const results = await new AxeBuilder({ page }).analyze()
  return results.violations.filter((v) => counted.has(v.impact))
}
