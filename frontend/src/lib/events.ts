// Event names Go emits; app/events.go holds the same list. Subscribe once, at
// boot: Wails does not buffer events.
export const events = {
  organizationsChanged: 'organizations:changed',
  connectionsChanged: 'connections:changed',
  /** data: {remaining: seconds} until the clipboard is cleared */
  clipboardCountdown: 'clipboard:countdown',
  /** data: {cleared: boolean} when the countdown has ended */
  clipboardDone: 'clipboard:done',
  /** data: the organization ids whose documents changed (empty: any) */
  documentsChanged: 'documents:changed',
  /** data: {done, total} files of a running import */
  importProgress: 'documents:import-progress',
} as const

export type EventName = (typeof events)[keyof typeof events]
