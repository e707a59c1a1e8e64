// @vitest-environment node
import { transformWithOxc } from 'vite'
import { describe, expect, it } from 'vitest'
import { en } from '../src/lib/i18n/en'
import enSource from '../src/lib/i18n/en.ts?raw'
import { nl } from '../src/lib/i18n/nl'
import nlSource from '../src/lib/i18n/nl.ts?raw'
import { catalogAsJSON } from './catalogs'

/** What the build makes of a catalog source, evaluated. */
async function built(source: string, file: string, name: string): Promise<{ code: string; value: unknown }> {
  const js = (await transformWithOxc(source, file)).code
  const code = catalogAsJSON(js, name)
  const value: unknown = new Function(code.replace(`export const ${name} = `, 'return '))()
  return { code, value }
}

describe('the catalogs as built', () => {
  it('hold exactly the messages of their sources, as one JSON text', async () => {
    for (const [source, file, name, catalog] of [
      [enSource, 'en.ts', 'en', en],
      [nlSource, 'nl.ts', 'nl', nl],
    ] as const) {
      const { code, value } = await built(source, file, name)
      expect(code).toMatch(new RegExp(`^export const ${name} = /\\* @__PURE__ \\*/ JSON\\.parse\\("`))
      expect(value).toEqual(catalog)
      expect(Object.keys(value as object)).toEqual(Object.keys(catalog))
    }
  })

  it('refuse a module that is not only a catalog', () => {
    expect(() => catalogAsJSON('export const en = {"a": "b"}\nexport const x = 1', 'en')).toThrow(/nothing but/)
    expect(() => catalogAsJSON('import x from "y"\nexport const en = {"a": "b"}', 'en')).toThrow(/nothing but/)
    expect(() => catalogAsJSON('export const en = {"a": 1}', 'en')).toThrow(/not a string/)
    expect(() => catalogAsJSON('export const other = {}', 'en')).toThrow(/no "export const en = "/)
  })
})
