/// <reference types="vitest/config" />
import { defineConfig, type BuildEnvironmentOptions, type Plugin } from 'vite'
import { svelte } from '@sveltejs/vite-plugin-svelte'
import { svelteTesting } from '@testing-library/svelte/vite'
import { catalogsAsJSON } from './vite-plugins/catalogs'

// The window serves the built files from frontend/dist (embedded in the Go
// binary); `wails dev` proxies to the dev server.
export default defineConfig(({ isSsrBuild }) => ({
  // catalogsAsJSON: the message catalogs as JSON text (vite-plugins/catalogs.ts).
  plugins: [svelte(), svelteTesting(), catalogsAsJSON(), isSsrBuild && withoutDynamicImport()],
  // The server build bundles Svelte's server runtime and its helpers too.
  ssr: isSsrBuild ? { noExternal: true } : undefined,
  build: isSsrBuild ? ssrBuild : {
    // No inline scripts or data: fonts: the window's Content-Security-Policy
    // allows scripts from 'self' only.
    assetsInlineLimit: 0,
    rolldownOptions: {
      output: {
        // Screens and dialogs other than the first are chunks loaded when
        // they open (lib/lazy.ts); what the first screen needs stays one
        // file rather than many small shared ones.
        codeSplitting: { groups: [{ name: 'app', tags: ['$initial'] }] },
      },
    },
  },
  test: {
    environment: 'jsdom',
    include: ['src/**/*.test.ts', 'vite-plugins/**/*.test.ts'],
    // Every catalog loaded up front: tests switch language synchronously.
    setupFiles: ['src/test/setup.ts'],
  },
}))

// `vite build --ssr`: src/ssr.ts as one plain script (no modules, every
// chunk inlined) for the JavaScript engine in Go (app/firstscreen.go),
// which calls KoppelFirstScreen.firstScreen.
const ssrBuild: BuildEnvironmentOptions = {
  outDir: 'dist-ssr',
  // One file, replaced each time; the folder keeps its .gitkeep (main.go).
  emptyOutDir: false,
  target: 'es2017',
  minify: true,
  rolldownOptions: {
    input: 'src/ssr.ts',
    output: { format: 'iife', name: 'KoppelFirstScreen', entryFileNames: 'first-screen.js', codeSplitting: false },
  },
}

// Svelte's server runtime loads Node modules with import() for features
// the first screen does not use (async rendering, CSP hashes); the engine
// in Go has no import(). Each becomes a call that fails the same way, as a
// rejected promise.
function withoutDynamicImport(): Plugin {
  return {
    name: 'koppel-without-dynamic-import',
    renderChunk(code) {
      const noImport = 'function koppelNoImport(m) { return Promise.reject(new Error("no module " + m)) }\n'
      return { code: noImport + code.replace(/(?<![\w$.])import\(/g, 'koppelNoImport('), map: null }
    },
  }
}
