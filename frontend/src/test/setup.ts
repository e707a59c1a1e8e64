// vitest setup: the Dutch catalog is a chunk the window loads on demand;
// tests switch languages with setLocale and expect the words at once.
import { loadCatalog } from '../lib/i18n/i18n.svelte'

await loadCatalog('nl')
