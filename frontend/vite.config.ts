/// <reference types="vitest/config" />
import { defineConfig } from 'vite'
import { svelte } from '@sveltejs/vite-plugin-svelte'
import { svelteTesting } from '@testing-library/svelte/vite'
import { catalogsAsJSON } from './vite-plugins/catalogs'

// The window serves the built files from frontend/dist (embedded in the Go
// binary); `wails dev` proxies to the dev server.
export default defineConfig({
  // catalogsAsJSON: the message catalogs as JSON text (vite-plugins/catalogs.ts).
  plugins: [svelte(), svelteTesting(), catalogsAsJSON()],
  build: {
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
})
