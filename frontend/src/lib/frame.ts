/**
 * Resolves once the next frame has been painted: a task queued from a
 * frame callback runs after that frame.
 */
export function afterFrame(): Promise<void> {
  return new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve)))
}
