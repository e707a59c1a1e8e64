export {
  t,
  locale,
  setLocale,
  detectLocale,
  hasMessage,
  formatDate,
  formatDateTime,
  type Locale,
  type MessageKey,
} from './i18n.svelte'
