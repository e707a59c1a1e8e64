// Screens and dialogs the first screen does not show are chunks of their
// own, loaded the first time they open: the window starts with less
// JavaScript to parse and keep.

/**
 * A component loaded on first use, once; a failed load is tried again next
 * time. In markup: `{#await Page() then P}<P />{/await}`.
 */
export function lazy<T>(load: () => Promise<{ default: T }>): () => Promise<T> {
  let loaded: Promise<T> | undefined
  return () =>
    (loaded ??= load().then(
      (m) => m.default,
      (reason: unknown) => {
        loaded = undefined
        throw reason
      },
    ))
}
