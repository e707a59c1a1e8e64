import { EventsOn } from '../../../wailsjs/runtime/runtime'
import type { EventName } from '../events'

/** Subscribes to a Go event; returns the function that unsubscribes. */
export function onEvent(name: EventName, handler: (...data: unknown[]) => void): () => void {
  if (typeof window === 'undefined' || !('runtime' in window)) return () => {}
  return EventsOn(name, handler)
}
