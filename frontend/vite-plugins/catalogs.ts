// The message catalogs (src/lib/i18n/en.ts and nl.ts) are object literals
// of about 700 strings. Built as such, the English one cost JavaScriptCore
// ~6 ms before the window's first screen could paint (12 alternating runs
// with page marks: the page's script began 3.5 ms later after the HTML was
// parsed, and mounted 2.5 ms slower). A JSON text in one string literal is
// scanned at once, and JSON.parse builds the object in well under a
// millisecond.
// So the production build writes each catalog module as
//
//   export const en = JSON.parse('{"app.name":"Koppel",…}')
//
// The sources stay TypeScript, with their types and comments; `vite dev`
// and the tests use them as they are.
import type { Plugin } from 'vite'

const catalogFile = /[\\/]src[\\/]lib[\\/]i18n[\\/](en|nl)\.ts$/

/**
 * The catalog module code (TypeScript already stripped), which declares and
 * exports only the catalog name, rewritten with its object as JSON. Throws
 * when the module is not such a catalog: the build stops rather than ship
 * a different one.
 */
export function catalogAsJSON(code: string, name: string): string {
  const head = `export const ${name} = `
  const at = code.indexOf(head)
  if (at < 0) throw new Error(`catalog ${name}: no "${head}" in its module`)
  const body = code.slice(0, at) + `const ${name} = ` + code.slice(at + head.length)
  if (/^\s*(export|import)\b/m.test(body)) {
    throw new Error(`catalog ${name}: its module may hold nothing but the catalog`)
  }
  const value: unknown = new Function(`${body}\nreturn ${name}`)()
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new Error(`catalog ${name}: not an object`)
  }
  for (const [key, text] of Object.entries(value)) {
    if (typeof text !== 'string') throw new Error(`catalog ${name}: ${key} is not a string`)
  }
  return `${head}/* @__PURE__ */ JSON.parse(${JSON.stringify(JSON.stringify(value))})\n`
}

/** The Vite plugin: production builds only, after TypeScript is stripped. */
export function catalogsAsJSON(): Plugin {
  return {
    name: 'koppel:catalogs-as-json',
    apply: 'build',
    enforce: 'post',
    transform(code, id) {
      const m = catalogFile.exec(id)
      return m ? { code: catalogAsJSON(code, m[1]), map: null } : null
    },
  }
}
